import json

import pytest

pytest.importorskip("torch")


def run_dir(root):
    dirs = list(root.glob("stack_id=*/run_id=*"))
    assert len(dirs) == 1
    return dirs[0]


def test_probe_cpu_subset(accel, tmp_path):
    code, out, err = accel("probe", "--device", "cpu", "--ops", "add,mm,*pool2d", "--dtypes", "float32,bf16",
                           "--out", tmp_path, "--no-progress")
    assert code == 0, err
    assert "float32" in out and "bfloat16" in out and "pass rate" in out
    assert "overhead per op (run wall time - op time, all of it)" in out
    d = run_dir(tmp_path)
    meta = json.loads((d / "_run.json").read_text())
    assert meta["options"]["dtypes"] == ["float32", "bfloat16"] and meta["status"] == "complete"
    assert set(meta["options"]["ops"]) == {"add.Tensor", "add.Scalar", "mm", "avg_pool2d", "_adaptive_avg_pool2d"}


def test_probe_meta_records_shape_functions(accel, tmp_path):
    code, out, err = accel("probe", "--device", "meta", "--ops", "convolution,nonzero", "--dtypes", "float32",
                           "--out", tmp_path, "--no-progress")
    assert code == 0, err
    import pandas as pd

    df = pd.read_parquet(run_dir(tmp_path))
    assert dict(zip(df.op, df.probe_outcome, strict=True)) == {"convolution": "pass", "nonzero": "unsupported"}


def test_list_prints_the_selection(accel):
    code, out, _ = accel("probe", "--device", "cpu", "--ops", "*pool3d*", "--list")
    assert code == 0 and out.split() == ["_adaptive_avg_pool3d", "avg_pool3d", "max_pool3d_with_indices"]


@pytest.mark.parametrize("args, message", [
    (["--device", "cdua"], "did you mean 'cuda'"),
    (["--device", "npu"], "torch_npu"),
    (["--device", "cpu", "--dtypes", "flaot32"], "did you mean 'float32'"),
    (["--device", "cpu", "--ops", "ad.Tensr"], "did you mean 'add.Tensor'"),
    (["--device", "cpu", "--set", "cores"], "did you mean 'core'"),
    (["--device", "cpu", "--import", "no_such_module_xyz"], "--import no_such_module_xyz"),
    (["--device", "cpu", "--ops", "add", "--timeout", "-1"], "--timeout: must be from 0.1 to 86400 seconds"),
    (["--device", "cpu", "--ops", "add", "--timeout", "0"], "--timeout: must be from 0.1 to 86400 seconds"),
    (["--device", "cpu", "--ops", "add", "--timeout", "nan"], "--timeout: must be from 0.1 to 86400 seconds"),
    (["--device", "cpu", "--ops", "add", "--timeout", "inf"], "--timeout: must be from 0.1 to 86400 seconds"),
    (["--device", "cpu", "--ops", "add", "--timeout", "1e-9"], "--timeout: must be from 0.1 to 86400 seconds"),
])
def test_user_errors_are_one_line_without_traceback(accel, tmp_path, args, message):
    code, out, err = accel("probe", *args, "--out", tmp_path)
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_resume_an_unknown_run(accel, tmp_path):
    code, _, err = accel("probe", "--device", "cpu", "--resume", "20990101T000000Z-000000", "--out", tmp_path)
    assert code == 2 and "no probe run 20990101T000000Z-000000" in err


def test_probe_and_bench_are_found_as_commands():
    from harness import plugins

    assert {"probe", "bench", "runs"} <= set(plugins.names("harness.commands"))


class FailingWorker:
    """A stand-in for the isolated worker: answers ``ok`` calls, then fails as a dead worker does."""

    def __init__(self, ok: int):
        self.ok, self.starts = ok, 1

    def __call__(self, imports, log_path=None):
        return self

    def launch_early(self):
        pass

    def set_log(self, path):
        pass

    def call(self, task, timeout):
        from harness.probe.isolation import WorkerError

        if self.ok <= 0:
            raise WorkerError("the probe worker could not start: injected failure")
        self.ok -= 1
        return {"probe_outcome": "pass", "message": None, "worker_time_ms": 1.0}, 0.002

    def close(self):
        pass


def test_a_run_that_fails_before_its_first_part_leaves_no_folder(accel, tmp_path, monkeypatch):
    from harness.probe import runner

    monkeypatch.setattr(runner, "Worker", FailingWorker(ok=0))
    code, _, err = accel("probe", "--device", "cpu", "--ops", "add.Tensor", "--dtypes", "float32",
                         "--out", tmp_path, "--no-progress")
    assert code == 2 and "injected failure" in err and "Traceback" not in err
    assert not list(tmp_path.rglob("*"))  # no run folder holding only _run.json


def test_a_run_that_fails_later_keeps_its_parts_and_metadata(accel, tmp_path, monkeypatch):
    from harness.probe import runner

    monkeypatch.setattr(runner, "Worker", FailingWorker(ok=1))
    code, _, err = accel("probe", "--device", "cpu", "--ops", "add.Tensor,mm", "--dtypes", "float32",
                         "--out", tmp_path, "--no-progress")
    assert code == 2 and "injected failure" in err
    d = run_dir(tmp_path)
    assert sorted(p.name for p in d.iterdir()) == ["_run.json", "part-00000.parquet"]
    meta = json.loads((d / "_run.json").read_text())
    assert meta["status"] == "interrupted" and meta["options"]["ops"] == ["add.Tensor", "mm"]
