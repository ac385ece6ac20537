"""`accel runs`: stored probe and bench runs listed and summed up (no torch needed)."""

import json

import pytest

from harness.runs import store as st
from harness.views import runs as runsummary


def probe_row(op, dtype="float32", outcome="pass"):
    return {"op": op, "dtype": dtype, "sample_dtype": dtype, "probe_outcome": outcome, "message": None,
            "max_abs_error": None, "max_rel_error": None, "atol": None, "rtol": None, "op_time_ms": None,
            "worker_time_ms": None, "wall_time_ms": 1.0, "note": None, "device_name": "Dev",
            "torch_version": "t", "harness_version": "h"}


def bench_row(suite, kernel, precision, size, measured, peak=None, outcome="ok"):
    gemm = suite == "gemm"
    return {"bench_suite": suite, "kernel": kernel, "precision": precision, "size": size, "flop_count": 0,
            "bytes_moved": 0, "repeats": 3, "iterations": 1, "median_ms": 1.0, "min_ms": 1.0,
            "measured_tflops": measured if gemm else None, "measured_tbps": None if gemm else measured,
            "peak_accelerator_id": "nvidia/h200-sxm" if peak else None,
            "peak_tflops": peak if gemm else None, "peak_tbps": None if gemm else peak,
            "fraction_of_peak": measured / peak if (peak and measured is not None) else None,
            "bench_outcome": outcome, "message": None if outcome == "ok" else "no such path",
            "device_name": "Dev", "torch_version": "t", "harness_version": "h"}


def make_run(root, kind, device_type, run_id, rows, start):
    folder, table = runsummary.KINDS[kind]
    store = st.RunStore(root / folder, table, device_type, run_id)
    store.append(rows)
    store.write_meta({"status": "complete", "start_time": start, "device_name": "Dev", "torch_version": "t",
                      "git_sha": "0123456789abcdef", "peak_accelerator_id": None, "peak_note": "none"})
    return store


@pytest.fixture
def results(tmp_path):
    make_run(tmp_path, "probe", "cuda", "20260101T000000Z-aaaaaa",
             [probe_row("abs"), probe_row("neg"), probe_row("relu", outcome="crash"),
              probe_row("abs", "bfloat16", "unsupported")], "2026-01-01T00:00:00+00:00")
    make_run(tmp_path, "probe", "cuda", "20260102T000000Z-bbbbbb",
             [probe_row("abs")], "2026-01-02T00:00:00+00:00")
    make_run(tmp_path, "bench", "cuda", "20260103T000000Z-cccccc",
             [bench_row("gemm", "matmul", "bf16", 1024, 300.0, 989.0),
              bench_row("gemm", "matmul", "bf16", 4096, 700.0, 989.0),
              bench_row("gemm", "matmul", "bf16", 8192, 650.0, 989.0),
              bench_row("gemm", "matmul", "fp8", 1024, None, outcome="unsupported"),
              bench_row("bandwidth", "copy", "fp32", 1 << 24, 3.9, 4.8)], "2026-01-03T00:00:00+00:00")
    return tmp_path


def test_probe_summary_counts_each_outcome_per_dtype(results):
    run = runsummary.select(runsummary.list_runs(results), ["20260101"])[0]
    rows = {r["dtype"]: r for r in runsummary.summary(run)["summary"]}
    assert rows["float32"]["pass"] == 2 and rows["float32"]["crash"] == 1 and rows["float32"]["total"] == 3
    assert rows["float32"]["pass_rate"] == pytest.approx(2 / 3)
    assert rows["bfloat16"]["unsupported"] == 1 and rows["bfloat16"]["pass_rate"] == 0


