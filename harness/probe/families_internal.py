"""Built-in records for ops whose inputs the schema cannot describe: framework-internal ops (foreach
lists, fused optimizers, AMP scaling, index conversions), ops that need 4-D or paired inputs
(slow convolutions, anti-aliased upsampling backward, jvp helpers), out= overloads whose output
dtype is not the input's, and random ops (checked by shape and dtype only).

Every sample is a valid call of the op as PyTorch's own callers make it; the reason says what the
schema-driven generator got wrong.
"""

from __future__ import annotations

from harness.probe.recordkit import Family, S
from harness.probe.recordkit import f64 as _f64
from harness.probe.samples import OUT, Ctx, Exact

FAMILY = Family()
_add = FAMILY.add


def _empty(c: Ctx, dtype):
    return c.torch.empty(0, dtype=dtype)


# -- matmul with a fused activation, linear combination -----------------------------------------------
_add("_addmm_activation", "bias plus a product of compatible matrices, then GELU",
     sample=lambda c: S(c.t(4, 5), c.t(4, 6), c.t(6, 5), beta=0.5, alpha=2, use_gelu=True))
_add("_addmm_activation.out", "bias plus a product of compatible matrices, then ReLU, into out=",
     sample=lambda c: S(c.t(4, 5), c.t(4, 6), c.t(6, 5), beta=0.5, alpha=2, out=OUT))
_add("_compute_linear_combination.out", "coefficients [out, in] over inputs [in, ...]",
     sample=lambda c: S(c.t(3, 4, 5), c.t(2, 3), out=c.torch.zeros(2, 4, 5, dtype=c.dtype)))
_add("_int_mm", "int8 matrices, int32 result (CUDA needs m > 16 and k, n multiples of 8)",
     sample=lambda c: S(c.t(24, 32, low=-8, high=8, dtype=c.torch.int8), c.t(32, 16, low=-8, high=8, dtype=c.torch.int8)))
_add("_int_mm.out", "int8 matrices, int32 result (CUDA needs m > 16 and k, n multiples of 8)",
     sample=lambda c: S(c.t(24, 32, low=-8, high=8, dtype=c.torch.int8), c.t(32, 16, low=-8, high=8, dtype=c.torch.int8),
                        out=c.torch.zeros(24, 16, dtype=c.torch.int32)))
for _name in ["_linalg_eigvals", "linalg_eigvals.out"]:
    _add(_name, "a square matrix; eigenvalues are complex (out= in the complex dtype)",
         sample=(lambda c: S(c.t(4, 4))) if _name == "_linalg_eigvals" else
         (lambda c: S(c.t(4, 4), out=_empty(c, c.torch.complex64 if c.dtype == c.torch.float32 else c.torch.complex128))))

# -- foreach lists and fused optimizers ------------------------------------------------------------------


def _list(c: Ctx, **kw):
    return [c.t(4, 5, **kw), c.t(3, **kw)]


for _op in ["add", "mul", "div"]:
    for _v in ("", "_"):
        _add(f"_foreach_{_op}{_v}.Tensor", "a list of tensors and one 0-dim tensor operand",
             sample=lambda c: S(_list(c), c.nonzero(1).reshape(())))
for _op in ["addcdiv", "addcmul"]:
    for _v in ("", "_"):
        _add(f"_foreach_{_op}{_v}.Tensor", "three tensor lists and a 1-D tensor of one scalar per list entry",
             sample=lambda c: S(_list(c), _list(c), [c.nonzero(4, 5), c.nonzero(3)], c.t(2)))


def _steps(c: Ctx):
    return [c.torch.tensor(3.0), c.torch.tensor(3.0)]


def _adam(c: Ctx, tensor_lr: bool):
    lr = c.torch.tensor(1e-2) if tensor_lr else 1e-2
    return S(_list(c), _list(c), _list(c), _list(c, low=0.0, high=1.0), [], _steps(c), lr=lr, beta1=0.9,
             beta2=0.999, weight_decay=0.01, eps=1e-8, amsgrad=False, maximize=False)


_OPT = ("parameters, gradients and optimizer state as the torch.optim fused path passes them "
        "(float step counts, an empty max_exp_avg_sqs list without amsgrad); the updated tensors are compared")
