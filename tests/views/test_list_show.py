"""`accel list` filters and `accel show` provenance."""

from __future__ import annotations

import csv
import io
import json


def test_list_filters(accel, dataset):
    code, out, _ = accel("list", "--market", "china-specific", "--format", "csv")
    assert code == 0
    assert [r["accelerator_id"] for r in csv.DictReader(io.StringIO(out))] == ["sino/p900"]
    code, out, _ = accel("list", "--vendor", "DEMO", "--status", "shipping", "--format", "json")
    assert [r["accelerator_id"] for r in json.loads(out)] == ["demo/base-pcie", "demo/base-sxm"]


def test_list_unknown_filter_value_is_an_error(accel, dataset):
    code, _, err = accel("list", "--vendor", "dmeo")
    assert code == 2 and "did you mean 'demo'" in err
    code, _, err = accel("list", "--format", "xml")
    assert code == 2 and "unknown format" in err


def test_list_known_value_with_no_match_is_empty_not_an_error(accel, dataset):
    code, out, err = accel("list", "--vendor", "sino", "--status", "shipping", "--format", "json")
    assert code == 0 and json.loads(out) == [] and "no accelerator" in err


def test_show_plain_has_provenance(accel, dataset):
    code, out, _ = accel("show", "昆仑芯 P900")
    assert code == 0
    assert "Sino P900  (sino/p900)" in out
    assert "https://example.com/p900-press" in out and "Press report" in out
    assert "Unknown (no source found):" in out and "bf16_tflops" in out.split("Unknown")[1]
    assert "informational, not a legal determination" in out


def test_show_json_states_tiers_and_derivations(accel, dataset):
    code, out, _ = accel("show", "base-sxm", "--format", "json")
    doc = json.loads(out)
    vals = {v["field"]: v for v in doc["values"]}
    assert vals["bf16_tflops"]["value"] == 1000 and vals["bf16_tflops"]["basis"] == "sparse"
    assert "sparse" in vals["bf16_tflops"]["derivation"]
    assert vals["fp4_tflops"]["state"] == "unsupported"
    assert vals["tdp_w"]["tier"] == "reported" and vals["fp64_tflops"]["state"] == "unknown"
    derived = {d["field"]: d for d in doc["derived"]}
    assert derived["machine_balance_flop_per_byte"]["value"] == 250
    assert derived["tpp"]["informational"] == "informational, not a legal determination"
    assert derived["tpp"]["is_lower_bound"] is True                 # other precisions unknown
