"""Does the harness measure what a bare loop measures? And what does probe isolation cost?

On the CPU, in one run:

1. GEMM: the harness's fp32 TFLOPS (`harness.bench.suites.gemm`: warm-up, median of repeats,
   rotated buffers) beside a bare ``torch.matmul`` loop and ``numpy.matmul`` on the same sizes;
2. bandwidth: the harness's copy TB/s beside a bare ``dst.copy_(src)`` loop;
3. the core-set probe in float32 through the isolated worker: total time (goal < 120 s on
   2 cores) and the isolation overhead per op.

Ratios are harness / bare loop, measured like for like; the goal is >= 0.95 (the harness adds no
overhead of its own). Both sides report a median (the harness over its repeats, the bare loop over
5 rounds). The harness rotates input sets beyond the last-level cache (``sets`` of them), so its
GEMM is compared with a bare ``torch.matmul`` loop over as many sets; the "1 set" columns repeat
the comparison with one hot set, and their gap to the rotated columns is the cache, not the
harness. ``numpy.matmul`` on one set is printed for reference (another BLAS, not a goal).

    python benchmarks/bench_harness.py            # prints three tables; about a minute
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_of(fn, reps: int, rounds: int = 5) -> float:
    """Seconds per call: the median of ``rounds`` timings of ``reps`` back-to-back calls."""
    fn()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t) / reps)
    return statistics.median(times)


def gemm_table(device, sizes, rounds: int = 3):
    """Harness, bare torch and numpy measured in turn, ``rounds`` times (medians): drift in a
    shared machine's speed then hits all of them alike instead of whichever ran during it.

    Like for like: the harness with its rotated input sets against a bare loop over the same
    number of sets, and the harness on one set against a bare loop on one set."""
    import itertools

    import numpy as np
    import torch

    from harness.bench.buffers import rotation
    from harness.bench.suites import gemm

    rows = []
    for n in sizes:
        a, b = torch.randn(n, n), torch.randn(n, n)
        an, bn = a.numpy(), b.numpy()
        k = rotation(2 * n * n * 4, device)
        sets = itertools.cycle([(torch.randn(n, n), torch.randn(n, n)) for _ in range(k)])
        reps = max(1, int(2e9 / (2 * n**3)))
        flop = 2 * n**3

        def bare_rotated(sets=sets):
            x, y = next(sets)
            return torch.matmul(x, y)

        ours, bare_rot, hot, bare, npy = [], [], [], [], []
        for _ in range(rounds):
            ours.append(gemm.run(device, ["fp32"], [n])[0]["measured_tflops"])
            bare_rot.append(flop / median_of(bare_rotated, reps) / 1e12)
            hot.append(gemm.run(device, ["fp32"], [n], rotate=False)[0]["measured_tflops"])
            bare.append(flop / median_of(lambda a=a, b=b: torch.matmul(a, b), reps) / 1e12)
            npy.append(flop / median_of(lambda an=an, bn=bn: np.matmul(an, bn), reps) / 1e12)
        o, r, h, t, p = (statistics.median(x) for x in (ours, bare_rot, hot, bare, npy))
        rows.append([n, k, f"{o:.4f}", f"{r:.4f}", f"{o / r:.3f}", f"{h:.4f}", f"{t:.4f}", f"{h / t:.3f}",
                     f"{p:.4f}"])
    return rows


def copy_table(device, mib_sizes, rounds: int = 3):
    import torch

    from harness.bench.suites import bandwidth

    rows = []
    for m in mib_sizes:
        n = m * (1 << 20) // 4
        src, dst = torch.randn(n), torch.randn(n)
        ours, bare = [], []
        for _ in range(rounds):
            ours += [r["measured_tbps"] for r in bandwidth.run(device, ["fp32"], [n]) if r["kernel"] == "copy"]
            bare.append(2 * n * 4 / median_of(lambda src=src, dst=dst: dst.copy_(src), 10) / 1e12)
        o, b = statistics.median(ours), statistics.median(bare)
        rows.append([f"{m} MiB", f"{o:.4f}", f"{b:.4f}", f"{o / b:.3f}"])
    return rows


def probe_core(device):
    from harness.probe.opset import core_ops
    from harness.probe.runner import probe

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        result = probe(device, list(core_ops()), ["float32"], Path(tmp), timeout=60, progress=False)
        seconds = time.perf_counter() - t
    return result, seconds


def main() -> int:
    import torch
    from tabulate import tabulate

    from harness.runs.device import resolve

    device = resolve("cpu")
    print(f"{device.name}; torch {torch.__version__}; {torch.get_num_threads()} threads\n")
    print("GEMM fp32, TFLOPS (ratio = harness / bare loop on the same buffers; goal >= 0.95)")
    print(tabulate(gemm_table(device, [256, 512, 1024]),
                   headers=["n", "sets", "harness", "bare loop", "ratio", "harness 1 set", "bare 1 set",
                            "ratio 1 set", "numpy 1 set"]))
    print("\ncopy bandwidth, TB/s, bytes read + written")
    print(tabulate(copy_table(device, [64, 256]), headers=["buffer", "harness", "copy_ loop", "ratio"]))
    result, seconds = probe_core(device)
    print(f"\ncore-set probe, float32, isolated worker: {sum(result.counts.values())} ops in {seconds:.1f} s "
          f"(goal < 120 s); {dict((o, n) for (_, o), n in sorted(result.counts.items()))}")
    print(result.overhead_summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
