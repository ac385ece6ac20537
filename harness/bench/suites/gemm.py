"""GEMM: C = A @ B for square n x n matrices, over a sweep of n, per precision.

* fp32 runs with ``torch.set_float32_matmul_precision("highest")`` (true FP32, no TF32); tf32 with
  ``"high"``, and only where TF32 units exist (CUDA compute capability >= 8.0, not ROCm): elsewhere
  the row says unsupported rather than timing an FP32 GEMM under a TF32 label. The previous
  precision setting is restored afterwards.
* bf16 / fp16 / fp64: inputs in that dtype, output in the same dtype, ``out=`` preallocated so the
  timed loop allocates nothing.
* fp8: ``torch._scaled_mm`` on float8_e4m3fn inputs (B column-major, unit scales, bf16 output),
  only where the backend has it: a 16 x 16 trial call decides, and its error becomes the message.
* Inputs are fresh ``randn`` values (never zeros: some hardware shortcuts zero operands), in as
  many rotated sets as `buffers.rotation` asks for. FLOP = 2 n^3; bytes = A and B read once, C
  written once.
"""

from __future__ import annotations

import contextlib

from harness.bench.buffers import rotation
from harness.bench.suites import bench_precisions, case, precisions
from harness.bench.timing import measure

NAME = "gemm"
MEASURES = "flop"
SIZE_OPTION = ("--gemm-sizes", "N,...", "matrix sizes n of n x n x n (default: 256,512,1024 on cpu; 1024 to 16384 "
               "elsewhere)", 1)
DEFAULT_PRECISIONS = ("fp32", "tf32", "bf16", "fp16", "fp8")
PRECISIONS = tuple(bench_precisions())
DTYPES = {p: precisions()[p]["torch"] for p in PRECISIONS}  # tf32 runs float32 tensors with TF32 math


def size_label(size) -> str:
    return str(int(size))


def default_sizes(device_type: str) -> list[int]:
    return [256, 512, 1024] if device_type == "cpu" else [1024, 2048, 4096, 8192, 16384]


def tf32_available(device) -> str | None:
    """None when TF32 exists on ``device``, else why not."""
    import torch

    if device.type != "cuda" or getattr(torch.version, "hip", None):
        return f"no TF32 matmul path on {device.type}" + (" (ROCm)" if device.type == "cuda" else "")
    major, _ = torch.cuda.get_device_capability(device.index or 0)
    return None if major >= 8 else f"TF32 needs compute capability >= 8.0, this device is {major}.x"


def _fp8_mm(a, b, scale):
    import torch

    return torch._scaled_mm(a, b, scale_a=scale, scale_b=scale, out_dtype=torch.bfloat16)


def fp8_available(device) -> str | None:
    import torch

    try:
        a = torch.randn(16, 16, device=device.torch_device).to(torch.float8_e4m3fn)
        b = torch.randn(16, 16, device=device.torch_device).to(torch.float8_e4m3fn).t()
        _fp8_mm(a, b, torch.tensor(1.0, device=device.torch_device))
    except (RuntimeError, NotImplementedError, AttributeError, TypeError) as exc:
        return f"no fp8 GEMM (torch._scaled_mm): {str(exc).splitlines()[0][:200]}"
    return None


@contextlib.contextmanager
def matmul_precision(precision: str):
    import torch

    before = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("high" if precision == "tf32" else "highest")
    try:
        yield
    finally:
        torch.set_float32_matmul_precision(before)


def make_step(device, precision: str, n: int, rotate: bool = True):
    """A step(i) closure over rotated input sets, and the bytes per step."""
    import torch

    dt = getattr(torch, DTYPES[precision])
    dev = device.torch_device
    elt_in = dt.itemsize
    out_dt = torch.bfloat16 if precision == "fp8" else dt
    k = rotation(2 * n * n * elt_in, device) if rotate else 1
    if precision == "fp8":
        sets = [(torch.randn(n, n, device=dev).to(dt), torch.randn(n, n, device=dev).to(dt).t()) for _ in range(k)]
        scale = torch.tensor(1.0, device=dev)

        def step(i):
            a, b = sets[i % k]
            return _fp8_mm(a, b, scale)
    else:
        sets = [(torch.randn(n, n, device=dev, dtype=dt), torch.randn(n, n, device=dev, dtype=dt)) for _ in range(k)]
        out = torch.empty(n, n, device=dev, dtype=out_dt)

        def step(i):
            a, b = sets[i % k]
            return torch.matmul(a, b, out=out)
    return step, n * n * (2 * elt_in + out_dt.itemsize)


def run(device, precisions, sizes, *, repeats: int = 10, rotate: bool = True) -> list[dict]:
    """Rows for every case; ``rotate=False`` reuses one buffer set (hot cache: for comparisons only)."""
    rows = []
    for precision in precisions:
        if precision not in DTYPES:
            continue
        why_not = (tf32_available(device) if precision == "tf32"
                   else fp8_available(device) if precision == "fp8" else None)
        for n in sizes:
            flop = 2 * n**3
            if why_not:
                rows.append(case(NAME, "matmul", precision, n, flop, 0, outcome="unsupported", message=why_not))
                continue
            try:
                with matmul_precision(precision):
                    step, nbytes = make_step(device, precision, n, rotate)
                    timing = measure(step, device.type, repeats=repeats)
                rows.append(case(NAME, "matmul", precision, n, flop, nbytes, timing))
            except (RuntimeError, NotImplementedError) as exc:
                outcome = "unsupported" if "not implemented" in str(exc).lower() else "error"
                rows.append(case(NAME, "matmul", precision, n, flop, 0, outcome=outcome,
                                 message=str(exc).splitlines()[0][:300]))
    return rows
