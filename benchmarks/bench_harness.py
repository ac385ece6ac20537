"""Does the harness measure what a bare loop measures? A fidelity check that can fail.

For GEMM (`harness.bench.suites.gemm`) and copy bandwidth (`harness.bench.suites.bandwidth`),
on the CPU and, when one is present, on the CUDA device, each round times the harness and an
independent bare loop on the same problem, one after the other (the order alternating between
rounds), so drift in a shared machine's speed hits both sides alike. Like for like:

* the same buffers: the bare loop rotates through as many input sets as the harness does
  (`buffers.rotation` decides how many) and writes into one preallocated output, as the
  harness does (``torch.matmul(a, b, out=c)``, ``dst.copy_(src)``);
* an independent count: the bare side counts FLOP and bytes from the tensors it actually
  touches (shapes and element sizes), never from the harness's formulas, and the script fails
  when the two counts differ, so a counting slip cannot cancel out;
* its own clock: ``time.perf_counter`` around a synchronised loop on the CPU, and CUDA events
  (``torch.cuda.Event``) on the device stream on a GPU: the device path of the harness (its
  events and synchronisation) is compared with code that shares none of it.

Printed: per case, the ratio harness / bare as min / median / max over the rounds, and the
bare loop's own round-to-round spread (max / min): a median ratio is only as good as that
spread. Only ratios are printed. Exit status 1 when any median ratio is below ``--threshold``
(default 0.95: the harness reports at least 95 % of what a bare loop achieves) or above
1 / threshold (it over-reports), or when a count differs.

    python benchmarks/bench_harness.py                 # CPU, and CUDA when present; ~1-2 min on 2 cores
    python benchmarks/bench_harness.py --rounds 9 --threshold 0.97
    python benchmarks/bench_harness.py --handicap 0.05  # the harness's timings made 5 % slower: must fail
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _sync(device_type: str) -> None:
    import torch

    if device_type == "cuda":
        torch.cuda.synchronize()


def bare_time(fn, device_type: str, *, target_s: float = 0.05, repeats: int = 7) -> float:
    """Seconds per call of ``fn(i)``: warm-up, then the median of ``repeats`` timed loops."""
    import torch

    i, t0 = 0, time.perf_counter()
    while True:  # warm-up: at least 3 calls and 0.1 s, which also sizes the loop
        fn(i)
        i += 1
        _sync(device_type)
        elapsed = time.perf_counter() - t0
        if i >= 3 and elapsed >= 0.1:
            break
    loop = max(1, round(target_s / (elapsed / i)))
    times = []
    for _ in range(repeats):
        if device_type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            _sync(device_type)
            start.record()
            for _ in range(loop):
                fn(i)
                i += 1
            end.record()
            end.synchronize()
            seconds = start.elapsed_time(end) / 1e3
        else:
            t = time.perf_counter()
            for _ in range(loop):
                fn(i)
                i += 1
            seconds = time.perf_counter() - t
        times.append(seconds / loop)
    return statistics.median(times)


def _dtype(precision: str):
    import torch

    return {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16, "fp64": torch.float64}[precision]


def _in_order(harness_first: bool, harness, bare):
    """Run the two sides in the given order; return (harness result, bare result)."""
    if harness_first:
        h = harness()
        return h, bare()
    b = bare()
    return harness(), b


def gemm_case(device, precision: str, n: int, handicap: float, harness_first: bool):
    """(harness TFLOPS, bare TFLOPS, counts agree) for one round."""
    import torch

    from harness.bench.buffers import rotation
    from harness.bench.suites import gemm

    dt = _dtype(precision)
    dev = device.torch_device
    k = rotation(2 * n * n * dt.itemsize, device)
    sets = [(torch.randn(n, n, device=dev, dtype=dt), torch.randn(n, n, device=dev, dtype=dt)) for _ in range(k)]
    out = torch.empty(n, n, device=dev, dtype=dt)

    def step(i):
        a, b = sets[i % k]
        return torch.matmul(a, b, out=out)

    with gemm.matmul_precision(precision):  # true FP32 on both sides (no TF32)
        row, seconds = _in_order(harness_first, lambda: gemm.run(device, [precision], [n])[0],
                                 lambda: bare_time(step, device.type))
    if row["bench_outcome"] != "ok":
        raise SystemExit(f"harness gemm {precision} n={n} on {device.type}: {row['message']}")
    a, b = sets[0]
    flop = 2 * a.shape[0] * a.shape[1] * b.shape[1]  # a multiply and an add per (row, inner, column)
    nbytes = a.numel() * a.element_size() + b.numel() * b.element_size() + out.numel() * out.element_size()
    agree = row["flop_count"] == flop and row["bytes_moved"] == nbytes
    harness = row["flop_count"] / (row["median_ms"] / 1e3 * (1 + handicap)) / 1e12
    return harness, flop / seconds / 1e12, agree


def copy_case(device, mib: int, handicap: float, harness_first: bool):
    """(harness TB/s, bare TB/s, counts agree) for one round of copy bandwidth."""
    import torch

    from harness.bench.buffers import rotation
    from harness.bench.suites import bandwidth

    n = mib * (1 << 20) // 4
    dev = device.torch_device
    k = rotation(2 * n * 4, device)
    sets = [(torch.randn(n, device=dev), torch.randn(n, device=dev)) for _ in range(k)]

    def step(i):
        src, dst = sets[i % k]
        return dst.copy_(src)

    row, seconds = _in_order(harness_first,
                             lambda: next(r for r in bandwidth.run(device, ["fp32"], [n]) if r["kernel"] == "copy"),
                             lambda: bare_time(step, device.type))
    if row["bench_outcome"] != "ok":
        raise SystemExit(f"harness copy {mib} MiB on {device.type}: {row['message']}")
    src, dst = sets[0]
    nbytes = src.numel() * src.element_size() + dst.numel() * dst.element_size()  # read src, write dst
    agree = row["bytes_moved"] == nbytes
    harness = row["bytes_moved"] / (row["median_ms"] / 1e3 * (1 + handicap)) / 1e12
    return harness, nbytes / seconds / 1e12, agree


def cases_for(device_type: str):
    if device_type == "cpu":
        return [("gemm", "fp32", 256), ("gemm", "fp32", 512), ("gemm", "fp32", 1024), ("copy", "fp32", 64)]
    return [("gemm", "fp32", 4096), ("gemm", "bf16", 4096), ("gemm", "bf16", 8192), ("copy", "fp32", 1024)]


def run_device(device, rounds: int, handicap: float) -> list[dict]:
    out = []
    for kind, precision, size in cases_for(device.type):
        ratios, bare, agree = [], [], True
        for r in range(rounds):
            first = r % 2 == 0  # alternate which side runs first
            if kind == "gemm":
                h, b, ok = gemm_case(device, precision, size, handicap, first)
            else:
                h, b, ok = copy_case(device, size, handicap, first)
            ratios.append(h / b)
            bare.append(b)
            agree = agree and ok
        label = f"{kind} {precision} {size if kind == 'gemm' else f'{size} MiB'}"
        out.append({"device": device.type, "case": label, "min": min(ratios), "median": statistics.median(ratios),
                    "max": max(ratios), "bare_spread": max(bare) / min(bare), "counts_agree": agree})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds per case (default 5)")
    ap.add_argument("--threshold", type=float, default=0.95, help="lowest acceptable median ratio (default 0.95)")
    ap.add_argument("--handicap", type=float, default=0.0,
                    help="make the harness's timings this fraction slower (checks that the script can fail)")
    ap.add_argument("--device", action="append", choices=["cpu", "cuda"],
                    help="only this device (default: cpu, and cuda when present)")
    args = ap.parse_args(argv)
    import torch

    from harness.runs.device import resolve

    kinds = args.device or ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    rows = []
    for kind in kinds:
        rows += run_device(resolve(kind), args.rounds, args.handicap)
    print(f"ratio harness / bare loop over {args.rounds} interleaved rounds (goal: median within "
          f"[{args.threshold:g}, {1 / args.threshold:.3g}]); bare spread = its max / min over the rounds")
    print(f"{'device':<6} {'case':<20} {'min':>6} {'median':>7} {'max':>6} {'bare spread':>12}  verdict")
    failed = False
    for r in rows:
        bad = []
        if not args.threshold <= r["median"] <= 1 / args.threshold:
            bad.append("median out of range")
        if not r["counts_agree"]:
            bad.append("FLOP/byte counts differ")
        failed = failed or bool(bad)
        print(f"{r['device']:<6} {r['case']:<20} {r['min']:>6.3f} {r['median']:>7.3f} {r['max']:>6.3f} "
              f"{r['bare_spread']:>12.3f}  {'; '.join(bad) or 'ok'}")
    if "cuda" not in kinds:
        print("no CUDA device: the event-timed device path was not exercised")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