for _name in ["_fused_adam_", "_fused_adamw_"]:
    _add(_name, _OPT, sample=lambda c: _adam(c, False))
    _add(f"{_name}.tensor_lr", _OPT + "; the learning rate as a 0-dim tensor", sample=lambda c: _adam(c, True))
_add("_fused_adagrad_", _OPT, sample=lambda c: S(_list(c), _list(c), _list(c, low=0.0, high=1.0), _steps(c),
                                                 lr=1e-2, lr_decay=0.0, weight_decay=0.01, eps=1e-10, maximize=False))
_add("_fused_adagrad_.tensor_lr", _OPT + "; the learning rate as a 0-dim tensor",
     sample=lambda c: S(_list(c), _list(c), _list(c, low=0.0, high=1.0), _steps(c), lr=c.torch.tensor(1e-2),
                        lr_decay=0.0, weight_decay=0.01, eps=1e-10, maximize=False))
_add("_fused_sgd_.tensor_lr", _OPT + "; momentum buffers on a later step, the learning rate as a 0-dim tensor",
     sample=lambda c: S(_list(c), _list(c), _list(c), weight_decay=0.01, momentum=0.9, lr=c.torch.tensor(0.1),
                        dampening=0.0, nesterov=False, maximize=False, is_first_step=False))
_add("_assert_async", "a one-element true tensor (the assertion holds)", sample=lambda c: S(c.t(1, low=1.0, high=2.0)))

# -- index conversions, searching ---------------------------------------------------------------------


def _coo_rows(c: Ctx):
    return c.torch.tensor([0, 0, 1, 3, 3, 4])


def _csr(c: Ctx):
    return c.torch.tensor([0, 2, 3, 3, 5, 6]), c.torch.tensor([0, 2, 1, 0, 3, 2])


_IDX = "sorted COO row indices / a CSR row-pointer and column-index pair, int64"
_add("_convert_indices_from_coo_to_csr", _IDX, sample=lambda c: S(_coo_rows(c), 5))
_add("_convert_indices_from_coo_to_csr.out", _IDX, sample=lambda c: S(_coo_rows(c), 5, out=_empty(c, c.torch.int64)))
_add("_convert_indices_from_csr_to_coo", _IDX, sample=lambda c: S(*_csr(c)))
_add("_convert_indices_from_csr_to_coo.out", _IDX, sample=lambda c: S(*_csr(c), out=_empty(c, c.torch.int64)))
_add("_validate_compressed_sparse_indices", _IDX + " that are valid for a 5 x 4 matrix with 6 entries",
     sample=lambda c: S(True, *_csr(c), 5, 4, 6))
_add("bucketize.Scalar", "a scalar and 1-D sorted boundaries",
     sample=lambda c: S(0.3, c.torch.tensor([-1.0, -0.25, 0.5, 1.5], dtype=c.dtype)))
_add("searchsorted.Scalar", "a 1-D sorted sequence and a scalar",
     sample=lambda c: S(c.torch.tensor([-1.0, -0.25, 0.5, 1.5], dtype=c.dtype), 0.3))
_add("searchsorted.Scalar_out", "a 1-D sorted sequence and a scalar, int64 out=",
     sample=lambda c: S(c.torch.tensor([-1.0, -0.25, 0.5, 1.5], dtype=c.dtype), 0.3, out=_empty(c, c.torch.int64)))
_add("isin.Scalar_Tensor_out", "values on a grid that holds the scalar; bool out=",
     sample=lambda c: S(0.5, c.quantized(4, 5), out=_empty(c, c.torch.bool)))
_add("isin.Tensor_Scalar_out", "values on a grid that holds the scalar; bool out=",
     sample=lambda c: S(c.quantized(4, 5), 0.5, out=_empty(c, c.torch.bool)))

# -- pointwise, fill, scatter with a reduction ----------------------------------------------------------
_add("clamp_", "the schema's defaults (min=max=None) are rejected by design", sample=lambda c: S(c.t(4, 5), -0.5, 0.5))
_add("clamp.out", "the schema's defaults (min=max=None) are rejected by design",
     sample=lambda c: S(c.t(4, 5), -0.5, 0.5, out=OUT))
