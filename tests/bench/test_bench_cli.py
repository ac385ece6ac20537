import json

import pytest

pytest.importorskip("torch")

import pandas as pd  # noqa: E402

from harness.bench import peaks  # noqa: E402


def test_bench_cpu_small_sizes_as_json(accel, tmp_path):
    code, out, err = accel("bench", "--device", "cpu", "--dtypes", "fp32,tf32,bf16", "--gemm-sizes", "32,64",
                           "--bandwidth-mib", "1", "--repeats", "3", "--format", "json", "--out", tmp_path)
    assert code == 0, err
    doc = json.loads(out)
    rows = {(r["kernel"], r["precision"], r["size"]): r for r in doc["results"]}
    assert set(rows) == {("matmul", p, n) for p in ("fp32", "tf32", "bf16") for n in (32, 64)} | {
        ("copy", "fp32", 1 << 18), ("triad", "fp32", 1 << 18)}
    fp32 = rows[("matmul", "fp32", 64)]
    assert fp32["bench_outcome"] == "ok" and fp32["measured_tflops"] > 0 and fp32["repeats"] >= 3
    assert fp32["flop_count"] == 2 * 64**3 and fp32["bytes_moved"] == 3 * 64 * 64 * 4
    assert rows[("matmul", "tf32", 32)]["bench_outcome"] == "unsupported"  # no TF32 units on a CPU
    copy = rows[("copy", "fp32", 1 << 18)]
    assert copy["bytes_moved"] == 2 * (1 << 20) and copy["measured_tbps"] > 0
    assert rows[("triad", "fp32", 1 << 18)]["bytes_moved"] == 3 * (1 << 20)
    run = doc["run"]
    assert run["status"] == "complete" and run["torch_version"] and run["device_type"] == "cpu"
    stored = pd.read_parquet(tmp_path)
    assert len(stored) == len(doc["results"]) and set(stored["device_type"]) == {"cpu"}


def test_bench_shows_the_fraction_of_the_peak_given_with_as(accel, tmp_path, monkeypatch):
    table = pd.DataFrame([{"accelerator_id": "test/chip", "name": "Chip", "vendor": "test", "aliases": None,
                           "fp32_tflops": 1.0, "memory_bandwidth_tbps": 0.5}])
    monkeypatch.setattr(peaks, "load_accelerators", lambda: table)
    code, out, err = accel("bench", "--device", "cpu", "--suite", "gemm", "--dtypes", "fp32",
                           "--gemm-sizes", "32", "--repeats", "3", "--as", "test/chip", "--out", tmp_path)
    assert code == 0, err
    assert "peaks of test/chip" in out and "%" in out
    stored = pd.read_parquet(tmp_path)
    assert stored["peak_accelerator_id"].iloc[0] == "test/chip" and stored["peak_tflops"].iloc[0] == 1.0
    assert stored["fraction_of_peak"].iloc[0] == pytest.approx(stored["measured_tflops"].iloc[0])
    code, _, err = accel("bench", "--device", "cpu", "--as", "test/chip2", "--out", tmp_path)
    assert code == 2 and "did you mean 'test/chip'" in err


def test_without_the_dataset_the_peak_is_unknown(accel, tmp_path, monkeypatch):
    monkeypatch.setattr(peaks, "load_accelerators", lambda: None)
    code, out, err = accel("bench", "--device", "cpu", "--suite", "bandwidth", "--bandwidth-mib", "1",
                           "--repeats", "3", "--out", tmp_path)
    assert code == 0, err
    assert "peaks unknown: the accelerators table is not built" in out


