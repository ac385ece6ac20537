"""The fused-kernel and collective table: every symbol checked against the file it cites."""

from pathlib import Path

import pytest

from harness.readiness.errors import InputError
from harness.readiness.importers import llm_kernels
from harness.paths import ROOT, SPECS

OPS = "entries:\n- {op: _scaled_mm, status: declared_supported}\n- {op: mm, status: declared_supported}\n"
STACK = 'id: s\ncapabilities:\n  collectives: {status: native, detail: "XCCL: AllReduce, AllGather; PCIe"}\n'


def _table(tmp_path, entries: str) -> Path:
    (tmp_path / "ops.yaml").write_text(OPS)
    (tmp_path / "s.yaml").write_text(STACK)
    t = tmp_path / "kernels.yaml"
    t.write_text("kernels:\n  fp8_scaled_mm: x\n  rms_norm: y\ncollectives:\n  all_reduce: AllReduce\n"
                 "  all_to_all: AlltoAll\nsources:\n  ops: {kind: op-list, file: ops.yaml, key: op}\n"
                 "  cap: {kind: capability, file: s.yaml}\nstacks:\n" + entries)
    return t


def test_declared_cells_name_their_symbols_and_absent_ones_are_no_statement(tmp_path):
    t = _table(tmp_path, "  s:\n    fp8_scaled_mm: {source: ops, symbols: [_scaled_mm]}\n"
                         "    all_reduce: {source: cap, symbols: [AllReduce]}\n    _note: elsewhere\n")
    rows = {r["llm_kernel"]: r for r in llm_kernels.read(t, tmp_path)}
    assert rows["fp8_scaled_mm"]["kernel_status"] == "declared"
    assert rows["all_reduce"]["locator"] == "capabilities.collectives"
    assert rows["rms_norm"]["kernel_status"] == "not-in-files-read" and rows["rms_norm"]["note"] == "elsewhere"
    assert rows["all_to_all"]["kernel_status"] == "not-in-files-read"  # not named in the capability text


@pytest.mark.parametrize("entries, message", [
    ("  s:\n    fp8_scaled_mm: {source: ops, symbols: [_scaled_mm_v2]}\n", "_scaled_mm_v2 not in ops.yaml"),
    ("  s:\n    all_to_all: {source: cap, symbols: [AlltoAll]}\n", "AlltoAll not in s.yaml"),
    ("  s:\n    flash_attn: {source: ops, symbols: [mm]}\n", "unknown kernel 'flash_attn'"),
    ("  s:\n    rms_norm: {source: nope, symbols: [mm]}\n", "unknown source 'nope'"),
    ("  s:\n    rms_norm: {source: ops, symbol: [mm]}\n", "unknown key 'symbol'"),
])
def test_a_claim_its_file_does_not_back_is_refused_with_its_line(tmp_path, entries, message):
    with pytest.raises(InputError, match=message) as exc:
        llm_kernels.read(_table(tmp_path, entries), tmp_path)
    assert exc.value.line and exc.value.line > 1


def test_the_committed_table_reads_and_every_declared_symbol_is_in_its_file():
    rows = llm_kernels.read(SPECS / llm_kernels.TABLE, ROOT)
    declared = [r for r in rows if r["kernel_status"] == "declared"]
    assert {r["stack_id"] for r in declared} >= {"cuda", "cann", "flagos"}
    # recount one source independently: op-plugin's custom section names npu_fusion_attention
    text = (ROOT / "specs/upstream/ascend/op_plugin_functions.yaml").read_text(encoding="utf-8")
    cann = next(r for r in declared if r["stack_id"] == "cann" and r["llm_kernel"] == "fused_attention")
    assert all(f"func: {s}(" in text for s in cann["kernel_symbols"].split(" | "))


@pytest.mark.parametrize("text, message", [
    ("kernels: &k {a: x}\ncollectives: *k\nsources: {}\nstacks: {}\n", "aliases are not allowed"),
    ("kernels: {a: x}\nkernels: {b: y}\n", "appears twice"),
    ("kernels: {a: 0x1F}\n", "decimal"),
])
def test_evidence_yaml_goes_through_the_one_strict_loader(tmp_path, text, message):
    """Hand-edited evidence files are read like spec files: no alias bombs, no silent duplicates."""
    t = tmp_path / "kernels.yaml"
    t.write_text(text)
    with pytest.raises(InputError, match=message) as exc:
        llm_kernels.read(t, tmp_path)
    assert exc.value.line >= 1
