"""Evidence gathering and scores on a small hand-made oplists tree (plus probes)."""

import pandas as pd
import pytest
import yaml

from harness.readiness import build as readiness_build
from harness.readiness import opcoverage as build, snapshot
from harness.errors import UserError


def _tree(tmp_path):
    ol = tmp_path / "oplists"
    ref = {"reference_set": "core", "torch_version": "9.0.0",
           "ops": [{"op": o, "kind": "functional"} for o in ("abs", "add.Tensor", "mm", "erf")]}
    snapshot.write(ol / "reference/core-9.0.0.yaml", ref, "test")
    snapshot.write(ol / "reference/cuda-backed-9.0.0.yaml",
                   {**ref, "reference_set": "cuda-backed", "ops": ref["ops"][1:3]}, "test")
    snapshot.write(ol / "cann/s1.yaml", {
        "stack": "cann", "importer": "ascend", "as_of": "2026-01-01",
        "sources": {"op-plugin": {"repo": "Ascend/op-plugin", "commit": "abc", "date": "2026-01-01"}},
        "entries": [
            {"op": "abs", "status": "declared_supported", "source": "op-plugin"},
            {"op": "add.Tensor", "status": "declared_supported", "source": "op-plugin"},
            {"op": "add.Tensor", "dtype": "float32", "status": "declared_unsupported",
             "source": "op-plugin"},
            {"op": "mm", "scope": "Atlas A2", "status": "declared_unsupported", "source": "op-plugin"},
        ]}, "test")
    # an older snapshot of the same importer must be ignored
    snapshot.write(ol / "cann/s0.yaml", {"stack": "cann", "importer": "ascend", "as_of": "2025-01-01",
                                         "entries": [{"op": "erf", "status": "declared_supported"}]},
                   "test")
    (ol / "ggml").mkdir()
    (ol / "ggml/cpu.yaml").write_text("backend: cpu\nops: [ADD]\n")  # someone else's format
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (stacks / "ppu-sdk.yaml").write_text("id: ppu-sdk\nname: PPU SDK\n")
    return ol, stacks


def _probe(tmp_path, rows, device="npu", run="r1", stack=None):
    """Probe results written by the probe harness's own store, so the formats cannot drift apart."""
    from harness.runs.store import RunStore

    full = [{"sample_dtype": r["dtype"], "wall_time_ms": 1.0, "torch_version": "2.13.0",
             "harness_version": "0.1.0", **r} for r in rows]
    store = RunStore(tmp_path / "probes", "probe_results", device, run, stack_id=stack)
    store.append(full)
    store.flush()  # rows become a Parquet part (the store batches its writes)
    return tmp_path / "probes"


def _build(tmp_path, probes=None):
    ol, stacks = _tree(tmp_path)
    return build.build_tables(ol, probes or tmp_path / "none", stacks, tmp_path / "noaccel")


