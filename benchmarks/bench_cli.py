"""Cold-start time of `accel compare` against the floor it cannot beat: importing pandas and pyarrow.

Both commands run as fresh subprocesses, interleaved (so drift in machine load hits both alike),
after one untimed warm-up of each to fill the OS file cache; the median of N runs is reported
with the ratio compare / floor. The goal is a ratio <= 1.5: the CLI may add reading four small
Parquet files and formatting a table, not pandera, pint, yaml, matplotlib or torch. The script
also lists any of those heavy modules that the compare command imported, via `-X importtime`.

    python benchmarks/bench_cli.py            # N = 15
    python benchmarks/bench_cli.py -n 31 --json
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time

ACCEL = shutil.which("accel")  # the installed entry point, as users run it
ARGS = ["compare", "h100-sxm5", "h20", "b200", "kunlun-p800", "zhenwu-810e"]
COMPARE = ([ACCEL] if ACCEL else [sys.executable, "-m", "harness.cli"]) + ARGS
FLOOR = [sys.executable, "-c", "import pandas, pyarrow"]
HEAVY = ("pandera", "pint", "yaml", "matplotlib", "torch")
GOAL = 1.5


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def heavy_imports() -> list[str]:
    """Top-level names of heavy modules the compare command imports (empty is the goal)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "harness.cli", *ARGS]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            mod = line.rsplit("|", 1)[1].strip().split(".")[0]
            if mod in HEAVY:
                names.add(mod)
    return sorted(names)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=15, help="timed runs of each command (default 15)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    wall(COMPARE), wall(FLOOR)  # warm-up, untimed
    compare, floor = [], []
    for _ in range(args.n):
        compare.append(wall(COMPARE))
        floor.append(wall(FLOOR))
    mc, mf = statistics.median(compare), statistics.median(floor)
    heavy = heavy_imports()
    result = {"runs": args.n, "compare_median_s": round(mc, 4), "floor_median_s": round(mf, 4),
              "ratio": round(mc / mf, 3), "goal": GOAL, "heavy_imports": heavy,
              "compare_cmd": " ".join(["accel", *ARGS]), "floor_cmd": 'python -c "import pandas, pyarrow"'}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{'command':<60} {'median (s)':>10}")
        print(f"{result['compare_cmd']:<60} {mc:>10.3f}")
        print(f"{result['floor_cmd']:<60} {mf:>10.3f}")
        verdict = "ok" if mc / mf <= GOAL else "over the goal"
        print(f"ratio {mc / mf:.2f} (goal <= {GOAL}: {verdict}); median of {args.n} cold starts each")
        print(f"heavy modules imported by compare: {', '.join(heavy) or 'none'}")
    return 0 if mc / mf <= GOAL and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
