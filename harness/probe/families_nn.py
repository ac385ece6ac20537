"""Built-in records for the neural-network families: convolution, pooling, normalisation, padding,
upsampling, grid sampling, softmax.

Backward ops get the saved tensors their forward op would have produced (output shape, pooling
indices, normalisation statistics), computed in float64 on the CPU and cast to the dtype under
test, so the gradient inputs are consistent with the primal inputs.
"""

from __future__ import annotations

from harness.probe.recordkit import Family, S
from harness.probe.recordkit import f64 as _f64
from harness.probe.samples import Ctx, Sample

FAMILY = Family()
_add = FAMILY.add

# -- convolution ------------------------------------------------------------------------------------
_CONV = ([2, 1], [1, 0], [1, 1], False, [0, 0], 2)  # stride, padding, dilation, transposed, out_pad, groups


def _conv(c: Ctx) -> Sample:
    return S(c.t(2, 4, 7, 6), c.t(6, 2, 3, 3), c.t(6), *_CONV)


def _conv_backward(c: Ctx) -> Sample:
    x, w = c.t(2, 4, 7, 6), c.t(6, 2, 3, 3)
    out = _f64("convolution", x, w, None, *_CONV)
    return S(c.t(*out.shape), x, w, [6], *_CONV, [True, True, True])


_add("convolution", "2-D convolution with stride, padding and groups", sample=_conv)
_add("convolution_backward", "gradient shaped like the forward output; all three grads. Tolerance x10:"
     " each grad sums ~50 products, and 16-bit partial sums round at the terms' scale, not the result's",
     sample=_conv_backward, tol=10.0)

# -- pooling ----------------------------------------------------------------------------------------
_add("adaptive_avg_pool1d", "3-D input, output size dividing unevenly", sample=lambda c: S(c.t(2, 3, 7), [3]))
_add("_adaptive_avg_pool2d", "4-D input, uneven bins", sample=lambda c: S(c.t(2, 3, 7, 6), [3, 4]))
_add("_adaptive_avg_pool3d", "5-D input", sample=lambda c: S(c.t(1, 2, 4, 5, 6), [2, 2, 3]))
_add("_adaptive_avg_pool2d_backward", "gradient shaped like the pooled output",
     sample=lambda c: S(c.t(2, 3, 3, 4), c.t(2, 3, 7, 6)))
_add("avg_pool1d", "3-D input, kernel 3 stride 2 pad 1", sample=lambda c: S(c.t(2, 3, 8), [3], [2], [1]))
_add("avg_pool2d", "kernel 3, stride 2, padding 1", sample=lambda c: S(c.t(2, 3, 7, 6), [3, 3], [2, 2], [1, 1]))
_add("avg_pool3d", "kernel 2, stride 2", sample=lambda c: S(c.t(1, 2, 4, 4, 6), [2, 2, 2], [2, 2, 2]))
_add("avg_pool2d_backward", "gradient shaped like the pooled output",
     sample=lambda c: S(c.t(2, 3, 4, 3), c.t(2, 3, 7, 6), [3, 3], [2, 2], [1, 1], False, True, None))


def _max_pool2d_backward(c: Ctx) -> Sample:
    x = c.distinct(2, 3, 6, 6)
    _, idx = _f64("max_pool2d_with_indices", x, [2, 2], [2, 2], [0, 0], [1, 1], False)
    return S(c.t(*idx.shape), x, [2, 2], [2, 2], [0, 0], [1, 1], False, idx)


_add("max_pool2d_with_indices", "distinct values so the argmax indices are unique",
     sample=lambda c: S(c.distinct(2, 3, 6, 6), [2, 2], [2, 2]))
_add("max_pool3d_with_indices", "distinct values so the argmax indices are unique",
     sample=lambda c: S(c.distinct(1, 2, 4, 4, 6), [2, 2, 2], [2, 2, 2]))
_add("max_pool2d_with_indices_backward", "indices from the forward op on the same input",
     sample=_max_pool2d_backward)
_add("col2im", "columns of a 2x2 unfold of a 4x5 image (L = 3*4 blocks)",
     sample=lambda c: S(c.t(2, 12, 12), [4, 5], [2, 2], [1, 1], [0, 0], [1, 1]))

