"""The built-in op records: where the schema-driven sample is wrong or too weak, per op family.

Shapes are small (tens to a few hundred elements) so a whole core-set run takes seconds; they are
chosen so every op does real work (strides, padding and groups not all trivial, no identity
views). Saved statistics and indices that a backward op consumes come from running its forward
op in float64 on the CPU, then cast to the dtype under test, so they are consistent.
"""

from __future__ import annotations

from harness.probe.recordkit import Family, S
from harness.probe.samples import DEVICE, DTYPE, Ctx, Host, Sample

FAMILY = Family()
_add = FAMILY.add


# -- pointwise: value domains ---------------------------------------------------------------------
for _name, _lo, _hi in [("acos", -0.9, 0.9), ("asin", -0.9, 0.9), ("atanh", -0.9, 0.9),
                        ("acosh", 1.1, 3.0), ("log", 0.1, 3.0), ("log2", 0.1, 3.0), ("log10", 0.1, 3.0),
                        ("sqrt", 0.1, 3.0), ("rsqrt", 0.1, 3.0), ("log1p", -0.9, 2.0),
                        ("tan", -1.2, 1.2), ("pow.Tensor_Tensor", 0.1, 2.0),
                        ("prod", 0.6, 1.5), ("prod.dim_int", 0.6, 1.5)]:
    _add(_name, "inputs inside the op's real domain (away from poles and nan)", domain=(_lo, _hi))

for _name in ["div.Tensor", "div.Tensor_mode", "reciprocal", "fmod.Tensor", "remainder.Tensor"]:
    _add(_name, "divisors bounded away from zero", tensor=lambda c, s: c.nonzero(*s))

for _name in ["eq", "ne", "ge", "gt", "le", "lt"]:
    _add(f"{_name}.Tensor", "values on a coarse grid so that equal pairs occur",
         tensor=lambda c, s: c.quantized(*s))
    _add(f"{_name}.Scalar", "values on a coarse grid that holds the scalar 0.5",
         sample=lambda c: S(c.quantized(4, 5), 0.5))

for _name in ["logical_and", "logical_or", "logical_xor", "logical_not", "any", "any.dim", "any.dims",
              "nonzero"]:
    _add(_name, "about half the inputs exactly zero", tensor=lambda c, s: c.with_zeros(*s))

for _name in ["isnan", "isinf"]:
    _add(_name, "nan, inf and -inf planted among finite values", tensor=lambda c, s: c.specials(*s))

for _name in ["bitwise_and.Tensor", "bitwise_or.Tensor", "bitwise_xor.Tensor", "bitwise_not",
              "bitwise_and.Scalar", "bitwise_or.Scalar", "bitwise_xor.Scalar"]:
    _add(_name, "defined on integers and bool only: probed with the integer dtype of the same width",
         integral=True)

for _name in ["argmax", "argmin", "max.dim", "min.dim", "sort", "topk"]:
    _add(_name, "pairwise-distinct values: ties make index outputs legitimately differ",
         tensor=lambda c, s: c.distinct(*s))

_add("clamp", "the schema's defaults (min=max=None) are rejected by design",
     sample=lambda c: S(c.t(4, 5), -0.5, 0.5))
_add("clamp.Tensor", "tensor bounds with min < max", sample=lambda c: S(c.t(4, 5), c.t(4, 5, high=0.0),
                                                                          c.t(4, 5, low=0.0)))
_add("_local_scalar_dense", "needs a one-element tensor", sample=lambda c: S(c.t(1)))

# -- factories and random ops ---------------------------------------------------------------------
_add("arange.start_step", "fractional start and step exercise the float path",
     sample=lambda c: S(-1.0, 2.0, 0.25, dtype=DTYPE, device=DEVICE))
_add("empty.memory_format", "uninitialised memory: only shape and dtype are defined", check="metadata",
     sample=lambda c: S([4, 5], dtype=DTYPE, device=DEVICE))
_add("empty_strided", "uninitialised memory: only shape and dtype are defined", check="metadata",
     sample=lambda c: S([4, 5], [1, 4], dtype=DTYPE, device=DEVICE))
_add("rand", "random: uniform on [0, 1), checked by range and mean", check="rand",
     sample=lambda c: S([64, 64], dtype=DTYPE, device=DEVICE))
_add("randn", "random: standard normal, checked by mean and standard deviation", check="randn",
     sample=lambda c: S([64, 64], dtype=DTYPE, device=DEVICE))
_add("randperm", "random: checked to be a permutation of 0..n-1", check="randperm",
     sample=lambda c: S(200, device=DEVICE))
_add("native_dropout", "random: mask rate near 1-p and output = input * mask / (1-p)", check="dropout",
     sample=lambda c: S(c.t(64, 64), 0.25, True))

# -- views and shape ops ------------------------------------------------------------------------------
_add("as_strided", "size and stride must fit the storage", sample=lambda c: S(c.t(4, 5), [3, 2], [2, 5], 1))
_add("expand", "expand a size-1 dimension (the schema default would be a no-op)",
     sample=lambda c: S(c.t(1, 5), [4, 5]))
_add("permute", "dims must be a permutation", sample=lambda c: S(c.t(3, 4, 5), [2, 0, 1]))
_add("view", "a size with the same element count", sample=lambda c: S(c.t(4, 5), [2, 10]))
_add("resize_", "a size with the same element count (no uninitialised tail)",
     sample=lambda c: S(c.t(4, 5), [5, 4]))