_add("fill_.Tensor", "the fill value as a 0-dim tensor", sample=lambda c: S(c.t(4, 5), c.t(1).reshape(())))
_add("view_as_real", "a complex tensor (the dtype's complex counterpart)", sample=lambda c: S(c.complex(4, 5)))
_add("glu_jvp", "glu's output, its input (even along dim) and a tangent",
     sample=lambda c: (lambda x: S(c.t(4, 3), x, c.t(4, 6), 1))(c.t(4, 6)))
_add("glu_backward_jvp", "gradients and tangents shaped like glu's input [4, 6] and output [4, 3]",
     sample=lambda c: S(c.t(4, 6), c.t(4, 3), c.t(4, 6), c.t(4, 3), c.t(4, 6), 1))
_add("embedding_renorm_", "a weight table and unique row indices, max norm 1",
     sample=lambda c: S(c.t(10, 4), c.perm(10, 4), 1.0, 2.0))
_add("rrelu_with_noise.out", "evaluation mode (deterministic slope (lower + upper) / 2), noise shaped like the "
     "input", sample=lambda c: S(c.t(4, 5), c.t(4, 5), 0.125, 1 / 3, False, out=OUT))
for _name, _out in [("scatter.value_reduce", False), ("scatter.value_reduce_out", True),
                    ("scatter_.value_reduce", False)]:
    _add(_name, "unique indices per row, reduce='multiply' (the schema's 'sum' is not accepted here)",
         sample=(lambda c, _o=_out: S(c.t(4, 5), 1, c.torch.stack([c.perm(5, 3) for _ in range(4)]), 1.5,
                                      reduce="multiply", **({"out": OUT} if _o else {}))))

# -- random ops: shape and dtype only ----------------------------------------------------------------------
_RAND = "random: shape and dtype checked (the stream differs by backend); inputs inside the valid range"
_add("bernoulli_.Tensor", _RAND + " (probabilities in [0, 1])", check="metadata",
     sample=lambda c: S(c.t(4, 5), c.t(4, 5, low=0.0, high=1.0)))
_add("normal.float_Tensor", _RAND + " (std >= 0)", check="metadata", sample=lambda c: S(0.5, c.t(4, 5, low=0.1, high=2.0)))
_add("normal.float_Tensor_out", _RAND + " (std >= 0)", check="metadata",
     sample=lambda c: S(0.5, c.t(4, 5, low=0.1, high=2.0), out=OUT))
_add("normal.Tensor_float_out", _RAND + " (out= sized like the mean)", check="metadata",
     sample=lambda c: S(c.t(4, 5), 0.5, out=c.torch.zeros(4, 5, dtype=c.dtype)))
_add("poisson", _RAND + " (rates >= 0)", check="metadata", sample=lambda c: S(c.t(4, 5, low=0.5, high=4.0)))
_add("random_.from", _RAND + " (from < to)", check="metadata", sample=lambda c: S(c.t(4, 5), 1, 10))

# -- convolutions and upsampling that need 4-D / 5-D inputs ---------------------------------------------


def _slow2d(c: Ctx):
    return c.t(2, 3, 7, 6), c.t(4, 3, 3, 3)


_add("_slow_conv2d_forward", "4-D input, 3x3 kernel, stride and padding",
     sample=lambda c: S(*_slow2d(c), [3, 3], c.t(4), [2, 1], [1, 0]))
_add("_slow_conv2d_forward.output", "4-D input, 3x3 kernel, stride and padding",
     sample=lambda c: S(*_slow2d(c), [3, 3], c.t(4), [2, 1], [1, 0], output=OUT))


def _slow2d_backward(c: Ctx, out: bool):
    x, w = _slow2d(c)
    y = _f64("_slow_conv2d_forward", x, w, [3, 3], None, [2, 1], [1, 0])
    if out:
        return S(c.t(*y.shape), x, w, [3, 3], [2, 1], [1, 0], grad_input=OUT, grad_weight=OUT, grad_bias=OUT)
    return S(c.t(*y.shape), x, w, [3, 3], [2, 1], [1, 0], [True, True, True])


_add("_slow_conv2d_backward.output_mask", "gradient shaped like the forward output; all three grads. "
     "Tolerance x10: each grad sums ~50 products", tol=10.0, sample=lambda c: _slow2d_backward(c, False))
