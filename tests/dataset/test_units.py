from __future__ import annotations

import pytest

from harness.dataset.units import UnitError, factor


@pytest.mark.parametrize("unit,canonical,expected", [
    ("PFLOPS", "TFLOPS", 1000), ("GB/s", "TB/s", 1e-3), ("GiB", "GB", 2**30 / 1e9), ("kW", "W", 1000),
    ("POPS", "TOPS", 1000), ("million", "billion", 1e-3), ("mm²", "mm^2", 1), ("TB/s", "GB/s", 1000),
])
def test_factor(unit, canonical, expected):
    assert factor(unit, canonical) == pytest.approx(expected)


@pytest.mark.parametrize("unit,canonical", [("TOPS", "TFLOPS"), ("GB", "TB/s"), ("W", "GB"), ("parsecs", "W")])
def test_wrong_dimension_or_unknown_unit(unit, canonical):
    with pytest.raises(UnitError):
        factor(unit, canonical)


def test_generated_factor_table_agrees_with_pint():
    """schemas/unit_factors.json is the fast path; pint stays the authority for every entry."""
    import json

    from harness.dataset import units

    table = json.loads(units.FACTORS_PATH.read_text(encoding="utf-8"))["factors"]
    assert table and all(table.values())
    for canonical, row in table.items():
        for unit, value in row.items():
            assert value == units.pint_factor(unit, canonical), (unit, canonical)
            assert factor(unit, canonical) == value


def test_every_unit_the_committed_specs_print_is_in_the_table():
    """So the pre-commit path (`accel validate`) never needs pint for the shipped specs."""
    import json

    from harness.dataset import units
    from harness.dataset.registry import registry

    table = json.loads(units.FACTORS_PATH.read_text(encoding="utf-8"))["factors"]
    spelled = units.spelled_units()
    assert {"TFLOPS", "GB/s", "GiB"} <= spelled
    canonicals = {f.unit for f in registry().value_fields.values() if f.unit and f.dtype != "string"}
    for unit in spelled:
        assert any(unit == c or unit in table.get(c, {}) for c in canonicals), unit


def test_a_unit_outside_the_table_still_converts_through_pint():
    from harness.dataset import units

    assert "mW" not in units._table().get("W", {})
    assert factor("mW", "W") == pytest.approx(1e-3)
