"""The view's field metadata is the registry's, through the `_fields.json` digest the build writes
(compare must not load YAML at start-up)."""

from __future__ import annotations

import json

from harness.views import fields as F
from harness.views.table import fmt_number
from tests.conftest import ROOT


def test_the_committed_digest_is_what_the_registry_gives_now():
    from harness.dataset.fieldinfo import NAME, dumps, field_info

    committed = (ROOT / "results" / "dataset" / NAME).read_text(encoding="utf-8")
    assert committed == dumps(field_info()), "stale _fields.json: run `accel build`"


def test_views_take_units_labels_presets_and_inputs_from_the_registry():
    from harness.dataset.registry import registry

    reg = registry()
    for name, fld in reg.value_fields.items():
        if fld.unit and fld.unit not in ("dimensionless",):
            assert F.unit(name) == F.DISPLAY_UNITS.get(fld.unit, fld.unit), name
    acc_cols = set(reg.tables["accelerators"].columns) - {"accelerator_id"}
    derived = {n for n in acc_cols if reg.column(n).derived and reg.column(n).inputs}
    assert derived == set(F.DERIVED)
    assert set(F.IDENTITY) <= acc_cols and set(F.PEAKS) == set(reg.peak_fields)
    assert F.PRESETS == {k: tuple(v) for k, v in reg.presets.items()}
    assert F.LABELS["bf16_tflops"] == reg.value_fields["bf16_tflops"].label
    assert json.loads((ROOT / "results" / "dataset" / "_fields.json").read_text())["precisions"]["bf16"]["torch"] == \
        reg.precisions["bf16"].torch


def test_number_format():
    assert [fmt_number(x) for x in (989.5, 1979.0, 3.35, 4.0, 128.125, 0.0123)] == [
        "989.5", "1,979", "3.35", "4", "128.1", "0.0123"]
