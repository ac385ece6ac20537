"""Compare a device's outputs with the float64 CPU reference; tolerances per dtype.

The reference runs the same op on the CPU in float64 (complex128, or the op's own dtype for
integer ops) on exactly the dtype-rounded inputs the device got. A device result passes when

    |actual - reference| <= atol + rtol * |reference|      elementwise,

nan where the reference has nan, and the same infinities. The tolerances below are for one
rounding of a well-conditioned result in the dtype under test, with headroom for the few ulps
that fused or reordered accumulation adds: torch.testing's same-dtype defaults for float32, a
little wider than one rounding (half an ulp is 3.9e-3 for bfloat16, 4.9e-4 for float16). A
record or a device quirk scales them, with its reason.

``max_abs_error`` is the largest ``|actual - reference|``; ``max_rel_error`` the largest
``|actual - reference| / |reference|`` over elements whose reference magnitude exceeds atol (below
that, a relative error means nothing).

Output dtypes must match: the reference's float64 maps to the dtype under test; a *wider* float
is accepted (normalisation ops may return float32 statistics for 16-bit inputs, as CUDA does).
Integer and boolean outputs (indices, masks, comparisons) must match exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

TOLERANCES: dict[str, tuple[float, float]] = {  # dtype -> (atol, rtol)
    "float64": (1e-7, 1e-7),
    "float32": (1e-5, 1.3e-6),
    "bfloat16": (1e-2, 1.6e-2),
    "float16": (1e-3, 1e-3),
    "float8_e4m3fn": (0.1, 0.125),
    "float8_e5m2": (0.1, 0.25),
    "float8_e4m3fnuz": (0.1, 0.125),
    "float8_e5m2fnuz": (0.1, 0.25),
}


def tolerance(dtype: str, scale: float = 1.0) -> tuple[float, float]:
    """(atol, rtol) for a dtype name; exact (0, 0) for integer and bool dtypes."""
    base = dtype.replace("complex128", "float64").replace("complex64", "float32").replace("complex32", "float16")
    atol, rtol = TOLERANCES.get(base, (0.0, 0.0))
    return atol * scale, rtol * scale


def dtype_name(dt) -> str:
    return str(dt).removeprefix("torch.")


@dataclass
class Verdict:
    ok: bool
    message: str | None = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None


def flatten(x) -> list:
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in flatten(item)]
    return [x]


def expected_dtype(ref_dtype, dtype):
    """The dtype the device should return where the reference returned ``ref_dtype``."""
    import torch

    if ref_dtype == torch.float64 and dtype.is_floating_point:
        return dtype
    if ref_dtype == torch.complex128 and dtype.is_floating_point:
        return {torch.float32: torch.complex64, torch.float16: torch.complex32}.get(dtype, torch.complex64)
    return ref_dtype


def _dtype_ok(actual, expected) -> bool:
    if actual == expected:
        return True
    same_kind = (actual.is_floating_point and expected.is_floating_point) or (actual.is_complex and expected.is_complex)
    return same_kind and actual.itemsize > expected.itemsize


def compare(actual, reference, dtype, *, atol: float, rtol: float, metadata_only: bool = False,
            outputs: tuple[int, ...] | None = None, device_type: str | None = None) -> Verdict:
    """Compare an op's outputs (nested tuples/lists of tensors and numbers) with the reference.

    With ``device_type``, every output tensor must live on that device: a backend that hands back
    a host tensor has fallen back silently, and that is a mismatch, not a pass.
    """
    a_leaves, r_leaves = flatten(actual), flatten(reference)
    if len(a_leaves) != len(r_leaves):
        return Verdict(False, f"{len(a_leaves)} outputs, the reference has {len(r_leaves)}")
    verdict = Verdict(True)
    for i, (a, r) in enumerate(zip(a_leaves, r_leaves, strict=True)):
        if outputs is not None and i not in outputs:
            continue
        v = _compare_leaf(a, r, dtype, atol, rtol, metadata_only, device_type)
        for attr in ("max_abs_error", "max_rel_error"):
            new = getattr(v, attr)
            if new is not None:
                old = getattr(verdict, attr)
                setattr(verdict, attr, new if old is None else max(old, new))
        if not v.ok and verdict.ok:
            verdict.ok = False
            verdict.message = f"output {i}: {v.message}" if len(a_leaves) > 1 else v.message
    return verdict


def _compare_leaf(a, r, dtype, atol, rtol, metadata_only, device_type=None) -> Verdict:
    import torch

    if isinstance(r, torch.Tensor):
        if not isinstance(a, torch.Tensor):
            return Verdict(False, f"returned {type(a).__name__}, the reference a tensor")
        if device_type is not None and a.device.type != device_type:
            return Verdict(False, f"output on {a.device.type}, not on {device_type}")
        if r.is_nested or a.is_nested:  # nested tensors have no single shape: compare them padded
            if not (r.is_nested and a.is_nested):
                return Verdict(False, "nested tensor expected" if r.is_nested else "returned a nested tensor")
            a, r = a.to_padded_tensor(0), r.to_padded_tensor(0)
        if tuple(a.shape) != tuple(r.shape):
            return Verdict(False, f"shape {tuple(a.shape)}, the reference {tuple(r.shape)}")
        want = expected_dtype(r.dtype, dtype)
        if not _dtype_ok(a.dtype, want):
            return Verdict(False, f"dtype {dtype_name(a.dtype)}, expected {dtype_name(want)}")
        if metadata_only:
            return Verdict(True)
        a, r = a.detach().cpu(), r.detach()
        if a.layout != torch.strided or r.layout != torch.strided:  # sparse outputs: compare densely
            a, r = a.to_dense(), r.to_dense()
        if a.is_quantized and r.is_quantized:  # the integer codes, exactly, at the same scale
            if a.qscheme() != r.qscheme():
                return Verdict(False, f"quantisation scheme {a.qscheme()}, the reference {r.qscheme()}")
            a, r = a.int_repr(), r.int_repr()
        return _values(a, r, atol, rtol)
    if r is None or isinstance(r, (bool, int, str)) or not isinstance(r, (float, complex)):
        if metadata_only and type(a) is type(r):
            return Verdict(True)
        return Verdict(a == r, None if a == r else f"returned {a!r}, the reference {r!r}")
    if not isinstance(a, (int, float, complex)):
        return Verdict(False, f"returned {type(a).__name__}, the reference a number")
    return _values(torch.tensor(a), torch.tensor(r), atol, rtol)


def _values(a, r, atol, rtol) -> Verdict:
    import torch

    if not (r.is_floating_point() or r.is_complex()):
        bad = int((a != r).sum())
        return Verdict(bad == 0, None if bad == 0 else f"{bad}/{r.numel()} elements differ (exact match required)",
                       0.0 if bad == 0 else None)
    wide = torch.complex128 if (r.is_complex() or a.is_complex()) else torch.float64
    a, r = a.to(wide), r.to(wide)
    nan_a, nan_r = a.isnan(), r.isnan()
    if not torch.equal(nan_a, nan_r):
        return Verdict(False, f"nan at {int((nan_a != nan_r).sum())} position(s) where the reference differs")
    inf_a, inf_r = a.isinf(), r.isinf()
    if not torch.equal(inf_a, inf_r) or not torch.equal(a[inf_r], r[inf_r]):
        return Verdict(False, "infinities differ from the reference")
    finite = ~(nan_r | inf_r)
    a, r = a[finite], r[finite]
    if r.numel() == 0:
        return Verdict(True)
    diff = (a - r).abs()
    mag = r.abs()
    max_abs = float(diff.max())
    big = mag > atol
    max_rel = float((diff[big] / mag[big]).max()) if bool(big.any()) else 0.0
    bad = diff > atol + rtol * mag
    n_bad = int(bad.sum())
    if n_bad:
        return Verdict(False, f"{n_bad}/{r.numel()} elements outside atol={atol:.3g} + rtol={rtol:.3g}*|ref|",
                       max_abs, max_rel)
    return Verdict(True, None, max_abs, max_rel)


# -- random ops: shape, dtype and distribution, never values ------------------------------------------

def check_random(kind: str, actual, reference, sample_args, dtype) -> Verdict:
    """Statistical checks with 5-sigma bounds (a false alarm is a ~1e-6 event)."""
    import torch

    meta = compare(actual, reference, dtype, atol=0, rtol=0, metadata_only=True)
    if not meta.ok:
        return meta
    if kind == "dropout":
        out, mask = (t.detach().cpu() for t in actual)
        x, p = sample_args[0].double(), float(sample_args[1])
        rate, n = float(mask.double().mean()), mask.numel()
        if abs(rate - (1 - p)) > 5 * (p * (1 - p) / n) ** 0.5:
            return Verdict(False, f"kept fraction {rate:.4f}, expected {1 - p:.4f}")
        atol, rtol = tolerance(dtype_name(dtype))
        return _values(out, x * mask / (1 - p), atol, rtol)
    x = actual.detach().cpu()
    n = x.numel()
    if kind == "randperm":
        ok = torch.equal(x.sort().values.long(), torch.arange(n))
        return Verdict(ok, None if ok else "not a permutation of 0..n-1")
    x = x.double()
    mean, std = float(x.mean()), float(x.std())
    if kind == "rand":
        if float(x.min()) < 0 or float(x.max()) >= 1:
            return Verdict(False, f"values outside [0, 1): min {float(x.min()):.4g}, max {float(x.max()):.4g}")
        if abs(mean - 0.5) > 5 * (1 / 12 / n) ** 0.5 + 4e-3:
            return Verdict(False, f"mean {mean:.4f}, expected 0.5")
        return Verdict(True)
    if abs(mean) > 5 / n**0.5 + 4e-3 or abs(std - 1) > 5 * (0.5 / n) ** 0.5 + 8e-3:
        return Verdict(False, f"mean {mean:.4f} and std {std:.4f}, expected 0 and 1")
    return Verdict(True)