@pytest.mark.parametrize("args, message", [
    (["--device", "meta"], "no data and no time"),
    (["--device", "cdua"], "did you mean 'cuda'"),
    (["--device", "cpu", "--suite", "gem"], "did you mean 'gemm'"),
    (["--device", "cpu", "--dtypes", "bf17"], "did you mean 'bf16'"),
    (["--device", "cpu", "--gemm-sizes", "a,b"], "comma-separated numbers"),
    (["--device", "cpu", "--repeats", "1"], "at least 3"),
    (["--device", "cpu", "--suite", ""], "--suite: no suite given"),
    (["--device", "cpu", "--suite", ","], "--suite: no suite given"),
    (["--device", "cpu", "--dtypes", ","], "--dtypes: no precision given"),
    (["--device", "cpu", "--dtypes", ""], "--dtypes: no precision given"),
    (["--device", "cpu", "--gemm-sizes", ""], "--gemm-sizes: no size given"),
    (["--device", "cpu", "--gemm-sizes", "100000000"], "--gemm-sizes: 100000000 is larger than the most"),
    (["--device", "cpu", "--gemm-sizes", "inf"], "sizes must be positive"),
    (["--device", "cpu", "--gemm-sizes", "nan"], "sizes must be positive"),
    (["--device", "cpu", "--bandwidth-mib", "1e9"], "--bandwidth-mib: 1e9 is larger than the most"),
    (["--device", "cpu", "--as", "nosuchchipxyz"], "--as: no accelerator matches 'nosuchchipxyz'"),
])
def test_bench_user_errors(accel, tmp_path, args, message):
    code, _, err = accel("bench", *args, "--out", tmp_path)
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


ACC = pd.DataFrame([
    {"accelerator_id": "nvidia/h200-sxm", "name": "H200 SXM 141GB", "vendor": "nvidia",
     "aliases": "H200 | H200 SXM", "fp32_tflops": 67.0, "memory_bandwidth_tbps": 4.8},
    {"accelerator_id": "nvidia/h100-sxm5", "name": "H100 SXM5", "vendor": "nvidia",
     "aliases": "H100 SXM | H100 80GB HBM3", "fp32_tflops": 67.0, "memory_bandwidth_tbps": 3.35},
    {"accelerator_id": "nvidia/h100-pcie", "name": "H100 PCIe", "vendor": "nvidia", "aliases": None,
     "fp32_tflops": 51.0, "memory_bandwidth_tbps": 2.0},
])


def test_as_takes_any_name_accel_show_takes(accel, tmp_path, monkeypatch):
    monkeypatch.setattr(peaks, "load_accelerators", lambda: ACC)
    code, out, err = accel("bench", "--device", "cpu", "--suite", "gemm", "--dtypes", "fp32",
                           "--gemm-sizes", "32", "--repeats", "3", "--as", "h200", "--out", tmp_path)
    assert code == 0, err
    assert "peaks of nvidia/h200-sxm" in out
    assert set(pd.read_parquet(tmp_path)["peak_accelerator_id"]) == {"nvidia/h200-sxm"}
    code, _, err = accel("bench", "--device", "cpu", "--as", "h10", "--out", tmp_path / "again")
    assert code == 2 and "--as: 'h10' is ambiguous" in err and "nvidia/h100-pcie" in err
    assert not (tmp_path / "again").exists()


def _failing_suite(monkeypatch, fail_on: str):
    """The bandwidth and gemm suites, with ``fail_on`` raising what a bug in a suite would raise."""
    from harness.bench import suites

    real = suites.load

    def load(name):
        mod = real(name)
        if name != fail_on:
            return mod

        class Broken:
            PRECISIONS, DEFAULT_PRECISIONS, default_sizes = mod.PRECISIONS, mod.DEFAULT_PRECISIONS, mod.default_sizes

            @staticmethod
            def run(*args, **kwargs):
                raise OverflowError("injected failure")

        return Broken

    monkeypatch.setattr(suites, "load", load)


def test_a_bench_that_fails_before_its_first_part_leaves_no_folder(tmp_path, monkeypatch):
    from harness.bench.runner import bench
    from harness.runs.device import resolve

    _failing_suite(monkeypatch, "gemm")
    with pytest.raises(OverflowError, match="injected"):
        bench(resolve("cpu"), ["gemm"], ["fp32"], tmp_path, sizes={"gemm": [16]}, repeats=3)
    assert not list(tmp_path.rglob("*"))  # no run folder holding only _run.json


def test_a_bench_that_fails_later_keeps_its_part_and_metadata(tmp_path, monkeypatch):
    from harness.bench.runner import bench
    from harness.runs.device import resolve

    _failing_suite(monkeypatch, "gemm")
    with pytest.raises(OverflowError, match="injected"):
        bench(resolve("cpu"), ["bandwidth", "gemm"], ["fp32"], tmp_path, sizes={"bandwidth": [1 << 16]},
              repeats=3)
    (d,) = tmp_path.glob("device_type=cpu/run_id=*")
    assert sorted(p.name for p in d.iterdir()) == ["_run.json", "part-00000.parquet"]
    assert json.loads((d / "_run.json").read_text())["status"] == "interrupted"
