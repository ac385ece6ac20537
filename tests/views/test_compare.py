"""`accel compare`: markers follow spec_values, ratios never use unknowns, raw formats carry no markers."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from harness.views.table import LEGEND

IDS = ("base-sxm", "base-pcie", "p900")


def _rows(text: str) -> dict[str, list[str]]:
    """Plain table -> {row label: cells}, splitting on runs of 2+ spaces."""
    import re

    out = {}
    for line in text.split("\n\n")[0].splitlines()[1:]:
        parts = re.split(r"\s{2,}", line.strip())
        if parts and not set(parts[0]) <= {"-", " "}:
            out.setdefault(parts[0], parts[1:])
    return out


def test_markers_match_tiers_and_states(accel, dataset):
    code, out, err = accel("compare", *IDS, "--fields", "bf16_tflops,memory_bandwidth_tbps,tdp_w,fp4_tflops,"
                           "die_area_mm2")
    assert code == 0, err
    vals = pd.read_parquet(dataset / "spec_values.parquet").set_index(["accelerator_id", "field"])
    rows = _rows(out)
    assert rows["BF16 dense (TFLOPS)"] == ["1,000*", "750†", "?"]        # official+sparse, reported, unknown
    assert vals.loc[("demo/base-sxm", "bf16_tflops"), "basis"] == "sparse"
    assert rows["Memory bandwidth (TB/s)"] == ["4", "2~", "?"]           # estimated source -> ~
    assert rows["TDP (W)"] == ["700†", "?", "400"]
    assert rows["FP4 dense (TFLOPS)"][0] == "n/s"
    assert rows["Die area (mm²)"][1] == "n/d"
    for marker in ("†", "~", "*", "?", "n/s", "n/d"):
        assert f"{marker} {LEGEND[marker]}" in out


def test_ratios_only_from_two_known_values(accel, dataset):
    code, out, _ = accel("compare", *IDS, "--baseline", "base-sxm", "--fields", "bf16_tflops,tdp_w",
                         "--format", "csv")
    assert code == 0
    recs = {(r["accelerator_id"], r["field"]): r for r in csv.DictReader(io.StringIO(out))}
    assert float(recs[("demo/base-pcie", "bf16_tflops")]["ratio_to_baseline"]) == pytest.approx(0.75)
    assert recs[("sino/p900", "bf16_tflops")]["ratio_to_baseline"] == ""       # value unknown
    assert recs[("demo/base-pcie", "tdp_w")]["ratio_to_baseline"] == ""        # value unknown
    code, out, _ = accel("compare", *IDS, "--baseline", "p900", "--fields", "bf16_tflops", "--format", "json")
    doc = json.loads(out)
    assert all(v["ratio_to_baseline"] is None for v in doc["values"])           # baseline unknown


def test_ratio_row_is_blank_where_the_baseline_is_unsupported(accel, dataset):
    code, out, _ = accel("compare", "base-sxm", "base-pcie", "--baseline", "base-sxm", "--fields", "fp4_tflops")
    assert code == 0
    ratio = _rows(out).get("↳ ratio to Base SXM", [])
    assert ratio == []                                 # no cell has a ratio


def test_baseline_is_added_first_when_not_listed(accel, dataset):
    code, out, _ = accel("compare", "p900", "--baseline", "base-pcie", "--format", "json")
    assert [a["accelerator_id"] for a in json.loads(out)["accelerators"]] == ["demo/base-pcie", "sino/p900"]


def test_csv_and_json_carry_raw_numbers_and_no_markers(accel, dataset):
    code, out, _ = accel("compare", *IDS, "--preset", "overview", "--format", "csv")
    assert code == 0
    assert not any(m in out for m in ("†", "‡", "n/d", "n/s", "×"))
    recs = list(csv.DictReader(io.StringIO(out)))
    bf16 = next(r for r in recs if r["accelerator_id"] == "demo/base-sxm" and r["field"] == "bf16_tflops")
    assert (bf16["value"], bf16["state"], bf16["tier"], bf16["basis"]) == ("1000.0", "known", "official", "sparse")
    assert {r["state"] for r in recs} >= {"known", "unknown", "unsupported"}
    doc = json.loads(accel("compare", *IDS, "--format", "json")[1])
    assert {v["state"] for v in doc["values"]} >= {"known", "unknown"}


def test_sources_listed_under_the_table(accel, dataset):
    code, out, _ = accel("compare", *IDS, "--fields", "bf16_tflops", "--format", "github")
    assert code == 0
    assert "1. [Base datasheet](https://example.com/base-sxm-ds) (official)" in out
    assert "https://example.com/base-pcie-press" in out
    assert out.startswith("| field")


@pytest.mark.parametrize("fmt,probe", [("latex", "\\toprule"), ("html", "<table>"), ("plain", "Sources:")])
def test_other_formats(accel, dataset, fmt, probe):
    code, out, _ = accel("compare", *IDS, "--format", fmt)
    assert code == 0 and probe in out


def test_export_preset_is_labelled_informational(accel, dataset):
    code, out, _ = accel("compare", *IDS, "--preset", "export")
    assert code == 0 and "not a legal determination" in out


def test_out_replaces_the_file_and_leaves_no_temporary(accel, dataset, tmp_path):
    target = tmp_path / "cmp.md"
    target.write_text("old")
    code, out, err = accel("compare", *IDS, "--out", target)          # format from the extension
    assert code == 0 and out == "" and "wrote" in err
    assert target.read_text(encoding="utf-8").startswith("| field")
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.md"]          # no temporary left behind


def test_a_failed_write_leaves_the_old_file(accel, dataset, tmp_path, monkeypatch):
    import harness.atomic as atomic

    target = tmp_path / "cmp.csv"
    target.write_text("old")
    real = atomic.os.replace

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", fail)
    code, _, err = accel("compare", *IDS, "--out", target)
    monkeypatch.setattr(atomic.os, "replace", real)
    assert code == 2 and "No space left" in err and "Traceback" not in err
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["cmp.csv"]


@pytest.mark.parametrize("args,message", [
    (("--format", "githb"), "did you mean 'github'"),
    (("--fields", "bf16_tflosp"), "did you mean 'bf16_tflops'"),
    (("--fields", "fp64"), "fp64_tensor_tflops"),
    (("--preset", "memroy"), "did you mean 'memory'"),
    (("--preset", "memory", "--fields", "tdp_w"), "not both"),
    (("--baseline", "nope"), "no accelerator matches 'nope'"),
])
def test_user_mistakes_give_one_clean_message(accel, dataset, args, message):
    code, out, err = accel("compare", *IDS, *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_compare_imports_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys; from harness.cli import main; main(['compare', 'h100-sxm5', 'h20', '--format', 'csv']);"
            "heavy = [m for m in ('pandera', 'pint', 'yaml', 'matplotlib', 'torch') if m in sys.modules];"
            "sys.stderr.write(repr(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().endswith("[]"), proc.stderr


def test_unstated_basis_is_marked_and_left_out_of_tpp(tmp_path):
    """A figure whose source does not say dense or sparse keeps its value, gets its own marker,
    and does not feed TPP (halving it or not would change the export-control class)."""
    import textwrap

    from harness.cli import main

    d = tmp_path / "specs" / "accelerators" / "demo"
    d.mkdir(parents=True)
    (d / "vague.yaml").write_text(textwrap.dedent("""\
        id: demo/vague
        name: Vague X
        vendor: demo
        status: shipping
        market: global
        sources:
          press: {title: A review, url: "https://example.com/r", accessed: "2026-11-28", tier: reported}
        values:
          fp16_tflops: {value: 800, basis: unstated, source: press, locator: "Table 1"}
        """))
    out = tmp_path / "out"
    assert main(["build", "--specs", str(tmp_path / "specs"), "--out", str(out), "--dataset-only"]) == 0
    import pandas as pd

    acc = pd.read_parquet(out / "accelerators.parquet").iloc[0]
    assert acc["fp16_tflops"] == 800 and pd.isna(acc["tpp"]) and acc["eccn_3a090_2023"] == "indeterminate"
    from harness.views.data import Atlas
    from harness.views.table import markers

    assert "°" in markers(Atlas(out).cell("demo/vague", "fp16_tflops"))


def test_markers_come_from_the_build_not_recomputed(accel, tmp_path):
    """The build writes each derived metric's tier and flags (derived_values) and each value's
    dispute flag (spec_values.is_disputed); views only read them: change them and the table follows."""
    import shutil

    import pandas as pd

    from tests.conftest import ROOT

    d = tmp_path / "dataset"
    shutil.copytree(ROOT / "results" / "dataset", d)
    (d / "accel-manifest.json").unlink()
    dv = pd.read_parquet(d / "derived_values.parquet")
    sel = (dv["accelerator_id"] == "nvidia/h20") & (dv["field"] == "tpp")
    assert dv.loc[sel, "is_lower_bound"].all() and (dv.loc[sel, "tier"] == "reported").all()
    dv.loc[sel, "is_lower_bound"] = False
    dv.loc[sel, "tier"] = "official"
    dv.to_parquet(d / "derived_values.parquet")
    sv = pd.read_parquet(d / "spec_values.parquet")
    sv.loc[(sv["accelerator_id"] == "nvidia/h20") & (sv["field"] == "tdp_w"), "is_disputed"] = True
    sv.to_parquet(d / "spec_values.parquet")
    code, out, _ = accel("compare", "h20", "--preset", "export", "--results", d)
    tpp = next(ln for ln in out.splitlines() if ln.startswith("TPP "))
    assert "≥" not in tpp and "†" not in tpp
    code, out, _ = accel("compare", "h20", "--fields", "tdp_w", "--results", d)
    assert "400†‡" in out


def test_csv_users_get_the_same_markers_as_the_terminal():
    import pandas as pd

    from tests.conftest import ROOT

    dv = pd.read_csv(ROOT / "results" / "dataset" / "derived_values.csv")
    row = dv[(dv["accelerator_id"] == "nvidia/h20") & (dv["field"] == "tpp")].iloc[0]
    assert bool(row["is_lower_bound"]) and row["tier"] == "reported"
    sv = pd.read_csv(ROOT / "results" / "dataset" / "spec_values.csv")
    assert sv["is_disputed"].any()
