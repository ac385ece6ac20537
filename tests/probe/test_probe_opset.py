import pytest

torch = pytest.importorskip("torch")

from harness.errors import UserError  # noqa: E402
from harness.probe import opset  # noqa: E402


def test_core_set_is_what_the_dispatcher_tags_core():
    core = opset.core_ops()
    assert core == tuple(sorted(core))
    for name in core:
        assert torch.Tag.core in opset.resolve(name).tags
    # dir(torch.ops.aten) misses packets not yet materialised; the dispatcher does not
    assert {"avg_pool1d", "adaptive_avg_pool1d", "add.Tensor", "abs", "convolution"} <= set(core)


def test_core_set_matches_the_wheels_yaml_tags():
    from harness.readiness import native

    tagged = {name for name, o in native.load().items() if "core" in o.tags}
    assert set(opset.core_ops()) == tagged


def test_resolve_names_and_errors():
    assert opset.resolve("add.Tensor") is torch.ops.aten.add.Tensor
    assert opset.resolve("abs") is torch.ops.aten.abs.default
    assert opset.resolve("aten::mm") is torch.ops.aten.mm.default
    assert opset.op_id(torch.ops.aten.add.Tensor) == "add.Tensor"
    with pytest.raises(KeyError):
        opset.resolve("no_such_op.foo")


def test_cuda_backed_set_from_the_installed_yaml():
    backed = set(opset.cuda_backed_ops())
    assert {"add.Tensor", "abs.out", "mm"} <= backed  # delegate+ufunc, explicit key, explicit key
    assert "abs" not in backed and "mean" not in backed  # composite: no kernel of their own


def test_select_globs_base_names_and_typos():
    ops = ["add.Tensor", "add.Scalar", "addmm", "avg_pool2d", "max_pool2d_with_indices", "mm", "faultinj::crash"]
    assert opset.select(ops, None) == ops
    assert opset.select(ops, "add") == ["add.Tensor", "add.Scalar"]
    assert opset.select(ops, "add.Tensor,aten::mm") == ["add.Tensor", "mm"]
    assert opset.select(ops, "aten.mm.default") == ["mm"]
    assert opset.select(ops, "*pool2d*") == ["avg_pool2d", "max_pool2d_with_indices"]
    assert opset.select(ops, "crash") == ["faultinj::crash"]
    with pytest.raises(UserError, match="did you mean 'addmm'"):
        opset.select(ops, "addm")


def test_unknown_set_is_a_user_error():
    with pytest.raises(UserError, match="did you mean 'core'"):
        opset.reference_ops("cores")