_add("_slow_conv2d_backward.grad_input", "gradient shaped like the forward output; all three grads into out= "
     "tensors. Tolerance x10: each grad sums ~50 products", tol=10.0, sample=lambda c: _slow2d_backward(c, True))
_add("slow_conv_dilated2d", "4-D input, dilation 2 along H", tol=10.0,
     sample=lambda c: S(*_slow2d(c), [3, 3], c.t(4), [1, 1], [1, 0], [2, 1]))
_add("slow_conv_dilated3d", "5-D input, dilation 2 along D", tol=10.0,
     sample=lambda c: S(c.t(1, 2, 6, 5, 5), c.t(3, 2, 2, 3, 3), [2, 3, 3], c.t(3), [1, 1, 1], [0, 1, 0], [2, 1, 1]))
for _name, _out in [("slow_conv_transpose2d", False), ("slow_conv_transpose2d.out", True)]:
    _add(_name, "4-D input, stride 2, output padding 1", tol=10.0,
         sample=lambda c, _o=_out: S(c.t(2, 4, 4, 3), c.t(4, 3, 3, 3), [3, 3], c.t(3), [2, 1], [1, 0], [1, 0], [1, 1],
                                     **({"out": OUT} if _o else {})))
for _name, _out in [("slow_conv_transpose3d", False), ("slow_conv_transpose3d.out", True)]:
    _add(_name, "5-D input, stride 2, output padding 1", tol=10.0,
         sample=lambda c, _o=_out: S(c.t(1, 2, 3, 4, 3), c.t(2, 3, 2, 3, 3), [2, 3, 3], c.t(3), [2, 1, 1], [0, 1, 0],
                                     [1, 0, 0], [1, 1, 1], **({"out": OUT} if _o else {})))
for _name, _out in [("_upsample_bicubic2d_aa_backward", False), ("_upsample_bicubic2d_aa_backward.grad_input", True)]:
    _add(_name, "gradient [1, 2, 4, 6] of an anti-aliased downsampling from [1, 2, 7, 9]",
         sample=lambda c, _o=_out: S(c.t(1, 2, 4, 6), [4, 6], [1, 2, 7, 9], False,
                                     **({"grad_input": OUT} if _o else {})))
_add("col2im.out", "columns [1, C*kh*kw, L] of a 2x2 kernel over a 4x5 image (L = 12), into out=",
     sample=lambda c: S(c.t(1, 8, 12), [4, 5], [2, 2], [1, 1], [0, 0], [1, 1], out=OUT))

# -- embedding bag, attention blocks ----------------------------------------------------------------------
_add("_embedding_bag_forward_only", "three bags (mode sum); the other outputs are scratch whose layout is "
     "backend-specific", outputs=(0,),
     sample=lambda c: S(c.t(10, 5), c.index(8, high=10), c.torch.tensor([0, 3, 5]), False, 0))


def _mha(c: Ctx):
    x = c.t(2, 5, 8, low=-1.0, high=1.0)
    return S(x, x, x, 8, 2, c.t(24, 8, low=-0.5, high=0.5), c.t(24), c.t(8, 8, low=-0.5, high=0.5), c.t(8),
             None, True, True)


_add("_native_multi_head_attention", "self-attention [batch, length, embed] with 2 heads, packed in-projection; "
     "output and averaged attention weights", sample=_mha)


# -- batch norm with saved statistics -------------------------------------------------------------------


def _bn_saved(c: Ctx):
    x = c.t(3, 4, 5, 2)
    mean, invstd = _stats(c, x)
    return x, mean, invstd


def _stats(c: Ctx, x):
    xd = x.double()
    mean = xd.mean((0, 2, 3))
    invstd = (xd.var((0, 2, 3), unbiased=False) + 1e-5).rsqrt()
    return mean.to(c.dtype), invstd.to(c.dtype)


_add("batch_norm_backward", "training-mode backward with the forward's saved mean and inverse std; "
     "all three grads", sample=lambda c: (lambda x, m, s: S(c.t(*x.shape), x, c.t(4), c.t(4), c.t(4, low=0.5, high=2.0),
                                                              m, s, True, 1e-5, [True, True, True],
                                                              c.torch.empty(0, dtype=c.torch.uint8)))(*_bn_saved(c)))
