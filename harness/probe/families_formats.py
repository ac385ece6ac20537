"""Built-in records for ops on other tensor formats: nested and jagged tensors, quantized tensors,
sparse outputs, float8 matmuls.

The schema-driven generator makes dense floating tensors only; these ops need index tensors that
describe a layout (nested sizes, jagged offsets, CSR pointers), integer codes, or float8 inputs.
Nested outputs are compared padded, quantized outputs by their integer codes (`compare`).
"""

from __future__ import annotations

from harness.probe.recordkit import Family, S
from harness.probe.recordkit import f64 as _f64
from harness.probe.samples import OUT, Ctx, Exact

FAMILY = Family()
_add = FAMILY.add


def _i64(c: Ctx, value):
    return c.torch.tensor(value, dtype=c.torch.int64)


# -- nested and jagged ---------------------------------------------------------------------------------


def _left_mask(c: Ctx):
    return c.torch.tensor([[True, True, False], [True, True, True]])


_NESTED = "two sequences of lengths 2 and 3 (feature size 4) padded to 3"
_add("_nested_tensor_from_mask", _NESTED + ", with a left-aligned mask", sample=lambda c: S(c.t(2, 3, 4), _left_mask(c)))
_add("_nested_tensor_from_mask_left_aligned", _NESTED + ": the mask is left-aligned (True)",
     sample=lambda c: S(c.t(2, 3, 4), _left_mask(c)))
_add("_nested_from_padded", _NESTED + ", sizes given as an int64 [2, 2] example",
     sample=lambda c: S(c.t(2, 3, 4), _i64(c, [[2, 4], [3, 4]])))
_add("_nested_compute_contiguous_strides_offsets", "the int64 sizes of two components [2, 4] and [3, 4]",
     sample=lambda c: S(_i64(c, [[2, 4], [3, 4]])))
_add("_nested_view_from_buffer", "a 1-D buffer of 20 elements viewed as components [2, 4] and [3, 4]",
     sample=lambda c: S(c.t(20), _i64(c, [[2, 4], [3, 4]]), _i64(c, [[4, 1], [4, 1]]), _i64(c, [0, 8])))
_JAGGED = "three rows of lengths 2, 0 and 4 (feature size 3) as values [6, 3] and int64 offsets"
_add("_jagged_to_padded_dense_forward", _JAGGED + ", padded to 4 with -1",
     sample=lambda c: S(c.t(6, 3), [_i64(c, [0, 2, 2, 6])], [4], -1.0))
_add("_padded_dense_to_jagged_forward", _JAGGED + ", from a padded [3, 4, 3] tensor",
     sample=lambda c: S(c.t(3, 4, 3), [_i64(c, [0, 2, 2, 6])], 6))

# -- quantized tensors (float32 in, integer codes out) ------------------------------------------------------
_Q = "quantisation of float32 values (the kernels take float32 only) to quint8; codes compared exactly"


def _x32(c: Ctx):
    return Exact(c.t(4, 5, dtype=c.torch.float32))


def _scales(c: Ctx):
    return Exact(c.torch.tensor([0.01, 0.02, 0.015, 0.03, 0.025], dtype=c.torch.float64))


_add("quantize_per_tensor", _Q + ", scale 0.02, zero point 100",
     sample=lambda c: S(_x32(c), 0.02, 100, c.torch.quint8))
_add("quantize_per_tensor.tensor_qparams", _Q + ", scale and zero point as one-element tensors",
     sample=lambda c: S(_x32(c), Exact(c.torch.tensor([0.02], dtype=c.torch.float32)),
                        c.torch.tensor([100], dtype=c.torch.int32), c.torch.quint8))
_add("quantize_per_channel", _Q + ", one (scale, zero point) per column",
     sample=lambda c: S(_x32(c), _scales(c), _i64(c, [100, 90, 110, 100, 120]), 1, c.torch.quint8))
_add("_make_per_tensor_quantized_tensor", "uint8 codes wrapped as a quint8 tensor with scale 0.02, zero point 100",
     sample=lambda c: S(c.t(4, 5, low=0, high=255, dtype=c.torch.uint8), 0.02, 100))
_add("_make_per_channel_quantized_tensor", "uint8 codes wrapped as a per-column quint8 tensor",
     sample=lambda c: S(c.t(4, 5, low=0, high=255, dtype=c.torch.uint8), _scales(c),
                        _i64(c, [100, 90, 110, 100, 120]), 1))
_add("_fused_moving_avg_obs_fq_helper", "per-tensor observer and fake quantisation on, running min/max "
     "inside the data's range; float32 only (both sides and the reference run in float32)",
     sample=lambda c: S(_x32(c), c.torch.tensor([1]), c.torch.tensor([1]),
                        Exact(c.torch.tensor([-1.0])), Exact(c.torch.tensor([1.0])), Exact(c.torch.tensor([0.01])),
                        c.torch.tensor([128], dtype=c.torch.int32), 0.01, 0, 255, 0))

# -- sparse, float8, embedding-bag backward ----------------------------------------------------------------
_add("sspaddmm.out", "a sparse [4, 5] input plus a sparse [4, 6] times dense [6, 5] product, into a sparse "
     "out=; compared densely",
     sample=lambda c: S(c.with_zeros(4, 5).to_sparse(), c.with_zeros(4, 6).to_sparse(), c.t(6, 5), beta=0.5, alpha=2,
                        out=c.torch.zeros(4, 5, dtype=c.dtype).to_sparse()))


def _fp8(c: Ctx, *shape):
    return c.t(*shape, low=-2.0, high=2.0, dtype=c.torch.float8_e4m3fn)


def _scaled_mm(c: Ctx, out: bool):
    one = Exact(c.torch.tensor(1.0))
    kw = {"out": Exact(c.torch.empty(0, dtype=c.torch.bfloat16))} if out else {}
    return S(Exact(_fp8(c, 16, 32)), Exact(_fp8(c, 16, 32).t()), one, Exact(c.torch.tensor(0.5)),
             out_dtype=c.torch.bfloat16, **kw)


_FP8 = ("float8 e4m3 matrices (the second column-major, as cuBLASLt wants), per-tensor scales, bfloat16 "
        "result; the reference runs the same float8 inputs")
_add("_scaled_mm", _FP8, sample=lambda c: _scaled_mm(c, False))
_add("_scaled_mm.out", _FP8, sample=lambda c: _scaled_mm(c, True))


def _bag_backward(c: Ctx):
    weight, idx, offsets = c.t(10, 5), c.index(8, high=10), c.torch.tensor([0, 3, 5])
    _, offset2bag, bag_size, max_idx = _f64("_embedding_bag", weight, idx, offsets, False, 0)
    return S(c.t(3, 5), idx, offset2bag, bag_size, max_idx, 10, False, 0, None, -1)


_add("_embedding_bag_dense_backward", "gradient of three bags (mode sum) with the forward's offset2bag and "
     "bag sizes", sample=_bag_backward)
_add("_assert_async.msg", "a one-element true tensor and a message (the assertion holds)",
     sample=lambda c: S(c.t(1, low=1.0, high=2.0), "probe"))
_add("cudnn_batch_norm.out", "training-mode batch norm into out= tensors; only the normalised output is "
     "compared: the saved statistics and the reserve space are backend-specific", outputs=(0,),
     sample=lambda c: S(c.t(3, 4, 5, 2), c.t(4), c.t(4), c.t(4), c.t(4, low=0.5, high=2.0), True, 0.1, 1e-5,
                        out0=OUT, out1=OUT, out2=OUT, out3=c.torch.empty(0, dtype=c.torch.uint8)))
