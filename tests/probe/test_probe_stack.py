"""Runs are filed by software stack: a ROCm build's `cuda` device is ROCm, a PrivateUse1 backend
files under the stack its registered name maps to."""

import pytest

torch = pytest.importorskip("torch")

from harness.runs import device as dev  # noqa: E402


def test_a_rocm_build_files_under_rocm(tmp_path, monkeypatch):
    from harness.probe.runner import probe

    monkeypatch.setattr(torch.version, "hip", "6.2.41133", raising=False)
    assert dev.stack_of("cuda") == "rocm"
    # a ROCm device, simulated on the CPU: the run goes through the real runner and store
    rocm = dev.DeviceInfo("cpu", None, "AMD Instinct MI300X (simulated)", None, stack=dev.stack_of("cuda"))
    result = probe(rocm, ["abs"], ["float32"], tmp_path / "probes", progress=False)
    assert result.dir.parent.name == "stack_id=rocm"
    from harness.views import runs as summary

    (run,) = summary.list_runs(tmp_path, stack_id="rocm")
    assert run["stack_id"] == "rocm" and run["run_id"] == result.run_id
    assert summary.rows_of(run)["stack_id"].tolist() == ["rocm"]


def test_cuda_without_hip_is_cuda(monkeypatch):
    monkeypatch.setattr(torch.version, "hip", None, raising=False)
    assert dev.stack_of("cuda") == "cuda"


def test_privateuse1_backends_by_their_registered_name(monkeypatch):
    monkeypatch.setattr(torch._C, "_get_privateuse1_backend_name", lambda: "npu")
    assert dev.stack_of("privateuseone") == "cann"
    assert dev.stack_of("npu") == "cann" and dev.stack_of("musa") == "musa"
    assert dev.stack_of("newchip") == "newchip"  # not in the table: its own name, never cuda
    assert dev.resolve("cpu").stack_id == "cpu" and dev.resolve("meta").stack_id == "meta"
