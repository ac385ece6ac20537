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
