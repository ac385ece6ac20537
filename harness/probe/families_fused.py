"""Built-in records for vendor-library and fused kernels that have no CPU kernel of their own:
flash / memory-efficient / cuDNN attention, cuDNN and MIOpen convolutions and batch norm, depthwise
convolutions, matmuls with a wider output dtype, fused RNN cells.

Each record gives a sample in the kernel's own layout and a ``reference``: the same computation
written with ordinary ops, which the float64 CPU reference runs instead (see `execute`). Only the
outputs whose meaning is fixed by the op's contract are compared; workspace, random-state and
statistics outputs whose layout is backend-specific are left out (``outputs=``), and the reason
says so. On a CPU the kernels themselves report ``unsupported``: the sample is still checked to be
valid, and on the device that has the kernel the comparison is real.
"""

from __future__ import annotations

from harness.probe.recordkit import Family, S
from harness.probe.samples import OUT, Ctx

FAMILY = Family()
_add = FAMILY.add


# -- attention: softmax(q k^T * scale [+ causal mask]) v --------------------------------------------


def _attention(q, k, v, is_causal: bool, scale=None):
    """Attention on [..., L, E] tensors, written out (no fused kernel)."""
    import math

    import torch

    s = (q @ k.transpose(-2, -1)) * (scale if scale is not None else 1.0 / math.sqrt(q.shape[-1]))
    if is_causal:
        lq, lk = q.shape[-2], k.shape[-2]
        keep = torch.ones(lq, lk, dtype=torch.bool).tril()
        s = s.masked_fill(~keep, float("-inf"))
    return torch.softmax(s, dim=-1) @ v


def _bhle(c: Ctx):
    """query, key, value as [batch, heads, length, head dim] (the SDPA layout)."""
    return c.t(2, 3, 8, 16, low=-1.0, high=1.0), c.t(2, 3, 8, 16, low=-1.0, high=1.0), c.t(2, 3, 8, 16)


def _blhe(c: Ctx):
    """query, key, value as [batch, length, heads, head dim] (the flash / xformers kernels' layout)."""
    return c.t(2, 8, 3, 16, low=-1.0, high=1.0), c.t(2, 8, 3, 16, low=-1.0, high=1.0), c.t(2, 8, 3, 16)


def _blhe_attention(q, k, v, is_causal, scale=None):
    return _attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal, scale).transpose(1, 2)


_ATTN = ("causal attention; only the output is compared: log-sum-exp, sequence offsets and the "
         "random-state outputs are backend-specific scratch")
_add("_scaled_dot_product_flash_attention", _ATTN, outputs=(0,),
     sample=lambda c: S(*_bhle(c), 0.0, True),
     reference=lambda q, k, v, p, causal, *a, **kw: (_attention(q, k, v, causal, kw.get("scale")),) + (None,) * 8)
_add("_scaled_dot_product_efficient_attention", _ATTN, outputs=(0,),
     sample=lambda c: S(*_bhle(c), None, False, 0.0, True),
     reference=lambda q, k, v, bias, lse, p, causal, **kw: (_attention(q, k, v, causal, kw.get("scale")),) + (None,) * 3)
_add("_scaled_dot_product_cudnn_attention", _ATTN, outputs=(0,),
     sample=lambda c: S(*_bhle(c), None, False, 0.0, True, False),
     reference=lambda q, k, v, bias, lse, p, causal, dbg, **kw: (_attention(q, k, v, causal, kw.get("scale")),) + (None,) * 8)
_add("_flash_attention_forward", _ATTN + "; [batch, length, heads, dim] layout, no variable lengths",
     outputs=(0,), sample=lambda c: S(*_blhe(c), None, None, 8, 8, 0.0, True, False),
     reference=lambda q, k, v, cq, ck, mq, mk, p, causal, dbg, **kw:
         (_blhe_attention(q, k, v, causal, kw.get("scale")),) + (None,) * 4)
_add("_efficient_attention_forward", _ATTN + "; [batch, length, heads, dim] layout, custom_mask_type 1 "
     "(causal from the top left)", outputs=(0,),
     sample=lambda c: S(*_blhe(c), None, None, None, None, None, 0.0, 1),
     reference=lambda q, k, v, bias, cq, ck, mq, mk, p, mask_type, *a, **kw:
         (_blhe_attention(q, k, v, mask_type == 1, kw.get("scale")),) + (None,) * 5)


