"""native_functions.yaml parsing and the reference sets."""

import pytest
import yaml

from harness.readiness import native, reference
from harness.readiness.importers import pytorch

FIXTURE = """
- func: add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor
  structured_delegate: add.out
  tags: [core, pointwise]
- func: add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)
  structured_delegate: add.out
- func: add.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)
  structured: True
  ufunc_inner_loop:
    Generic: add (AllAndComplex, BFloat16, Half)
  dispatch:
    MPS: add_out_mps
- func: abs(Tensor self) -> Tensor
  tags: core
  dispatch:
    CompositeExplicitAutograd: abs
    SparseCUDA: abs_sparse
- func: mm(Tensor self, Tensor mat2) -> Tensor
  dispatch:
    CPU, CUDA: mm
    XPU: mm_xpu
- func: avg_pool1d(Tensor self, int[1] kernel_size) -> Tensor
  tags: core
"""


@pytest.fixture
def ops():
    return native.parse(yaml.safe_load(FIXTURE))


def test_delegate_and_ufunc_give_cuda_kernels(ops):
    # add.Tensor has no dispatch of its own: CPU/CUDA come from the ufunc out=, MPS from its table
    assert {"CPU", "CUDA", "MPS"} <= ops["add.Tensor"].keys
    assert ops["add_.Tensor"].kind == "inplace" and ops["add.out"].kind == "out"


def test_no_dispatch_means_composite_implicit(ops):
    assert ops["avg_pool1d"].keys == {"CompositeImplicitAutograd"}
    assert "CUDA" not in ops["abs"].keys  # SparseCUDA is not a dense CUDA kernel


def test_reference_sets_from_fixture(ops):
    docs = reference.reference_docs(ops, "9.9.9")
    assert [o["op"] for o in docs["core"]["ops"]] == ["add.Tensor", "abs", "avg_pool1d"]
    assert {o["op"] for o in docs["cuda-backed"]["ops"]} == {"add.Tensor", "add_.Tensor", "add.out", "mm"}
    assert docs["cuda-backed"]["count_functional"] == 2
    assert {o["op"]: o["cuda_kernel"] for o in docs["core"]["ops"]}["abs"] == "composite"


def test_pytorch_importer_separates_composite(ops):
    xpu = pytorch.snapshot_docs(ops, "9.9.9")["xpu"]["entries"]
    by_op = {e["op"]: e["source"] for e in xpu}
    assert by_op["mm"] == "native_functions"
    assert by_op["abs"] == "composite"
    assert "add.Tensor" not in by_op  # no XPU kernel, no composite one


def test_missing_delegate_is_an_error():
    with pytest.raises(ValueError, match="structured_delegate"):
        native.parse([{"func": "x(Tensor self) -> Tensor", "structured_delegate": "x.out"}])


def test_real_yaml_matches_torchgen():
    """Our few rules agree with torchgen's own parser on the installed torch."""
    tg = pytest.importorskip("torchgen.gen")
    from torchgen.model import DispatchKey, NativeFunctionsGroup

    base = native.packaged_yaml().parent
    parsed = tg.parse_native_yaml(str(base / "native_functions.yaml"), str(base / "tags.yaml"))
    groups = {}
    for g in tg.get_grouped_native_functions(parsed.native_functions):
        if isinstance(g, NativeFunctionsGroup):
            for f in g.functions():
                groups[str(f.func.name)] = g
    index = parsed.backend_indices[DispatchKey.CUDA]
    theirs = {str(f.func.name) for f in parsed.native_functions
              if index.has_kernel(f) or (f.structured_delegate and str(f.func.name) in groups
                                         and index.has_kernel(groups[str(f.func.name)]))}
    ours = {n for n, o in native.load().items() if "CUDA" in o.keys}
    assert ours == theirs
    core = {n for n, o in native.load().items() if "core" in o.tags}
    assert {"add.Tensor", "convolution", "_softmax"} <= core
