"""`accel probe` before and after, side by side: whole-command time, op time and overhead per op.

    python benchmarks/bench_probe.py                          Core ATen, float32, CPU, 3 rounds
    python benchmarks/bench_probe.py --set cuda-backed --rounds 1   the valid-input share too

The baseline is a git revision (default: 02ddaed, before batched writes), exported with
``git archive`` into a temporary folder and run from there; the current side runs from this
checkout, twice: as is ("current": OpInfo samples, several per op) and with ``--samples schema``
("schema": one sample per op, the baseline's work). All run ``accel probe --device cpu --set SET
--dtypes DTYPES``, in alternating order (base, current, schema, schema, current, base, ...) so
that load from other processes on the machine falls on every side alike; one untimed warm-up run
per side first fills the OS file cache and the current side's OpInfo sample cache (its first run
on a machine harvests samples: shown as "warm-up" beside the rounds).

Per side: the whole command's wall time (interpreter start to exit: this is what a user waits),
the op time (the stored rows' ``op_time_ms``, summed) and the overhead per op, all of it:
(wall - op time) / tasks. Printed as min / median / max over the rounds, then the ratios of the
medians (base / side: above 1 means that side is faster). No thresholds: the numbers
are for a reader, and they vary with the machine and its load.

Also per side: the share of ops probed with a valid input (the current side's outcomes say so:
not no-sample, reference-failed or no-reference; the baseline knew only no-sample, so its share
counts samples the reference rejected as invalid and everything else as valid).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_VALID = ("no-sample", "reference-failed", "no-reference")


def export(rev: str, dest: Path) -> Path:
    archive = dest / "base.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "base", filter="data")
    archive.unlink()
    return dest / "base"


def run_once(code_root: Path, extra: list[str], out: Path, args) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    cmd = [sys.executable, "-m", "harness.cli", "probe", "--device", "cpu", "--set", args.set,
           "--dtypes", args.dtypes, "--out", str(out), "--no-progress"]
    if args.ops:
        cmd += ["--ops", args.ops]
    cmd += extra
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=out.parent, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{code_root}: probe failed:\n{proc.stderr[-2000:]}")
    import pandas as pd

    df = pd.read_parquet(out)
    op_s = float(df["op_time_ms"].fillna(0).sum()) / 1e3
    n = len(df)
    valid = int((~df["probe_outcome"].isin(NOT_VALID)).sum())
    return {"wall": wall, "op": op_s, "tasks": n, "overhead_ms": (wall - op_s) / n * 1e3, "valid": valid}


def spread(xs: list[float], unit: str = "s", scale: float = 1.0) -> str:
    xs = [x * scale for x in xs]
    return f"{min(xs):8.3f} {statistics.median(xs):8.3f} {max(xs):8.3f} {unit}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="02ddaed", help="git revision to compare with (default: 02ddaed)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--set", default="core")
    ap.add_argument("--dtypes", default="float32")
    ap.add_argument("--ops", default=None)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-probe-") as tmp:
        tmp = Path(tmp)
        base = export(args.baseline, tmp)
        # "current" runs as a user would (OpInfo samples, several per op); "schema" runs this checkout
        # with --samples schema: one sample per op like the baseline, so base/schema is the cost of
        # the machinery alone and base/current includes the extra samples' work
        sides = {"base": (base, []), "current": (ROOT, []), "schema": (ROOT, ["--samples", "schema"])}
        results: dict[str, list[dict]] = {k: [] for k in sides}
        k = 0

        def once(side: str) -> dict:
            nonlocal k
            k += 1
            out = tmp / f"run{k}" / "probes"
            out.parent.mkdir()
            return run_once(*sides[side], out, args)

        cold = {side: once(side) for side in sides}  # warm-up, untimed in the summary
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for side in order:
                results[side].append(once(side))
    print(f"accel probe --device cpu --set {args.set} --dtypes {args.dtypes}"
          f"{' --ops ' + args.ops if args.ops else ''}: {args.rounds} interleaved rounds after one warm-up each")
    print(f"{'':10} {'':22} {'min':>8} {'median':>8} {'max':>8}")
    for side, rows in results.items():
        print(f"{side:10} {'command wall time':22} {spread([r['wall'] for r in rows])}   "
              f"(warm-up: {cold[side]['wall']:.2f} s)")
        print(f"{'':10} {'op time':22} {spread([r['op'] for r in rows])}")
        print(f"{'':10} {'overhead per op':22} {spread([r['overhead_ms'] for r in rows], 'ms')}   "
              f"over {rows[0]['tasks']} tasks")
        v = rows[0]
        print(f"{'':10} {'valid inputs':22} {v['valid']}/{v['tasks']} ({v['valid'] / v['tasks']:.1%})")

    def med(side, key):
        return statistics.median(r[key] for r in results[side])

    for side in ("current", "schema"):
        print(f"ratio base/{side}, command wall time: {med('base', 'wall') / med(side, 'wall'):.2f}x; "
              f"overhead per op: {med('base', 'overhead_ms') / med(side, 'overhead_ms'):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
