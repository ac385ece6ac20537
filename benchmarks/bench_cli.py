"""Cold-start cost of the commands people run most, as ratios to the floor they cannot beat:
a fresh `python -c "import pandas, pyarrow"`.

Every command runs as a fresh subprocess in a private copy of this checkout (so a build may
write and a spec may change without touching the real one, and nobody's edits land between two
runs). Each round runs the floor and every command once, in an order that rotates per round, so
drift in a shared machine's load hits all of them alike; after one untimed warm-up round (the OS
file cache), the median of ``-n`` rounds of each is divided by the floor's median. Only ratios
are printed, each against its goal (issue 14, and 1.5 for the read-only views):

  validate            `accel validate` of every spec (the pre-commit hook on a push)    <= 1.0
  validate one file   `accel validate specs/accelerators/<one>.yaml` (a hook on a commit) <= 0.5
  build, no change    `accel build` when nothing changed                                <= 1.5
  build, one change   `accel build` after one spec file changed                         <= 2.0
  compare / readiness the read-only views                                               <= 1.5
  site                `accel site` (writes the whole static site)           reported, no goal set

It also lists heavy modules (pandas, pandera, pint, yaml, matplotlib, torch) that a command
imports but should not. Exit status 1 when a goal is missed or a command imports one.

    python benchmarks/bench_cli.py            # 7 rounds
    python benchmarks/bench_cli.py -n 15 --json
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("pyproject.toml", "README.md", "harness", "specs", "schemas", "results")
ONE_SPEC = "specs/accelerators/nvidia/h20.yaml"
FLOOR = [sys.executable, "-c", "import pandas, pyarrow"]
ACCEL = [sys.executable, "-m", "harness.cli"]  # run in the copy: its own harness, specs and results


def _touch_spec(copy: Path, n: int) -> None:
    """A one-spec change: a different trailing comment each time (the content, and so its digest, changes)."""
    p = copy / ONE_SPEC
    text = p.read_text(encoding="utf-8").split("\n# bench edit ")[0].rstrip("\n")
    p.write_text(f"{text}\n# bench edit {n}\n", encoding="utf-8")


# name, argv after `accel`, goal (ratio to the floor), heavy modules it must not import, before-each hook
CASES = [
    ("validate", ["validate"], 1.0, ("pandas", "pandera", "pint"), None),
    ("validate one file", ["validate", ONE_SPEC], 0.5, ("pandas", "pandera", "pint"), None),
    ("build, no change", ["build"], 1.5, ("pandera", "pint"), None),
    ("build, one change", ["build"], 2.0, (), _touch_spec),
    ("compare", ["compare", "h100-sxm5", "h20", "b200", "kunlun-p800", "zhenwu-810e"], 1.5,
     ("pandera", "pint", "yaml", "matplotlib", "torch"), None),
    ("readiness", ["readiness"], 1.5, ("pandera", "pint", "matplotlib", "torch"), None),
    ("site", ["site", "--out", "{tmp}/site"], None, ("pandera", "pint", "torch"), None),
]


def _copy_checkout(dest: Path) -> Path:
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*.accel-tmp-*", ".*.accel-old-*")
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore, symlinks=True)
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def _argv(argv: list[str], tmp: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp)) for a in argv]


def wall(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr.decode(errors='replace')[-2000:]}")
    return seconds


def heavy_imports(argv: list[str], cwd: Path, watch) -> list[str]:
    """Top-level names in ``watch`` that the command imports (empty is the goal)."""
    if not watch:
        return []
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "harness.cli", *argv], cwd=cwd,
                       capture_output=True, text=True)
    names = set()
    for line in r.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            mod = line.rsplit("|", 1)[1].strip().split(".")[0]
            if mod in watch:
                names.add(mod)
    return sorted(names)


def measure(rounds: int, only: list[str] | None = None) -> dict:
    cases = [c for c in CASES if not only or c[0] in only]
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        tmp = Path(tmp)
        copy = _copy_checkout(tmp / "checkout")
        # a first full build, so that "no change" means no change
        wall([*ACCEL, "build", "--force"], copy)
        times: dict[str, list[float]] = {"floor": []}
        edits = 0
        for r in range(rounds + 1):  # round 0 warms the file cache, untimed
            order = [("floor", FLOOR, None)] + [(n, [*ACCEL, *_argv(a, tmp)], hook) for n, a, _, _, hook in cases]
            shift = r % len(order)
            for name, cmd, hook in order[shift:] + order[:shift]:
                if hook is not None:
                    edits += 1
                    hook(copy, edits)
                elif name == "build, no change":
                    subprocess.run([*ACCEL, "build"], cwd=copy, check=True,  # settle any earlier edit, untimed
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                seconds = wall(cmd, copy)
                if r:
                    times.setdefault(name, []).append(seconds)
        floor = statistics.median(times["floor"])
        subprocess.run([*ACCEL, "build"], cwd=copy, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = {"rounds": rounds, "floor": 'python -c "import pandas, pyarrow"', "cases": []}
        for name, argv, goal, watch, _ in cases:
            ts = times[name]
            out["cases"].append({
                "name": name, "command": " ".join(["accel", *argv]), "goal": goal,
                "ratio": round(statistics.median(ts) / floor, 3),
                "ratio_min": round(min(ts) / floor, 3), "ratio_max": round(max(ts) / floor, 3),
                "heavy_imports": heavy_imports(_argv(argv, tmp), copy, watch)})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=7, help="timed rounds (default 7)")
    ap.add_argument("--only", action="append", help="measure only this case (repeatable)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    result = measure(args.n, args.only)
    missed = [c for c in result["cases"] if (c["goal"] is not None and c["ratio"] > c["goal"]) or c["heavy_imports"]]
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"ratio to {result['floor']}: median of {args.n} interleaved cold runs (min-max in brackets)")
        for c in result["cases"]:
            if c["goal"] is None:
                verdict, goal = "reported", "none"
            else:
                verdict, goal = ("ok" if c["ratio"] <= c["goal"] else "over the goal"), f"<= {c['goal']}"
            heavy = f"; imports {', '.join(c['heavy_imports'])}" if c["heavy_imports"] else ""
            print(f"  {c['name']:<18} {c['ratio']:>5.2f}  [{c['ratio_min']:.2f}-{c['ratio_max']:.2f}]  "
                  f"goal {goal:<7} {verdict}{heavy}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
