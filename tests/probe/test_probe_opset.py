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
    tagged = {name for name, e in opset._native_functions().items() if "core" in opset._tags(e)}
    assert set(opset.core_ops()) == tagged


def test_resolve_names_and_errors():
    assert opset.resolve("add.Tensor") is torch.ops.aten.add.Tensor
    assert opset.resolve("abs") is torch.ops.aten.abs.default
    assert opset.resolve("aten::mm") is torch.ops.aten.mm.default
    assert opset.op_id(torch.ops.aten.add.Tensor) == "add.Tensor"
    with pytest.raises(KeyError):
        opset.resolve("no_such_op.foo")


@pytest.mark.parametrize("entry, has_cuda", [
    ({"dispatch": {"CPU, CUDA": "k"}}, True),
    ({"dispatch": {"CUDA": "k"}}, True),
    ({"dispatch": {"SparseCUDA": "k", "CompositeExplicitAutograd": "k"}}, False),
    ({"dispatch": {"CompositeImplicitAutograd": "k"}}, False),
    ({"ufunc_inner_loop": {"Generic": "add (AllAndComplex)"}}, True),  # torchgen adds CPU and CUDA
    ({"structured_delegate": "f.out"}, True),
    ({"structured_delegate": "g.out"}, False),
    ({}, False),
])
def test_cuda_kernel_rules(entry, has_cuda):
    entries = {"f.out": {"dispatch": {"CPU, CUDA": "f_out"}}, "g.out": {"dispatch": {"CPU": "g_out"}}}
    assert opset._has_cuda_kernel(entry, entries) is has_cuda


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
