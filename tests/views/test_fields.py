"""The view's field metadata agrees with the registry (it cannot import it: compare must not load YAML)."""

from __future__ import annotations

from harness.views import fields as F
from harness.views.table import fmt_number


def test_units_from_names_match_the_registry():
    from harness.dataset.registry import registry

    reg = registry()
    for name, fld in reg.value_fields.items():
        if fld.unit and fld.unit != "dimensionless":
            assert F.unit(name).replace("²", "^2") == fld.unit, name
    acc_cols = set(reg.tables["accelerators"].columns) - {"accelerator_id"}
    derived = {n for n in acc_cols if n in reg.columns and reg.columns[n].derived}
    assert derived == set(F.DERIVED)
    assert set(F.IDENTITY) <= acc_cols
    assert set(F.PEAKS) == set(reg.peak_fields)
    for preset in F.PRESETS.values():
        assert set(preset) <= acc_cols


def test_number_format():
    assert [fmt_number(x) for x in (989.5, 1979.0, 3.35, 4.0, 128.125, 0.0123)] == [
        "989.5", "1,979", "3.35", "4", "128.1", "0.0123"]