def test_bench_summary_takes_the_best_size_and_keeps_unsupported_cases(results):
    run = runsummary.select(runsummary.list_runs(results, kind="bench"), ["20260103T000000Z-cccccc"])[0]
    rows = {(r["kernel"], r["precision"]): r for r in runsummary.summary(run)["summary"]}
    bf16 = rows[("matmul", "bf16")]
    assert (bf16["size"], bf16["measured"], bf16["peak"]) == (4096, 700.0, 989.0)
    assert bf16["fraction_of_peak"] == pytest.approx(700 / 989)
    assert rows[("matmul", "fp8")]["outcome"] == "unsupported" and rows[("matmul", "fp8")]["measured"] is None
    copy = rows[("copy", "fp32")]
    assert copy["unit"] == "TB/s" and copy["fraction_of_peak"] == pytest.approx(3.9 / 4.8)


def test_list_is_oldest_first_and_filters_by_kind_and_device(results):
    runs = runsummary.list_runs(results)
    assert [r["run_id"][:8] for r in runs] == ["20260101", "20260102", "20260103"]
    assert [r["kind"] for r in runsummary.list_runs(results, kind="bench")] == ["bench"]
    assert runsummary.list_runs(results, device_type="meta") == []


def test_cli_lists_sums_up_and_picks_the_latest(accel, results):
    code, out, _ = accel("runs", "--root", results)
    assert code == 0 and all(i in out for i in ("aaaaaa", "bbbbbb", "cccccc"))
    code, out, _ = accel("runs", "--root", results, "--latest")
    assert code == 0 and "bbbbbb" in out and "aaaaaa" not in out and "70.8%" in out  # 700 / 989
    code, out, _ = accel("runs", "--root", results, "20260101", "--format", "json")
    assert code == 0 and json.loads(out)[0]["summary"][1]["crash"] == 1


def test_cli_refuses_unknown_and_ambiguous_ids_in_one_line(accel, results):
    code, _, err = accel("runs", "--root", results, "2026")
    assert code == 2 and "ambiguous" in err and err.count("\n") == 1
    code, _, err = accel("runs", "--root", results, "20260101T000000Z-aaaaab")
    assert code == 2 and "did you mean" in err and "aaaaaa" in err
    code, _, err = accel("runs", "--root", results / "nowhere")
    assert code == 2 and "no such folder" in err


def test_cli_reports_corrupt_run_metadata_with_its_path(accel, results):
    meta = next(results.glob("bench/*/*/_run.json"))
    meta.write_text("{not json")
    code, _, err = accel("runs", "--root", results)
    assert code == 2 and str(meta) in err and "Traceback" not in err


def test_runs_are_stored_without_pandera_typed_by_the_arrow_schema(tmp_path, monkeypatch):
    """A device machine's bare image may lack pandera: parts are still written, with the same types."""
    import pandas as pd

    from harness.dataset import tableschemas

    def missing(table):
        raise ModuleNotFoundError("No module named 'pandera'", name="pandera")

    monkeypatch.setattr(tableschemas, "schema_for", missing)
    store = make_run(tmp_path, "probe", "cuda", "20260101T000000Z-dddddd", [probe_row("abs")], "2026")
    df = pd.read_parquet(store.parts()[0])
    assert df["max_abs_error"].dtype == "float64" and df["op"].tolist() == ["abs"]

    def broken(table):
        raise ModuleNotFoundError("No module named 'pandas_extra'", name="pandas_extra")

    monkeypatch.setattr(tableschemas, "schema_for", broken)  # any other missing module is not hidden
    with pytest.raises(ModuleNotFoundError):
        store.append([probe_row("neg")])


def test_a_missing_dependency_is_one_line_naming_the_package(accel, monkeypatch):
    from harness.views import runs as runsummary

    def missing(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'tabulate'", name="tabulate")

    monkeypatch.setattr(runsummary, "list_runs", missing)
    code, _, err = accel("runs")
    assert code == 2 and "'tabulate' is not installed" in err and err.count("\n") == 1


def test_git_sha_falls_back_to_the_environment_only_without_a_checkout(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCEL_GIT_SHA", "feedface")
    assert st.git_sha(tmp_path) == "feedface"                 # a copy with no .git (a device machine)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("0123abcd\n")
    assert st.git_sha(tmp_path) == "0123abcd"                 # a checkout's own HEAD wins
    monkeypatch.delenv("ACCEL_GIT_SHA")
    assert st.git_sha(tmp_path / "elsewhere") is None
