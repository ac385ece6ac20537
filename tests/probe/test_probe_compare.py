import pytest

torch = pytest.importorskip("torch")

from harness.probe import compare as cmp  # noqa: E402
from harness.probe.execute import classify, run_task  # noqa: E402

F32 = torch.float32
ATOL, RTOL = cmp.tolerance("float32")


def check(actual, reference, dtype=F32, **kw):
    return cmp.compare(actual, reference, dtype, atol=kw.pop("atol", ATOL), rtol=kw.pop("rtol", RTOL), **kw)


def test_tolerances_per_dtype_and_scaling():
    assert cmp.tolerance("float32") == (1e-5, 1.3e-6)
    assert cmp.tolerance("bfloat16", 2.0) == (2e-2, 3.2e-2)
    assert cmp.tolerance("complex64") == cmp.tolerance("float32")
    assert cmp.tolerance("int32") == (0.0, 0.0)


def test_within_tolerance_passes_and_reports_errors():
    ref = torch.tensor([1.0, -2.0, 0.0], dtype=torch.float64)
    v = check(ref.float() + 1e-7, ref)
    assert v.ok and 0 < v.max_abs_error < 2e-7 and v.max_rel_error is not None


def test_outside_tolerance_is_a_mismatch_with_counts():
    ref = torch.tensor([1.0, 2.0], dtype=torch.float64)
    v = check(torch.tensor([1.0, 2.1]), ref)
    assert not v.ok and "1/2 elements" in v.message and v.max_abs_error == pytest.approx(0.1, rel=1e-5)


def test_nan_and_infinities_must_match():
    ref = torch.tensor([float("nan"), float("inf"), 1.0], dtype=torch.float64)
    assert check(torch.tensor([float("nan"), float("inf"), 1.0]), ref).ok
    assert not check(torch.tensor([0.0, float("inf"), 1.0]), ref).ok
    assert not check(torch.tensor([float("nan"), float("-inf"), 1.0]), ref).ok


def test_dtype_rules():
    ref = torch.zeros(2, dtype=torch.float64)
    assert check(torch.zeros(2, dtype=torch.float32), ref, dtype=torch.bfloat16).ok  # wider float: ok
    v = check(torch.zeros(2, dtype=torch.float16), ref, dtype=torch.float32)
    assert not v.ok and "dtype float16, expected float32" in v.message
    assert not check(torch.zeros(2, dtype=torch.int64), ref).ok


def test_exact_outputs_shapes_counts_and_subsets():
    idx = torch.tensor([0, 2, 1])
    assert check(idx.clone(), idx).ok
    assert not check(torch.tensor([0, 1, 2]), idx).ok
    assert "shape" in check(torch.zeros(3), torch.zeros(2, dtype=torch.float64)).message
    assert "outputs" in check((torch.zeros(1),), (torch.zeros(1), torch.zeros(1))).message
    pair = (torch.zeros(1), torch.tensor([5]))
    assert check(pair, (torch.zeros(1, dtype=torch.float64), torch.tensor([7])), outputs=(0,)).ok
    assert check(3, 3).ok and not check(3, 4).ok and check(1.0, 1.0 + 1e-9).ok


def test_metadata_only_ignores_values():
    assert check(torch.ones(2), torch.zeros(2, dtype=torch.float64), metadata_only=True).ok


def test_outputs_must_live_on_the_device_under_test():
    ref = torch.zeros(2, dtype=torch.float64)
    assert check(torch.zeros(2), ref, device_type="cpu").ok
    v = check(torch.zeros(2), ref, device_type="meta", metadata_only=True)
    assert not v.ok and "output on cpu, not on meta" in v.message


def test_random_checks():
    torch.manual_seed(0)
    u = torch.rand(64, 64)
    ref = torch.rand(64, 64, dtype=torch.float64)
    assert cmp.check_random("rand", u, ref, (), F32).ok
    assert not cmp.check_random("rand", u + 0.5, ref, (), F32).ok
    assert cmp.check_random("randn", torch.randn(64, 64), ref, (), F32).ok
    assert not cmp.check_random("randn", torch.randn(64, 64) * 2, ref, (), F32).ok
    assert cmp.check_random("randperm", torch.randperm(50), torch.randperm(50), (), F32).ok
    assert not cmp.check_random("randperm", torch.zeros(50, dtype=torch.int64), torch.randperm(50), (), F32).ok
    x = torch.rand(64, 64, dtype=torch.float64)
    mask = torch.rand(64, 64) < 0.75
    good = ((x * mask / 0.75).float(), mask)
    ref = (x, mask)
    assert cmp.check_random("dropout", good, ref, (x, 0.25), F32).ok
    assert not cmp.check_random("dropout", (x.float(), mask), ref, (x, 0.25), F32).ok


def test_classification_of_device_errors():
    assert classify(NotImplementedError("x")) == "unsupported"
    assert classify(RuntimeError('"cdist" not implemented for \'BFloat16\'')) == "unsupported"
    assert classify(RuntimeError("Could not run 'aten::foo' with arguments from the 'XPU' backend")) == "unsupported"
    assert classify(RuntimeError("MKL FFT doesn't support tensors of type: Half")) == "unsupported"
    assert classify(RuntimeError("size mismatch")) == "error"


def test_run_task_outcomes_on_cpu_and_meta():
    assert run_task("mm", "float32", "cpu")["probe_outcome"] == "pass"
    unsupported = run_task("_cdist_forward", "bfloat16", "cpu")
    assert unsupported["probe_outcome"] == "unsupported" and "not implemented" in unsupported["message"]
    meta = run_task("convolution", "float32", "meta")
    assert meta["probe_outcome"] == "pass" and meta["atol"] is None  # shapes and dtypes only
    assert run_task("nonzero", "float32", "meta")["probe_outcome"] == "unsupported"  # data-dependent
    assert run_task("no_such_op", "float32", "cpu")["probe_outcome"] == "error"
    assert run_task("rand", "float32", "cpu")["probe_outcome"] == "pass"
