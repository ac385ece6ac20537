"""Validate+build time per SKU against merely parsing the same YAML, and memory per spec.

Generates N synthetic spec files (N = 100, 1,000, 5,000 by default) in a temporary folder, shaped
like the shipped ones (about 20 values, sources, alternatives, a claim), then, for each N:
  parse  - yaml.load (C loader when available) of every file, nothing else;
  build  - `validate_paths` + `build_tables` + writing Parquet/CSV/JSON (what `accel build` does);
  memory - in a fresh process each, the peak of resident memory (sampled every millisecond)
           above what the process held after its imports and a warm-up build, divided by N:
           for validation alone, and for validation + build + write (goal: <= 40 KB per spec
           at 5,000).
Prints ratios and per-spec figures: the ratio build/parse (goal <= 3, flat in N) and KB per spec.

    python benchmarks/bench_build.py [--sizes 100,1000,5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

TEMPLATE = """\
id: bench/sku-{i:05d}
name: Bench SKU {i}
vendor: bench
family: Synthetic
status: shipping
market: global
form_factor: OAM
announced: "2024-03"
aliases: ["BS-{i}", "Bench {i} 96GB"]
is_datacenter: true
sources:
  ds:
    title: Synthetic datasheet {i}
    publisher: Bench Inc.
    url: https://example.com/bench/{i}/datasheet
    accessed: "2026-11-28"
    tier: official
  press:
    title: Synthetic review {i}
    url: https://example.com/press/{i}
    accessed: "2026-11-28"
    tier: reported
values:
  fp64_tflops: {{value: {fp64}, unit: TFLOPS, source: ds, locator: "Table 1, FP64"}}
  fp64_tensor_tflops: {{value: {fp64t}, unit: TFLOPS, source: ds, locator: "Table 1"}}
  fp32_tflops: {{value: {fp64t}, unit: TFLOPS, source: ds, locator: "Table 1"}}
  tf32_tflops: {{value: {tf32}, unit: TFLOPS, basis: sparse, source: ds, locator: "Table 1*"}}
  bf16_tflops: {{value: {bf16}, unit: TFLOPS, basis: sparse, source: ds, locator: "Table 1*"}}
  fp16_tflops: {{value: {bf16}, unit: TFLOPS, basis: sparse, source: ds, locator: "Table 1*"}}
  fp8_tflops: {{value: {fp8}, unit: PFLOPS, basis: sparse, source: ds, locator: "Table 1*"}}
  int8_tops: {{value: {fp8}, unit: POPS, basis: sparse, source: ds, locator: "Table 1*"}}
  fp4_tflops: {{supported: false, source: ds, locator: "no FP4 row"}}
  memory_capacity_gb: {{value: 96, unit: GB, source: ds, locator: "Table 1"}}
  memory_type: {{value: HBM3, source: ds, locator: "Table 1"}}
  memory_bandwidth_tbps: {{value: {bw}, unit: GB/s, source: ds, locator: "Table 1"}}
  scaleup_bandwidth_gbps: {{value: 450, unit: GB/s, direction: per-direction, source: ds, locator: "Table 1"}}
  interconnect: {{value: BenchLink, source: ds, locator: "Table 1"}}
  host_interface: {{value: PCIe Gen5 x16, source: ds, locator: "Table 1"}}
  tdp_w:
    value: 700
    unit: W
    source: ds
    locator: "Table 1"
    alternatives:
      - {{value: 1, unit: kW, source: press, locator: "para 3", note: "liquid-cooled"}}
  process_node: {{value: N4, source: press, locator: "para 2"}}
  die_area_mm2: {{disclosed: false, source: ds, note: "not published"}}
  die_count: {{value: 1, source: press, locator: "para 2"}}
  transistors_billion: {{value: {tr}, unit: billion, source: press, locator: "para 2"}}
claims:
  - {{claim: "faster than its predecessor", source: press, locator: "para 1"}}
"""


def generate(root: Path, n: int) -> Path:
    d = root / "accelerators" / "bench"
    d.mkdir(parents=True)
    for i in range(n):
        bf16 = 400 + i * 0.5
        (d / f"sku-{i:05d}.yaml").write_text(TEMPLATE.format(
            i=i, fp64=10 + i % 50, fp64t=20 + i % 50, tf32=bf16, bf16=bf16 * 2, fp8=bf16 * 4 / 1000,
            bw=2000 + i, tr=50 + i % 30))
    return root


def time_parse(root: Path) -> float:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    for f in sorted(root.rglob("*.yaml")):
        with open(f, encoding="utf-8") as fh:
            yaml.load(fh, Loader=loader)
    return time.perf_counter() - start


def time_build(root: Path, out: Path) -> float:
    from harness.dataset.build import build_tables
    from harness.dataset.tables import write_tables
    from harness.dataset.validate import validate_paths

    start = time.perf_counter()
    report = validate_paths([root])
    assert not report.errors, report.errors[:3]
    write_tables(build_tables(report.specs), out, kind="dataset")
    return time.perf_counter() - start


MEMORY_PROBE = """
import gc, json, os, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench_build import generate
from harness.dataset.build import build_tables
from harness.dataset.tables import write_tables
from harness.dataset.validate import validate_paths
PAGE = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE
class Peak(threading.Thread):  # samples resident memory every millisecond
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.running = rss(), True
    def run(self):
        while self.running:
            self.peak = max(self.peak, rss())
            time.sleep(0.001)
    def stop(self):
        self.running = False
        self.join()
        return max(self.peak, rss())
root, n = Path(sys.argv[1]), int(sys.argv[2])
warm = validate_paths([generate(root / "warm", 3)])
write_tables(build_tables(warm.specs), root / "out-warm", kind="dataset")
specs = generate(root / "specs", n)
del warm
gc.collect()
before = rss()
sampler = Peak()
sampler.start()
report = validate_paths([specs])
validated = sampler.stop()
sampler = Peak()
sampler.start()
write_tables(build_tables(report.specs, consume=True), root / "out", kind="dataset")  # as accel build does
built = sampler.stop()
print(json.dumps({"validate": (validated - before) / n / 1024, "build": (built - before) / n / 1024}))
"""


def memory_per_spec(n: int) -> dict:
    """KiB of resident memory per spec at its peak over the process after its imports and a warm-up
    build, in a fresh process (validate; validate + build + write)."""
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, "-c", MEMORY_PROBE, tmp, str(n), str(Path(__file__).resolve().parent)],
                           capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    args = ap.parse_args()
    # warm the one-off costs (imports, schemas) outside the timed region
    with tempfile.TemporaryDirectory() as tmp:
        time_build(generate(Path(tmp) / "w", 3), Path(tmp) / "out")
    print(f"{'N':>6} {'parse s/SKU':>12} {'build s/SKU':>12} {'ratio':>6} {'KB/spec validate':>17} "
          f"{'KB/spec build':>14}")
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = generate(Path(tmp) / "specs", n)
            parse, build = [], []
            for r in range(args.repeats):  # interleaved, so drift hits both sides alike
                parse.append(time_parse(root))
                build.append(time_build(root, Path(tmp) / f"out{r}"))
            p, b = statistics.median(parse) / n, statistics.median(build) / n
        mem = {"validate": float("nan"), "build": float("nan")} if args.no_memory else memory_per_spec(n)
        print(f"{n:>6} {p * 1e3:>10.3f}ms {b * 1e3:>10.3f}ms {b / p:>6.2f} {mem['validate']:>17.1f} "
              f"{mem['build']:>14.1f}")
    print("goal: ratio <= 3 and flat in N; <= 40 KB per spec at 5,000 specs")


if __name__ == "__main__":
    main()