# -- matmuls with an explicit output dtype ------------------------------------------------------------
# out_dtype float32 is the documented use (16-bit inputs accumulated and returned in float32); the
# reference runs in float64, so the comparison is at the input dtype's tolerance.


def _out_dtype(c: Ctx):
    return c.torch.float32


def _mm_dtype(a, b, out_dtype, **kw):
    return _into(kw, a @ b)


def _addmm_dtype(bias, a, b, out_dtype, beta=1, alpha=1, **kw):
    return _into(kw, beta * bias + alpha * (a @ b))


def _into(kw: dict, value):
    """The value, written into ``out=`` when the sample passed one (an ``.out`` overload)."""
    out = kw.get("out")
    if out is None:
        return value
    out.resize_(value.shape).copy_(value)
    return out


_DT = "16-bit inputs with a float32 result (out_dtype), the reduced-precision GEMM path"
_add("mm.dtype", _DT, sample=lambda c: S(c.t(4, 6), c.t(6, 5), _out_dtype(c)), reference=_mm_dtype)
_add("bmm.dtype", _DT, sample=lambda c: S(c.t(2, 4, 6), c.t(2, 6, 5), _out_dtype(c)), reference=_mm_dtype)
_add("addmm.dtype", _DT, sample=lambda c: S(c.t(4, 5), c.t(4, 6), c.t(6, 5), _out_dtype(c), beta=0.5, alpha=2),
     reference=_addmm_dtype)
_add("baddbmm.dtype", _DT, sample=lambda c: S(c.t(2, 4, 5), c.t(2, 4, 6), c.t(2, 6, 5), _out_dtype(c),
                                               beta=0.5, alpha=2), reference=_addmm_dtype)
_add("mm.dtype_out", _DT, sample=lambda c: S(c.t(4, 6), c.t(6, 5), _out_dtype(c), out=c.torch.empty(0, dtype=c.torch.float32)),
     reference=_mm_dtype)
_add("bmm.dtype_out", _DT, sample=lambda c: S(c.t(2, 4, 6), c.t(2, 6, 5), _out_dtype(c), out=c.torch.empty(0, dtype=c.torch.float32)),
     reference=_mm_dtype)
_add("addmm.dtype_out", _DT, sample=lambda c: S(c.t(4, 5), c.t(4, 6), c.t(6, 5), _out_dtype(c), beta=0.5,
                                                 alpha=2, out=c.torch.empty(0, dtype=c.torch.float32)), reference=_addmm_dtype)
_add("baddbmm.dtype_out", _DT, sample=lambda c: S(c.t(2, 4, 5), c.t(2, 4, 6), c.t(2, 6, 5), _out_dtype(c),
                                                   beta=0.5, alpha=2, out=c.torch.empty(0, dtype=c.torch.float32)), reference=_addmm_dtype)


# -- vendor convolutions: the same arithmetic as aten.convolution ----------------------------------------


def _conv(x, w, bias, stride, padding, dilation, groups, transposed=False, output_padding=(0, 0)):
    import torch

    return torch.ops.aten.convolution(x, w, bias, list(stride), list(padding), list(dilation), transposed,
                                      list(output_padding), groups)


