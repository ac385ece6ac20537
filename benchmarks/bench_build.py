"""Validate+build time per SKU against merely parsing the same YAML, side by side in one run.

Generates N synthetic spec files (N = 100, 1,000, 5,000 by default) shaped like the shipped ones
(about 20 values, sources, alternatives, a claim), then times, for each N:
  parse  - yaml.load (C loader when available) of every file, nothing else;
  build  - `validate_paths` + `build_tables` + writing Parquet/CSV/JSON (what `accel build` does).
Prints seconds per SKU and the ratio build/parse. Goal: ratio <= 3 and per-SKU time flat in N.

    python benchmarks/bench_build.py [--sizes 100,1000,5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
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
  memory_type: {{value: HBM3, source: ds}}
  memory_bandwidth_tbps: {{value: {bw}, unit: GB/s, source: ds, locator: "Table 1"}}
  scaleup_bandwidth_gbps: {{value: 450, unit: GB/s, direction: per-direction, source: ds}}
  interconnect: {{value: BenchLink, source: ds}}
  host_interface: {{value: PCIe Gen5 x16, source: ds}}
  tdp_w:
    value: 700
    unit: W
    source: ds
    locator: "Table 1"
    alternatives:
      - {{value: 1, unit: kW, source: press, note: "liquid-cooled"}}
  process_node: {{value: N4, source: press}}
  die_area_mm2: {{disclosed: false, source: ds, note: "not published"}}
  die_count: {{value: 1, source: press}}
  transistors_billion: {{value: {tr}, unit: billion, source: press}}
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
    write_tables(build_tables(report.specs), out)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    # warm the one-off costs (imports, pint registry, pandera schema) outside the timed region
    with tempfile.TemporaryDirectory() as tmp:
        time_build(generate(Path(tmp) / "w", 3), Path(tmp) / "out")
    print(f"{'N':>6} {'parse s/SKU':>12} {'build s/SKU':>12} {'ratio':>6}")
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = generate(Path(tmp) / "specs", n)
            parse, build = [], []
            for r in range(args.repeats):  # interleaved, so drift hits both sides alike
                parse.append(time_parse(root))
                build.append(time_build(root, Path(tmp) / f"out{r}"))
            p, b = statistics.median(parse) / n, statistics.median(build) / n
            print(f"{n:>6} {p * 1e3:>10.3f}ms {b * 1e3:>10.3f}ms {b / p:>6.2f}")


if __name__ == "__main__":
    main()
