"""`accel crosscheck epoch`: name mapping, unit conversion, verdicts, and never touching the specs."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from harness.release.crosscheck import COLUMNS, HALF16, LINK_COL, MAKER_COL, NAME_COL, NOTES_COL
from tests.conftest import ROOT

REFERENCE = ROOT / "specs" / "upstream" / "epoch" / "epoch_ml_hardware_2025-12-24.csv"
HEADER = [NAME_COL, MAKER_COL, NOTES_COL, LINK_COL] + sorted({c for c, _, _ in COLUMNS} | {HALF16})


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


def mapping(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def epoch(tmp_path):
    rows = [
        {NAME_COL: "NVIDIA H100 SXM5 80GB", MAKER_COL: "NVIDIA", NOTES_COL: "Listed without sparsity.",
         LINK_COL: "https://example.com/h100",
         "Tensor-FP16/BF16 performance (FLOP/s)": "9.894e14",      # agrees with 989.5 TFLOPS
         "Memory bandwidth (byte/s)": "3350000000000",              # agrees, 3.35 TB/s
         "TDP (W)": "800",                                          # differs from 700 W
         "Intranode bandwidth (byte/s)": "9e11",                    # 900 GB/s bidirectional
         "Transistors (millions)": "80000"},                        # 80 billion
        # not in the mapping file: matched through our alias "HGX H20"
        {NAME_COL: "NVIDIA HGX H20", MAKER_COL: "NVIDIA", "Memory (bytes)": "96000000000",
         HALF16: "1.48e14", "Die Size (mm^2)": "814"},
        {NAME_COL: "Blocked Chip", MAKER_COL: "Nobody", "TDP (W)": "1"},
    ]
    csv_path = write_csv(tmp_path / "epoch.csv", rows)
    map_path = mapping(tmp_path / "names.yaml", 'matches:\n  "NVIDIA H100 SXM5 80GB": nvidia/h100-sxm5\n'
                                               'not_matched:\n  "Blocked Chip": "reviewed: not ours"\n')
    return csv_path, map_path


def _rows(out):
    return {(r["accelerator_id"], r["field"]): r for r in csv.DictReader(io.StringIO(out))}


def test_verdicts_units_and_sources(epoch, accel):
    csv_path, map_path = epoch
    code, out, err = accel("crosscheck", "epoch", csv_path, "--mapping", map_path, "--format", "csv")
    assert code == 0, err
    rows = _rows(out)
    assert rows[("nvidia/h100-sxm5", "bf16_tflops")]["verdict"] == "agree"
    assert rows[("nvidia/h100-sxm5", "memory_bandwidth_tbps")]["theirs"] == "3.35"
    assert rows[("nvidia/h100-sxm5", "scaleup_bandwidth_gbps")]["theirs"] == "900"
    assert rows[("nvidia/h100-sxm5", "transistors_billion")]["theirs"] == "80"
    tdp = rows[("nvidia/h100-sxm5", "tdp_w")]
    assert tdp["verdict"] == "differ" and (tdp["ours"], tdp["theirs"]) == ("700", "800")
    assert tdp["our_source"].startswith("http") and tdp["our_tier"] in ("official", "reported", "estimated")
    assert tdp["their_source"] == "https://example.com/h100"
    assert rows[("nvidia/h100-sxm5", "memory_capacity_gb")]["verdict"] == "only-ours"
    # alias match, and FP16 half precision used for fp16 only because the tensor column is empty
    fp16 = rows[("nvidia/h20", "fp16_tflops")]
    assert fp16["verdict"] == "agree" and fp16["epoch_column"] == HALF16
    assert ("nvidia/h20", "bf16_tflops") not in rows or rows[("nvidia/h20", "bf16_tflops")]["verdict"] == "only-ours"
    assert not [r for r in rows.values() if r["epoch_name"] == "Blocked Chip"]


def test_tolerance_turns_a_difference_into_agreement(epoch, accel):
    csv_path, map_path = epoch
    out = accel("crosscheck", "epoch", csv_path, "--mapping", map_path, "--format", "csv", "--tolerance", "0.2")[1]
    assert _rows(out)[("nvidia/h100-sxm5", "tdp_w")]["verdict"] == "agree"


def test_plain_report_summarises_and_lists_sparsity_notes(epoch, accel):
    csv_path, map_path = epoch
    code, out, _ = accel("crosscheck", "epoch", csv_path, "--mapping", map_path)
    assert code == 0
    assert "never a source" in out and "1 differ" in out
    assert "NVIDIA H100 SXM5 80GB: Listed without sparsity." in out
    assert "NVIDIA HGX H20 -> nvidia/h20" in out  # alias matches are shown for review


def test_user_mistakes_are_clean_errors(epoch, tmp_path, accel):
    csv_path, map_path = epoch
    bad_map = mapping(tmp_path / "bad.yaml", 'matches:\n  "NVIDIA H100 SXM5 80GB": nvidia/h100-sxm\n')
    code, _, err = accel("crosscheck", "epoch", csv_path, "--mapping", bad_map)
    assert code == 2 and "not in the dataset" in err and "did you mean 'nvidia/h100-sxm5'" in err
    code, _, err = accel("crosscheck", "epok", csv_path)
    assert code == 2 and "did you mean 'epoch'" in err
    code, _, err = accel("crosscheck", "epoch", tmp_path / "missing.csv")
    assert code == 2 and "cannot read" in err
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    code, _, err = accel("crosscheck", "epoch", tmp_path / "other.csv")
    assert code == 2 and "Hardware name" in err
    code, _, err = accel("crosscheck", "epoch", csv_path, "--tolerance", "5")
    assert code == 2 and "fraction" in err
    assert all("Traceback" not in e for e in (err,))


def _tree_hash(root):
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def test_real_epoch_file_is_reported_and_specs_are_untouched(accel):
    before = _tree_hash(ROOT / "specs" / "crosscheck"), _tree_hash(ROOT / "specs" / "accelerators")
    code, out, err = accel("crosscheck", "epoch", REFERENCE, "--format", "csv")
    assert code == 0, err
    rows = _rows(out)
    assert len({r["accelerator_id"] for r in rows.values()}) >= 15  # every reviewed match found its row
    assert rows[("nvidia/h100-sxm5", "bf16_tflops")]["verdict"] == "agree"
    h800 = rows[("nvidia/h800-sxm", "fp64_tflops")]  # Epoch carries an H100-like FP64: reviewed, explained
    assert h800["verdict"] == "explained" and "1 TFLOPS" in h800["explanation"]
    assert (_tree_hash(ROOT / "specs" / "crosscheck"), _tree_hash(ROOT / "specs" / "accelerators")) == before


def test_the_shipped_dataset_has_no_unexplained_difference_from_epoch(accel):
    """Every difference from Epoch is fixed or explained (specs/crosscheck/epoch-explained.yaml);
    an explanation holds only while Epoch prints the value it explains."""
    code, out, err = accel("crosscheck", "epoch", REFERENCE, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and not [r for r in rows if r["verdict"] == "differ"]
    explained = [r for r in rows if r["verdict"] == "explained"]
    assert explained and all(r["explanation"].strip() for r in explained)


def test_an_explanation_stops_holding_when_epoch_changes(epoch, accel, tmp_path):
    csv_path, map_path = epoch
    text = ("explained:\n  - {accelerator: nvidia/h100-sxm5, field: tdp_w, epoch: 800, why: \"a reason\"}\n")
    (tmp_path / "ex.yaml").write_text(text)
    code, out, _ = accel("crosscheck", "epoch", csv_path, "--mapping", map_path, "--explained", tmp_path / "ex.yaml",
                         "--format", "csv")
    assert _rows(out)[("nvidia/h100-sxm5", "tdp_w")]["verdict"] == "explained"
    (tmp_path / "ex.yaml").write_text(text.replace("epoch: 800", "epoch: 900"))
    code, out, _ = accel("crosscheck", "epoch", csv_path, "--mapping", map_path, "--explained", tmp_path / "ex.yaml",
                         "--format", "csv")
    assert _rows(out)[("nvidia/h100-sxm5", "tdp_w")]["verdict"] == "differ"


def test_a_bad_explanations_file_is_one_line(epoch, accel, tmp_path):
    csv_path, map_path = epoch
    (tmp_path / "ex.yaml").write_text("explained:\n  - {accelerator: nvidia/nope, field: tdp_w, epoch: 1, why: x}\n")
    code, _, err = accel("crosscheck", "epoch", csv_path, "--mapping", map_path, "--explained", tmp_path / "ex.yaml")
    assert code == 2 and "not an accelerator id" in err and "Traceback" not in err