_add("cudnn_batch_norm", "training-mode batch norm; only the normalised output is compared: the saved "
     "statistics and the reserve space are kept in a backend-specific form", outputs=(0,),
     sample=lambda c: S(c.t(3, 4, 5, 2), c.t(4), c.t(4), c.t(4), c.t(4, low=0.5, high=2.0), True, 0.1, 1e-5))
_add("miopen_batch_norm_backward", "training-mode backward with the forward's saved mean and inverse std",
     sample=lambda c: (lambda x, m, s: S(x, c.t(*x.shape), c.t(4), c.t(4), c.t(4, low=0.5, high=2.0), m, s,
                                         1e-5))(*_bn_saved(c)))


# -- kernels with a float32 path only: both sides get float32 (`Exact`), the reference runs in float32 -----


def _f32(c: Ctx, *shape, low: float | None = None, high: float | None = None):
    return Exact(c.t(*shape, low=low, high=high, dtype=c.torch.float32))


def _x32(c: Ctx, value: list):
    return Exact(c.torch.tensor(value, dtype=c.torch.float32))


_F32 = "; float32 only (the CPU kernel has no float64 path): both sides and the reference run in float32"
_add("_amp_foreach_non_finite_check_and_unscale_", "gradients (one with an inf), a one-element found_inf flag "
     "and inverse scale, as GradScaler passes them" + _F32,
     sample=lambda c: S([_f32(c, 4, 5), Exact(c.specials(3).float())], _x32(c, [0.0]), _x32(c, [0.5])))
_add("_amp_update_scale_", "one-element scale, int32 growth tracker and found_inf, as GradScaler keeps them" + _F32,
     sample=lambda c: S(_x32(c, [4.0]), c.torch.tensor([2], dtype=c.torch.int32), _x32(c, [0.0]), 2.0, 0.5, 3))
_FQ = "fake quantisation to [0, 255] with a float scale and zero point"
_add("_fake_quantize_learnable_per_tensor_affine", _FQ + _F32,
     sample=lambda c: S(_f32(c, 4, 5), _x32(c, [0.02]), _x32(c, [100.0]), 0, 255, 1.0))
_add("_fake_quantize_learnable_per_tensor_affine_backward", _FQ + "; grads of input, scale and zero point" + _F32,
     sample=lambda c: S(_f32(c, 4, 5), _f32(c, 4, 5), _x32(c, [0.02]), _x32(c, [100.0]), 0, 255, 1.0))
_add("_fake_quantize_learnable_per_channel_affine", _FQ + ", one pair per column" + _F32,
     sample=lambda c: S(_f32(c, 4, 5), _f32(c, 5, low=0.01, high=0.03), _f32(c, 5, low=90.0, high=110.0), 1, 0, 255, 1.0))
_add("_fake_quantize_learnable_per_channel_affine_backward", _FQ + ", one pair per column; three grads" + _F32,
     sample=lambda c: S(_f32(c, 4, 5), _f32(c, 4, 5), _f32(c, 5, low=0.01, high=0.03), _f32(c, 5, low=90.0, high=110.0),
                        1, 0, 255, 1.0))
_add("_fake_quantize_per_tensor_affine_cachemask_tensor_qparams", _FQ + " (int32 zero point), enabled" + _F32,
     sample=lambda c: S(_f32(c, 4, 5), _x32(c, [0.02]), c.torch.tensor([100], dtype=c.torch.int32),
                        c.torch.tensor([1], dtype=c.torch.int64), 0, 255))
_add("fake_quantize_per_channel_affine_cachemask", _FQ + ", one pair per column (int32 zero points)" + _F32,
     sample=lambda c: S(_f32(c, 4, 5), _f32(c, 5, low=0.01, high=0.03), c.torch.full((5,), 100, dtype=c.torch.int32),
                        1, 0, 255))
_add("_weight_int8pack_mm", "activations [4, 8] times int8 weights [5, 8] transposed, per-row scales" + _F32,
     sample=lambda c: S(_f32(c, 4, 8), c.t(5, 8, low=-8, high=8, dtype=c.torch.int8), _f32(c, 5, low=0.01, high=0.1)))
_add("_grouped_mm", "a batch of two independent matmuls (3-D by 3-D, no offsets)" + _F32,
     sample=lambda c: S(_f32(c, 2, 4, 8), _f32(c, 2, 8, 8)))
