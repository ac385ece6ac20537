"""Software readiness per stack: a one-screen scorecard (stacks side by side, CUDA first), then detail.

examples:
  accel readiness                             the scorecard for CUDA, CANN, Kunlun XPU, PPU SDK, ROCm, FlagOS
  accel readiness p800 h100 --detail          stacks of these accelerators, with every table
  accel readiness --stack kunlun-xpu --format json

Op coverage counts every tier apart: measured pass/fail (probe runs), declared kernels, known test
failures, declared unsupported, CPU fallback, via decomposition (one rule for every stack), unknown.
Other evidence (CUDA-API coverage, MLPerf results) counts different things: its denominators are
not ATen ops. The rules: specs/oplists/README.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness import paths
from harness.errors import UserError
from harness.views import formats


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="accelerator id(s) (vendor/sku or sku)")
    parser.add_argument("--stack", action="append", default=[], help="stack id (repeatable)")
    parser.add_argument("--detail", action="store_true", help="every table per stack after the scorecard")
    formats.add_option(parser, "plain", "github", "csv", "json", command="accel readiness")
    parser.add_argument("--coverage-dir", type=Path, default=paths.RESULTS / "coverage",
                        help="built coverage tables (default: %(default)s; built on the fly if absent)")


def accelerator_stacks(ids: list[str], root: Path = paths.ACCELERATOR_SPECS,
                       accelerators=None) -> dict[str, list]:
    """``{accelerator id: [stack ids]}`` from the spec files' ``stacks:`` lists.

    ``ids`` are read by `harness.resolve` over the accelerators table, as `accel show` reads them
    ("h100", "P800", "昆仑芯 P800"); an unknown or ambiguous one is a `UserError`.
    """
    from harness.resolve import resolve_many
    from harness.yamlload import read_data

    out = {}
    for acc_id in resolve_many(ids, accelerators):
        spec = root / f"{acc_id}.yaml"
        if not spec.is_file():
            raise UserError(f"{acc_id}: no spec file {spec} (the accelerators table is older than the specs: "
                            "run `accel build`)")
        doc = read_data(spec)
        out[acc_id] = list(doc.get("stacks") or []) if isinstance(doc, dict) else []
    return out


def run(args: argparse.Namespace) -> int:
    import json

    from harness.views import readiness as R

    if args.coverage_dir.exists() and not args.coverage_dir.is_dir():
        raise UserError(f"--coverage-dir: {args.coverage_dir} is not a folder")
    stacks: list[str] = []
    for acc, ss in accelerator_stacks(args.ids).items() if args.ids else []:
        if not ss:
            print(f"{acc}: its spec names no software stack")
        stacks += [s for s in ss if s not in stacks]
    stacks += [s for s in args.stack if s not in stacks]
    tables = R.load_tables(args.coverage_dir, scorecard_only=not args.detail and args.format not in ("json", "csv"))
    known = R.known_stacks(tables)
    if not stacks:
        stacks = [s for s in R.DEFAULT_STACKS if s in known] if not args.detail and args.format != "json" \
            else sorted(set(tables["op_coverage"]["stack_id"]))
    for s in stacks:
        if s not in known:
            from harness.problems import did_you_mean

            raise UserError(f"unknown stack '{s}'{did_you_mean(s, sorted(known))}")
    reports = [R.stack_report(s, tables, other=args.detail or args.format in ("json", "csv"))
               for s in R.order(stacks)]
    if args.format == "csv":
        import pandas as pd

        from harness.safetext import csv_frame

        print(csv_frame(pd.concat([r["op_coverage"] for r in reports])).to_csv(index=False), end="")
    elif args.format == "json":
        print(json.dumps(R.json_doc(reports, tables), indent=2, ensure_ascii=False, default=str))
    else:
        print(R.text(reports, tables, args.format, detail=args.detail))
    return 0
