"""Memory bandwidth: copy (b = a) and STREAM triad (a = b + s * c) on fp32 buffers.

Bytes are counted as the kernel must move them: copy reads one buffer and writes one (2 x size),
triad reads two and writes one (3 x size); no write-allocate traffic is added, as STREAM does not.
Triad is one fused kernel (``torch.add(b, c, alpha=s, out=a)``). Buffers are filled with random
values before timing (also committing their pages), are large enough by default to dwarf the
last-level cache, and rotate when they are not (`buffers.rotation`).
"""

from __future__ import annotations

from harness.bench.buffers import rotation
from harness.bench.suites import case
from harness.bench.timing import measure

NAME = "bandwidth"
MEASURES = "bytes"
SIZE_OPTION = ("--bandwidth-mib", "MIB,...", "buffer sizes in MiB (default: 64,256 on cpu; 256,1024 elsewhere)",
               (1 << 20) // 4)  # fp32 elements per MiB
DEFAULT_PRECISIONS = PRECISIONS = ("fp32",)  # bytes are bytes: one buffer dtype
KERNELS = {"copy": (2, 0), "triad": (3, 2)}  # buffers touched per element, flops per element


def size_label(size) -> str:
    """fp32 elements per buffer, shown in MiB."""
    return f"{int(size) * 4 / 2**20:g} MiB"


def default_sizes(device_type: str) -> list[int]:
    """Elements per buffer: 64 and 256 MiB of fp32 on the host, 256 MiB and 1 GiB on a device."""
    return [1 << 24, 1 << 26] if device_type == "cpu" else [1 << 26, 1 << 28]


def make_step(device, kernel: str, n: int, rotate: bool = True):
    import torch

    dev = device.torch_device
    nbuf, _ = KERNELS[kernel]
    k = rotation(nbuf * n * 4, device) if rotate else 1
    sets = [[torch.randn(n, device=dev) for _ in range(nbuf)] for _ in range(k)]
    if kernel == "copy":
        def step(i):
            src, dst = sets[i % k]
            return dst.copy_(src)
    else:
        def step(i):
            a, b, c = sets[i % k]
            return torch.add(b, c, alpha=3.0, out=a)
    return step


def run(device, precisions, sizes, *, repeats: int = 10, rotate: bool = True) -> list[dict]:
    """Rows for every case; ``rotate=False`` reuses one buffer set (hot cache: for comparisons only)."""
    rows = []
    for kernel, (nbuf, flops) in KERNELS.items():
        for n in sizes:
            nbytes = nbuf * n * 4
            try:
                timing = measure(make_step(device, kernel, n, rotate), device.type, repeats=repeats)
                rows.append(case(NAME, kernel, "fp32", n, flops * n, nbytes, timing))
            except (RuntimeError, NotImplementedError) as exc:
                rows.append(case(NAME, kernel, "fp32", n, flops * n, nbytes, outcome="error",
                                 message=str(exc).splitlines()[0][:300]))
    return rows