_add("squeeze.dim", "needs a size-1 dimension", sample=lambda c: S(c.t(4, 1, 5), 1))
_add("squeeze.dims", "needs size-1 dimensions", sample=lambda c: S(c.t(4, 1, 5, 1), [1, 3]))
_add("slice.Tensor", "a proper sub-range with a step", sample=lambda c: S(c.t(6, 5), 0, 1, 6, 2))
_add("slice_scatter", "src shaped like the slice", sample=lambda c: S(c.t(6, 5), c.t(3, 5), 0, 1, 6, 2))
_add("select_scatter", "src shaped like the selected slice", sample=lambda c: S(c.t(4, 5), c.t(4), 1, 2))
_add("split_with_sizes", "sizes must add up to the dimension", sample=lambda c: S(c.t(4, 5), [1, 3], 0))
_add("diagonal", "an off-diagonal with non-default dims", sample=lambda c: S(c.t(3, 4, 5), 1, 1, 2))
_add("repeat", "repeat more than one dimension", sample=lambda c: S(c.t(2, 3), [2, 1, 2]))
_add("cat", "tensors that differ along the concatenated dimension",
     sample=lambda c: S([c.t(2, 5), c.t(3, 5)], 0))
_add("constant_pad_nd", "asymmetric padding with a non-zero value",
     sample=lambda c: S(c.t(3, 4), [1, 2, 0, 1], 0.5))
_add("_to_copy", "a host tensor copied to the device under test (the host-to-device path)",
     sample=lambda c: S(Host(c.t(4, 5)), device=DEVICE))

# -- linear algebra -------------------------------------------------------------------------------------
_add("mm", "matrices of compatible shapes", sample=lambda c: S(c.t(4, 6), c.t(6, 5)))
_add("bmm", "batched matrices of compatible shapes", sample=lambda c: S(c.t(2, 4, 6), c.t(2, 6, 5)))
_add("addmm", "bias, compatible matrices, non-default alpha and beta",
     sample=lambda c: S(c.t(4, 5), c.t(4, 6), c.t(6, 5), beta=0.5, alpha=2))
_add("_cdist_forward", "two point sets in the same space, Euclidean distance",
     sample=lambda c: S(c.t(2, 5, 4), c.t(2, 6, 4), 2.0, None))
_add("_pdist_forward", "points as rows, Euclidean distance", sample=lambda c: S(c.t(6, 4), 2.0))
for _name in ["_linalg_eigh", "_linalg_eigh.eigenvalues", "linalg_eig", "linalg_eig.out"]:
    _add(_name, "eigenvalues only: each eigenvector is defined up to its sign (or phase), which differs "
         "between LAPACK builds and backends", outputs=(0,))
for _name in ["_ctc_loss", "_ctc_loss.Tensor"]:
    _add(_name, "the loss only: the second output is the forward variables' scratch, whose padding past "
         "each target's length is backend-specific", outputs=(0,))


def _fft_c2r(c: Ctx) -> Sample:
    return S(c.complex(4, 5), [1], 0, 8)


_add("_fft_r2c", "real input, transform along the last dimension",
     sample=lambda c: S(c.t(4, 8), [1], 0, True))
_add("_fft_c2r", "complex input (the dtype's complex counterpart), output length 8", sample=_fft_c2r)

# -- indexing, scatter, gather, embedding --------------------------------------------------------------


def _unique_rows(c: Ctx, rows: int, n: int, k: int):
    import torch

    return torch.stack([c.perm(n, k) for _ in range(rows)])


_add("gather", "indices within the gathered dimension",
     sample=lambda c: S(c.t(4, 5), 1, c.index(4, 3, high=5)))
_add("index_select", "indices within the selected dimension",
     sample=lambda c: S(c.t(4, 5), 1, c.index(3, high=5)))
_add("index.Tensor", "an index list for the first dimension",
     sample=lambda c: S(c.t(4, 5), [c.index(3, high=4)]))
_add("index_put", "unique indices (duplicates make the write order-dependent)",
     sample=lambda c: S(c.t(4, 5), [c.perm(4, 3)], c.t(3, 5)))
_add("scatter.src", "unique indices per row (duplicates make the write order-dependent)",
     sample=lambda c: S(c.t(4, 5), 1, _unique_rows(c, 4, 5, 3), c.t(4, 3)))
_add("scatter.value", "unique indices per row (duplicates make the write order-dependent)",
     sample=lambda c: S(c.t(4, 5), 1, _unique_rows(c, 4, 5, 3), 1.5))
_add("scatter_add", "indices within the dimension; duplicates allowed (they add)",
     sample=lambda c: S(c.t(4, 5), 1, c.index(4, 3, high=5), c.t(4, 3)))
_add("scatter_reduce.two", "indices within the dimension, reduce='sum'",
     sample=lambda c: S(c.t(4, 5), 1, c.index(4, 3, high=5), c.t(4, 3), "sum"))
_add("masked_scatter", "a mask and enough source elements", sample=lambda c: S(c.t(4, 5), c.mask(4, 5),
                                                                                 c.t(4, 5)))
_add("embedding", "a weight table and indices into it", sample=lambda c: S(c.t(10, 4), c.index(3, 5, high=10)))
_add("embedding_dense_backward", "gradient rows for indices into a 10-row table",
     sample=lambda c: S(c.t(3, 5, 4), c.index(3, 5, high=10), 10, -1, False))
_add("_embedding_bag", "three bags (mode sum); the other outputs are backward scratch whose "
     "layout is backend-specific", outputs=(0,),
     sample=lambda c: S(c.t(10, 5), c.index(8, high=10), c.torch.tensor([0, 3, 5]), False, 0))
_add("where.self", "a boolean condition", sample=lambda c: S(c.mask(4, 5), c.t(4, 5), c.t(4, 5)))