def _row(cov, stack, ref="core", dtype="*", scope="*"):
    sel = cov[(cov.stack_id == stack) & (cov.reference_set == ref) & (cov.dtype == dtype)
              & (cov.device_scope == scope)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_scores_keep_tiers_apart(tmp_path):
    cov = _build(tmp_path)["op_coverage"]
    r = _row(cov, "cann")
    assert (r.n_declared_supported, r.n_unknown, r.n_reference_ops) == (2, 2, 4)
    assert r.declared_supported_share == pytest.approx(0.5) and r.unknown_share == pytest.approx(0.5)
    assert r.as_of_date == "2026-01-01"
    a2 = _row(cov, "cann", scope="Atlas A2")
    assert a2.n_declared_unsupported == 1  # product-scoped ✘ outranks nothing broader here
    f32 = _row(cov, "cann", dtype="float32")
    assert f32.n_declared_unsupported == 1 and f32.n_unknown == 3


def test_undocumented_stack_is_not_zero(tmp_path):
    cov = _build(tmp_path)["op_coverage"]
    r = _row(cov, "ppu-sdk")
    assert r.coverage_state == "undocumented"
    assert pd.isna(r.declared_supported_share) and pd.isna(r.n_unknown)
    assert "ggml" not in set(cov.stack_id)


def test_probes_are_measured_evidence(tmp_path):
    probes = _probe(tmp_path, [
        {"op": "abs", "dtype": "float32", "probe_outcome": "pass"},
        {"op": "mm", "dtype": "float32", "probe_outcome": "mismatch"},
        {"op": "erf", "dtype": "float32", "probe_outcome": "no-sample"},
    ])
    t = _build(tmp_path, probes)
    ev = t["op_evidence"]
    probe = ev[ev.evidence_source == "probe"]
    assert set(zip(probe.op, probe.dtype, probe.evidence_status, strict=True)) >= {
        ("abs", "float32", "measured_pass"), ("mm", "float32", "measured_fail"),
        ("abs", "*", "measured_pass")}
    assert "erf" not in set(probe.op)
    r = _row(t["op_coverage"], "cann")
    assert (r.n_measured_pass, r.n_measured_fail) == (1, 1)
    # shares are the resolved counts over the reference set: a probed op counts as measured
    assert r.declared_supported_share == pytest.approx(r.n_declared_supported / r.n_reference_ops)


def test_every_reference_op_has_a_row_per_stack(tmp_path):
    ev = _build(tmp_path)["op_evidence"]
    cann = ev[(ev.stack_id == "cann") & (ev.dtype == "*") & (ev.device_scope == "*")]
    assert set(cann.op) >= {"abs", "add.Tensor", "mm", "erf"}
    assert cann.set_index("op").loc["erf", "evidence_status"] == "unknown"


def test_write_is_atomic_and_keeps_other_tables(tmp_path):
    from harness.atomic import atomic_dir

    out = tmp_path / "coverage"
    with atomic_dir(out, "coverage") as tmp:  # another builder's table, written by accel
        (tmp / "api_coverage.parquet").write_bytes(b"theirs")
    tables = _build(tmp_path)
    readiness_build.write(out, tables)
    assert (out / "op_coverage.parquet").exists() and (out / "api_coverage.parquet").read_bytes() == b"theirs"

    class Boom(dict):
        def items(self):
            raise RuntimeError("fail mid-write")

    with pytest.raises(RuntimeError):
        readiness_build.write(out, Boom(tables))
    assert (out / "op_coverage.parquet").exists()  # previous results untouched


def test_write_never_replaces_a_folder_accel_did_not_write(tmp_path):
    out = tmp_path / "coverage"
    out.mkdir()
    (out / "api_coverage.parquet").write_bytes(b"theirs")  # looks like a table; no manifest
    with pytest.raises(UserError, match="refusing to replace"):
        readiness_build.write(out, _build(tmp_path))
    assert sorted(p.name for p in out.iterdir()) == ["api_coverage.parquet"]


def test_bad_snapshot_is_one_clear_error(tmp_path):
    ol, stacks = _tree(tmp_path)
    (ol / "cann/s2.yaml").write_text(yaml.safe_dump(
        {"stack": "cann", "importer": "ascend", "entries": [{"op": "x", "status": "works"}]}))
    with pytest.raises(UserError, match=r"s2.yaml: entries\[0\]"):
        build.build_tables(ol, tmp_path / "none", stacks, tmp_path / "noaccel")


@pytest.mark.parametrize("folder, text", [
    ("stacks", "id: broken\nname: [unclosed\n"),
    ("accelerators", "id: demo/x\nstacks:\n  - cann\n bad: indent\n"),
])
def test_malformed_spec_yaml_is_an_error_naming_the_file_and_line(tmp_path, folder, text):
    ol, stacks = _tree(tmp_path)
    accel = tmp_path / "accelerators"
    bad = (stacks if folder == "stacks" else accel / "demo") / "broken.yaml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text(text)
    with pytest.raises(UserError, match=rf"{bad}:\d+: invalid YAML"):
        build.build_tables(ol, tmp_path / "none", stacks, accel)


def _accounting_tree(tmp_path):
    """Two stacks, one reference set of five ops, two of them composite in torch."""
    ol = tmp_path / "oplists"
    ops = [{"op": "abs", "kind": "functional"}, {"op": "mm", "kind": "functional"},
           {"op": "flip", "kind": "functional", "composite": True},
           {"op": "logical_and", "kind": "functional", "composite": True},
           {"op": "erf", "kind": "functional"}]
    ref = {"reference_set": "core", "torch_version": "9.0.0", "ops": ops}
    snapshot.write(ol / "reference/core-9.0.0.yaml", ref, "test")
    snapshot.write(ol / "reference/cuda-backed-9.0.0.yaml", {**ref, "reference_set": "cuda-backed",
                                                             "ops": ops[:2]}, "test")
    snapshot.write(ol / "cuda/pytorch-9.0.0.yaml", {
        "stack": "cuda", "importer": "pytorch", "evaluated_for_torch": "9.0.0",
        "entries": [{"op": "abs", "status": "declared_supported", "source": "native_functions"},
                    {"op": "mm", "status": "declared_supported", "source": "native_functions"},
                    {"op": "erf", "status": "declared_supported", "source": "native_functions"},
                    {"op": "flip", "status": "via_decomposition", "source": "composite"},
                    {"op": "logical_and", "status": "via_decomposition", "source": "composite"}]}, "test")
    snapshot.write(ol / "cann/s.yaml", {
        "stack": "cann", "importer": "ascend", "entries": [
            {"op": "abs", "status": "declared_supported", "source": "op-plugin"},
            {"op": "mm", "status": "declared_supported", "source": "op-plugin"},
            {"op": "mm", "dtype": "float32", "status": "known_failure", "source": "opinfo-failures"},
            {"op": "abs", "dtype": "float32", "status": "declared_supported", "source": "api-docs"},
            {"op": "flip", "status": "declared_supported", "source": "op-plugin"}]}, "test")
    return build.build_tables(ol, tmp_path / "none", tmp_path / "nostacks", tmp_path / "noaccel")


def test_composite_ops_follow_one_rule_on_every_stack(tmp_path):
    t = _accounting_tree(tmp_path)
    cuda, cann = _row(t["op_coverage"], "cuda"), _row(t["op_coverage"], "cann")
    # CUDA's composite ops are not its kernels: they count as via_decomposition, as on CANN
    assert (cuda.n_declared_supported, cuda.n_via_decomposition) == (3, 2)
    # CANN lists its own flip kernel (direct evidence wins); logical_and runs by decomposition;
    # erf is neither listed nor composite: unknown
    assert (cann.n_declared_supported, cann.n_via_decomposition, cann.n_unknown) == (3, 1, 1)
    ev = t["op_evidence"]
    row = ev[(ev.stack_id == "cann") & (ev.op == "logical_and")].iloc[0]
    assert row.evidence_status == "via_decomposition" and row.source_path.endswith("native_functions.yaml")
    assert cann.declared_or_decomposed_share == pytest.approx(4 / 5)


def test_known_test_failures_are_their_own_tier_never_unsupported(tmp_path):
    cov = _accounting_tree(tmp_path)["op_coverage"]
    f32 = _row(cov, "cann", dtype="float32")
    assert f32.n_known_failure == 1 and f32.n_declared_unsupported == 0
    assert _row(cov, "cann").n_declared_unsupported == 0  # the op level is untouched


def test_a_dtype_with_no_evidence_is_no_evidence_not_zero(tmp_path):
    cov = _accounting_tree(tmp_path)["op_coverage"]
    bf16 = _row(cov, "cann", dtype="bfloat16")
    assert bf16.coverage_state == "no_dtype_evidence"
    assert pd.isna(bf16.declared_supported_share) and pd.isna(bf16.n_unknown)


@pytest.mark.parametrize("tree", ["plain", "accounting"])
def test_every_share_equals_its_counts(tmp_path, tree):
    t = _build(tmp_path) if tree == "plain" else _accounting_tree(tmp_path)
    cov = t["op_coverage"]
    scored = cov[cov.coverage_state == "scored"]
    assert len(scored)
    counts = ["n_measured_pass", "n_measured_fail", "n_declared_supported", "n_declared_unsupported",
              "n_known_failure", "n_fallback", "n_via_decomposition", "n_unknown"]
    for r in scored.itertuples(index=False):
        assert sum(getattr(r, c) for c in counts) == r.n_reference_ops
        n = r.n_reference_ops
        assert r.declared_supported_share == pytest.approx(r.n_declared_supported / n)
        assert r.declared_or_decomposed_share == pytest.approx(
            (r.n_declared_supported + r.n_via_decomposition) / n)
        assert r.unknown_share == pytest.approx(r.n_unknown / n)
        assert r.measured_pass_share == pytest.approx(r.n_measured_pass / n)


def test_probe_runs_count_for_the_stack_they_are_filed_under(tmp_path):
    """A ROCm run (torch device type cuda) is ROCm's evidence, never CUDA's; a CPU run is nobody's;
    a failed CPU reference is the harness's failure, not the stack's."""
    from harness.readiness import oprows as evidence

    rows = [{"op": "abs", "dtype": "float32", "probe_outcome": "pass"},
            {"op": "mm", "dtype": "float32", "probe_outcome": "reference-failed"},
            {"op": "erf", "dtype": "float32", "probe_outcome": "no-reference"}]
    probes = _probe(tmp_path, rows, device="cuda", run="r1", stack="rocm")
    _probe(tmp_path, [{"op": "abs", "dtype": "float32", "probe_outcome": "mismatch"}], device="cpu", run="r2")
    got = evidence.probe_rows(probes)
    assert {r["stack_id"] for r in got} == {"rocm"}
    assert {(r["op"], r["evidence_status"]) for r in got} == {("abs", "measured_pass")}
    assert all("stack_id=rocm" in r["snapshot_path"] for r in got)
