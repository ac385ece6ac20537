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
])
def test_bench_user_errors(accel, tmp_path, args, message):
    code, _, err = accel("bench", *args, "--out", tmp_path)
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())