def _xw(c: Ctx, groups: int = 2):
    return c.t(2, 4, 7, 6), c.t(6, 4 // groups, 3, 3)


_VENDOR = "2-D convolution with stride, padding and groups; reference: aten.convolution"
for _name, _out in [("cudnn_convolution", False), ("cudnn_convolution.out", True)]:
    _add(_name, _VENDOR, tol=10.0,
         sample=lambda c, _o=_out: S(*_xw(c), [1, 0], [2, 1], [1, 1], 2, False, True, False,
                                     **({"out": OUT} if _o else {})),
         reference=lambda x, w, pad, stride, dil, g, *a, **kw: _into(kw, _conv(x, w, None, stride, pad, dil, g)))
_add("miopen_convolution", _VENDOR, tol=10.0,
     sample=lambda c: S(*_xw(c), c.t(6), [1, 0], [2, 1], [1, 1], 2, False, True),
     reference=lambda x, w, b, pad, stride, dil, g, *a: _conv(x, w, b, stride, pad, dil, g))
for _lib in ("cudnn", "miopen"):  # the fused conv + bias (+ alpha * z) + relu kernels
    _add(f"{_lib}_convolution_relu", _VENDOR + ", then relu", tol=10.0,
         sample=lambda c: S(*_xw(c), c.t(6), [2, 1], [1, 0], [1, 1], 2),
         reference=lambda x, w, b, stride, pad, dil, g: _conv(x, w, b, stride, pad, dil, g).relu())
    _add(f"{_lib}_convolution_add_relu", _VENDOR + ", plus alpha * z, then relu", tol=10.0,
         sample=lambda c: S(*_xw(c), c.t(2, 6, 4, 4), 0.5, c.t(6), [2, 1], [1, 0], [1, 1], 2),
         reference=lambda x, w, z, alpha, b, stride, pad, dil, g:
             (_conv(x, w, b, stride, pad, dil, g) + (1.0 if alpha is None else alpha) * z).relu())
_add("miopen_depthwise_convolution", "depthwise 2-D convolution (groups = channels); reference: "
     "aten.convolution", tol=10.0,
     sample=lambda c: S(c.t(2, 4, 7, 6), c.t(4, 1, 3, 3), c.t(4), [1, 0], [2, 1], [1, 1], 4, False, True),
     reference=lambda x, w, b, pad, stride, dil, g, *a: _conv(x, w, b, stride, pad, dil, g))
_add("cudnn_convolution_transpose", "transposed 2-D convolution with stride and groups; reference: "
     "aten.convolution", tol=10.0,
     sample=lambda c: S(c.t(2, 4, 4, 3), c.t(4, 3, 3, 3), [1, 0], [1, 0], [2, 1], [1, 1], 2, False, True, False),
     reference=lambda x, w, pad, opad, stride, dil, g, *a: _conv(x, w, None, stride, pad, dil, g, True, opad))
_add("miopen_convolution_transpose", "transposed 2-D convolution with stride and groups; reference: "
     "aten.convolution", tol=10.0,
     sample=lambda c: S(c.t(2, 4, 4, 3), c.t(4, 3, 3, 3), c.t(6), [1, 0], [1, 0], [2, 1], [1, 1], 2, False, True),
     reference=lambda x, w, b, pad, opad, stride, dil, g, *a: _conv(x, w, b, stride, pad, dil, g, True, opad))
for _name, _out in [("_conv_depthwise2d", False), ("_conv_depthwise2d.out", True)]:
    _add(_name, "depthwise 2-D convolution (groups = channels); reference: aten.convolution", tol=10.0,
         sample=lambda c, _o=_out: S(c.t(2, 4, 7, 6), c.t(4, 1, 3, 3), [3, 3], c.t(4), [2, 1], [1, 0], [1, 1],
                                     **({"out": OUT} if _o else {})),
         reference=lambda x, w, ks, b, stride, pad, dil, **kw:
             _into(kw, _conv(x, w, b, stride, pad, dil, x.shape[1])))
_add("conv_depthwise3d", "depthwise 3-D convolution (groups = channels); reference: aten.convolution", tol=10.0,
     sample=lambda c: S(c.t(1, 3, 5, 6, 5), c.t(3, 1, 3, 3, 3), [3, 3, 3], c.t(3), [1, 2, 1], [1, 0, 1], [1, 1, 1]),
     reference=lambda x, w, ks, b, stride, pad, dil: _conv(x, w, b, stride, pad, dil, x.shape[1], False, (0, 0, 0)))


# -- normalisation pieces ------------------------------------------------------------------------------


def _bn_train(x, w, b, eps):
    dims = [0] + list(range(2, x.dim()))
    mean = x.mean(dims)
    invstd = (x.var(dims, unbiased=False) + eps).rsqrt()
    return _affine(x, w, b, mean, invstd), mean, invstd


_add("batch_norm_stats", "per-channel mean and inverse standard deviation (biased variance) of a "
     "4-D input", sample=lambda c: S(c.t(3, 4, 5, 2), 1e-5),
     reference=lambda x, eps: _bn_train(x, None, None, eps)[1:])
for _name, _out in [("batch_norm_elemt", False), ("batch_norm_elemt.out", True)]:
    _add(_name, "normalise with given per-channel mean and inverse std, then scale and shift",
         sample=lambda c, _o=_out: S(c.t(3, 4, 5, 2), c.t(4), c.t(4), c.t(4), c.t(4, low=0.5, high=2.0), 1e-5,
                                     **({"out": OUT} if _o else {})),
         reference=lambda x, w, b, mean, invstd, eps, **kw: _into(kw, _affine(x, w, b, mean, invstd)))
_add("miopen_batch_norm", "training-mode batch norm; only the normalised output is compared: the "
     "saved statistics are kept in a backend-specific form (MIOpen saves the inverse std)", outputs=(0,),
     sample=lambda c: S(c.t(3, 4, 5, 2), c.t(4), c.t(4), None, None, True, 0.1, 1e-5),
     reference=lambda x, w, b, rm, rv, training, f, eps: (_bn_train(x, w, b, eps)[0], None, None))


def _affine(x, w, b, mean, invstd):
    """(x - mean) * invstd, then * weight and + bias where given, per channel (dim 1)."""
    shape = [1, -1] + [1] * (x.dim() - 2)
    y = (x - mean.reshape(shape)) * invstd.reshape(shape)
    if w is not None:
        y = y * w.reshape(shape)
    if b is not None:
        y = y + b.reshape(shape)
    return y


def _masked_scale(x, mask, scale):
    return x * mask * scale


_add("_masked_scale", "input times a 0/1 uint8 mask (the dtype the CUDA kernel requires) times a scale "
     "(dropout's apply step)",
     sample=lambda c: S(c.t(4, 5), c.mask(4, 5).to(c.torch.uint8), 1.25), reference=_masked_scale)


# -- fused RNN cells (gates already multiplied, as nn.LSTM / nn.GRU on CUDA call them) ----------------


def _lstm_cell(ig, hg, cx, ib=None, hb=None):
    gates = ig + hg + (ib if ib is not None else 0) + (hb if hb is not None else 0)
    i, f, g, o = gates.chunk(4, 1)
    cy = f.sigmoid() * cx + i.sigmoid() * g.tanh()
    return cy.tanh() * o.sigmoid(), cy, None


def _gru_cell(ig, hg, hx, ib=None, hb=None):
    ig = ig + (ib if ib is not None else 0)
    hg = hg + (hb if hb is not None else 0)
    ir, iz, in_ = ig.chunk(3, 1)
    hr, hz, hn = hg.chunk(3, 1)
    r, z = (ir + hr).sigmoid(), (iz + hz).sigmoid()
    n = (in_ + r * hn).tanh()
    return (1 - z) * n + z * hx, None


_add("_thnn_fused_lstm_cell", "LSTM cell from precomputed gates (i, f, g, o) and biases; the workspace "
     "output is the backward pass's scratch", outputs=(0, 1),
     sample=lambda c: S(c.t(3, 20), c.t(3, 20), c.t(3, 5), c.t(20), c.t(20)), reference=_lstm_cell)
_add("_thnn_fused_gru_cell", "GRU cell from precomputed gates (r, z, n) and biases; the workspace output "
     "is the backward pass's scratch", outputs=(0,),
     sample=lambda c: S(c.t(3, 15), c.t(3, 15), c.t(3, 5), c.t(15), c.t(15)), reference=_gru_cell)


# -- SyncBatchNorm's pieces (per-process statistics combined across processes) ---------------------------


def _saved(c: Ctx):
    """A 4-D input with its per-channel mean and inverse std, computed in float64 and cast."""
    x = c.t(3, 4, 5, 2)
    xd = x.double()
    mean, invstd = xd.mean((0, 2, 3)), (xd.var((0, 2, 3), unbiased=False) + 1e-5).rsqrt()
    return x, mean.to(c.dtype), invstd.to(c.dtype)


def _gather(x, mean, invstd, rm, rv, momentum, eps, counts):
    """Combine per-process (mean, invstd, count) into the global mean and inverse std."""
    counts = counts.to(mean.dtype).reshape(-1, 1)
    n = counts.sum(0)
    total_mean = (counts * mean).sum(0) / n
    var = 1.0 / (invstd * invstd) - eps
    m2 = (counts * (var + mean * mean)).sum(0) - n * total_mean * total_mean
    return total_mean, 1.0 / (m2 / n + eps).sqrt()


def _world(c: Ctx):
    """Statistics of three processes for 4 channels, each over 30 elements."""
    return c.t(3, 4), c.t(3, 4, low=0.5, high=2.0)


_SYNC = "SyncBatchNorm: per-process (mean, invstd) of three processes combined; reference: the Welford merge"
_add("batch_norm_gather_stats", _SYNC + "; the running statistics it updates are not compared",
     sample=lambda c: S(c.t(3, 4, 5, 2), *_world(c), c.t(4), c.t(4, low=0.5, high=2.0), 0.1, 1e-5, 30),
     reference=lambda x, mean, invstd, rm, rv, m, eps, count:
         _gather(x, mean, invstd, rm, rv, m, eps, x.new_full((mean.shape[0],), count)))
_add("batch_norm_gather_stats_with_counts", _SYNC + " (unequal counts); the running statistics it updates "
     "are not compared",
     sample=lambda c: S(c.t(3, 4, 5, 2), *_world(c), c.t(4), c.t(4, low=0.5, high=2.0), 0.1, 1e-5,
                        c.torch.tensor([30.0, 20.0, 10.0], dtype=c.dtype)),
     reference=_gather)


def _reduce_sample(c: Ctx):
    x, mean, invstd = _saved(c)
    return S(c.t(3, 4, 5, 2), x, mean, invstd, c.t(4), True, True, True)


def _reduce(dy, x, mean, invstd, w, input_g, weight_g, bias_g):
    shape = [1, -1, 1, 1]
    sum_dy = dy.sum((0, 2, 3))
    sum_dy_xmu = (dy * (x - mean.reshape(shape))).sum((0, 2, 3))
    return sum_dy, sum_dy_xmu, sum_dy_xmu * invstd, sum_dy


def _elemt_sample(c: Ctx):
    x, mean, invstd = _saved(c)
    dy = c.t(3, 4, 5, 2)
    sum_dy, sum_dy_xmu, _, _ = _reduce(dy.double(), x.double(), mean.double(), invstd, None, True, True, True)
    return S(dy, x, mean, invstd, c.t(4), sum_dy.to(c.dtype), sum_dy_xmu.to(c.dtype),
             c.torch.tensor([30], dtype=c.torch.int32))


def _elemt(dy, x, mean, invstd, w, sum_dy, sum_dy_xmu, count):
    shape = [1, -1, 1, 1]
    n = float(count.sum())
    proj = (sum_dy_xmu / n) * invstd * invstd
    return (dy - (sum_dy / n).reshape(shape) - (x - mean.reshape(shape)) * proj.reshape(shape)) * \
        (invstd * w).reshape(shape)


_add("batch_norm_backward_reduce", "SyncBatchNorm backward, local sums: sum(dy), sum(dy * (x - mean)), and the "
     "weight and bias grads from them", sample=_reduce_sample, reference=_reduce)
_add("batch_norm_backward_elemt", "SyncBatchNorm backward, the input gradient from the all-reduced sums over "
     "30 elements", sample=_elemt_sample, reference=_elemt)


# -- cuDNN's grid sampler and affine grid (the align_corners=True, bilinear, zero-padding case) ------------
_add("cudnn_grid_sampler", "bilinear sampling with zero padding and align_corners=True (the only case "
     "grid_sampler hands to cuDNN); reference: grid_sampler_2d",
     sample=lambda c: S(c.t(2, 3, 5, 6), c.t(2, 4, 3, 2, low=-1.1, high=1.1)),
     reference=lambda x, grid: __import__("torch").ops.aten.grid_sampler_2d(x, grid, 0, 0, True))
_add("cudnn_affine_grid_generator", "a 2-D affine sampling grid with align_corners=True (the case "
     "affine_grid hands to cuDNN); reference: affine_grid_generator",
     sample=lambda c: S(c.t(2, 2, 3), 2, 3, 4, 5),
     reference=lambda theta, n, ch, h, w: __import__("torch").ops.aten.affine_grid_generator(theta, [n, ch, h, w], True))