# -- normalisation -----------------------------------------------------------------------------------


def _running_stats(c: Ctx, n: int):
    return c.t(n), c.t(n, low=0.5, high=2.0)  # running_var must be positive


_add("_native_batch_norm_legit", "training mode with running stats (updated in place and compared)",
     sample=lambda c: S(c.t(4, 3, 5), c.t(3), c.t(3), *_running_stats(c, 3), True, 0.1, 1e-5))
_add("_native_batch_norm_legit.no_stats", "training mode: without running stats, eval mode is "
     "invalid (and segfaults the CPU kernel in torch 2.13.0)",
     sample=lambda c: S(c.t(4, 3, 5), c.t(3), c.t(3), True, 0.1, 1e-5))
_add("_native_batch_norm_legit_no_training", "positive running variance",
     sample=lambda c: S(c.t(4, 3, 5), c.t(3), c.t(3), *_running_stats(c, 3), 0.1, 1e-5))
_add("native_group_norm", "N=2, C=6, HxW=3 in 3 groups, with affine weights",
     sample=lambda c: S(c.t(2, 6, 3), c.t(6), c.t(6), 2, 6, 3, 3, 1e-5))


def _group_norm_backward(c: Ctx) -> Sample:
    x, w = c.t(2, 6, 3), c.t(6)
    _, mean, rstd = _f64("native_group_norm", x, w, None, 2, 6, 3, 3, 1e-5)
    return S(c.t(2, 6, 3), x, mean.to(c.dtype), rstd.to(c.dtype), w, 2, 6, 3, 3, [True, True, True])


def _layer_norm_backward(c: Ctx) -> Sample:
    x, w, b = c.t(4, 5), c.t(5), c.t(5)
    _, mean, rstd = _f64("native_layer_norm", x, [5], w, b, 1e-5)
    return S(c.t(4, 5), x, [5], mean.to(c.dtype), rstd.to(c.dtype), w, b, [True, True, True])


_add("native_group_norm_backward", "statistics from the forward op on the same input",
     sample=_group_norm_backward)
_add("native_layer_norm", "affine weight and bias", sample=lambda c: S(c.t(4, 5), [5], c.t(5), c.t(5), 1e-5))
_add("native_layer_norm_backward", "statistics from the forward op on the same input",
     sample=_layer_norm_backward)

# -- padding, upsampling, sampling ----------------------------------------------------------------------
_add("reflection_pad1d", "padding smaller than the dimension", sample=lambda c: S(c.t(2, 3, 5), [2, 1]))
_add("reflection_pad2d", "asymmetric padding", sample=lambda c: S(c.t(2, 3, 4, 5), [1, 2, 2, 1]))
_add("reflection_pad3d", "padding on every side", sample=lambda c: S(c.t(1, 2, 3, 4, 5), [1, 1, 2, 1, 1, 2]))
_add("replication_pad2d", "asymmetric padding", sample=lambda c: S(c.t(2, 3, 4, 5), [1, 2, 2, 1]))
_add("replication_pad3d", "padding on every side", sample=lambda c: S(c.t(1, 2, 3, 4, 5), [1, 1, 2, 1, 1, 2]))
_add("upsample_bilinear2d.vec", "a non-integer scale (4x5 -> 7x9)",
     sample=lambda c: S(c.t(2, 3, 4, 5), [7, 9], False, None))
_add("upsample_nearest2d.vec", "an integer scale by output size", sample=lambda c: S(c.t(2, 3, 4, 5), [8, 10], None))
_add("grid_sampler_2d", "grid points inside [-1, 1], bilinear, zero padding. Tolerance x8: pixel"
     " coordinates are computed in the input dtype, so a 16-bit coordinate's rounding is multiplied by"
     " the image gradient", sample=lambda c: S(c.t(2, 3, 5, 6), c.t(2, 4, 4, 2, low=-1.0, high=1.0), 0, 0, False),
     tol=8.0)
_add("_softmax", "along the last dimension", sample=lambda c: S(c.t(4, 5), -1, False))
_add("_log_softmax", "along the last dimension", sample=lambda c: S(c.t(4, 5), -1, False))
