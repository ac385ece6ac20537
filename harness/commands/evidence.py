"""Build and list software-readiness evidence tables from published documents.

HIPIFY's CUDA->HIP tables, the PPU SDK's published CUDA-API counts, triton-ascend's dtype tables,
llama.cpp's ggml op support and MLPerf Inference results become tables in results/coverage/
(Parquet, CSV beside). Inputs missing from this checkout are skipped and listed by `ls`.

examples:
  accel evidence ls                         importers, their inputs, and what is missing
  accel evidence build                      write results/coverage/<table>.parquet and .csv
  accel evidence build --only hipify ppu    just these importers
  accel evidence build --out /tmp/cov --print
  accel evidence import-ggml ops.md --commit bea19fc8a81ef759482555aa2ae390a0d26e09cc
                                            regenerate specs/oplists/ggml/ from llama.cpp docs/ops.md
  accel evidence import-ggml CANN.csv --path docs/ops/CANN.csv --commit <sha>
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness import paths
from harness.errors import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    b = sub.add_parser("build", help="run the importers and write the evidence tables")
    b.add_argument("--out", type=Path, default=paths.RESULTS / "coverage",
                   help="output folder (default: results/coverage/)")
    b.add_argument("--upstream", type=Path, default=paths.UPSTREAM, help="folder of raw upstream files")
    b.add_argument("--specs", type=Path, default=paths.SPECS, help="spec folder (default: specs/)")
    b.add_argument("--only", nargs="+", metavar="IMPORTER", help="run only these importers")
    b.add_argument("--print", action="store_true", help="also print the summary tables")
    ls = sub.add_parser("ls", help="list importers, their inputs and tables")
    ls.add_argument("--upstream", type=Path, default=paths.UPSTREAM)
    ls.add_argument("--specs", type=Path, default=paths.SPECS)
    g = sub.add_parser("import-ggml", help="snapshot llama.cpp ggml op support into specs/oplists/ggml/")
    g.add_argument("file", type=Path, help="a copy of docs/ops.md or docs/ops/<backend>.csv")
    g.add_argument("--commit", required=True, help="upstream commit the file was read at")
    g.add_argument("--repo", default="ggml-org/llama.cpp")
    g.add_argument("--path", help="upstream path (default: docs/ops.md, or docs/ops/<name>.csv)")
    g.add_argument("--backend", nargs="+", help="only these backends (default: every backend in the file)")
    g.add_argument("--read-via", help="how the file was obtained (recorded in the snapshot)")
    g.add_argument("--out", type=Path, default=paths.OPLISTS / "ggml")


def run(args) -> int:
    if args.action != "ls":
        from harness import paths

        paths.need_checkout(f"accel evidence {args.action}")
    return {"build": _build, "ls": _ls, "import-ggml": _import_ggml}[args.action](args)


def _build(args) -> int:
    from harness.evidence.build import collect, left_out, validate, write
    from harness.evidence.registry import Context

    ctx = Context(upstream=args.upstream, specs=args.specs)
    tables, steps = collect(ctx, args.only)
    for s in steps:
        print(f"{s.importer:14} {s.status:8} {s.detail}", file=sys.stderr)
    # a table that a skipped importer also feeds would be written short of its rows: keep the old file
    partial = sorted(set(left_out(ctx)) & set(tables))
    if partial:
        print(f"not written (an importer feeding them lacks its input; the existing files stay): "
              f"{', '.join(partial)}", file=sys.stderr)
        tables = {t: df for t, df in tables.items() if t not in partial}
    if not tables:
        raise UserError("no evidence table was built: every importer lacks its input (see `accel evidence ls`)")
    validate(tables)
    write(args.out, tables)
    print(f"wrote {args.out}: {', '.join(sorted(tables))}", file=sys.stderr)
    if args.print:
        from tabulate import tabulate

        for name in sorted(tables):
            if name.endswith("summary"):
                print(f"\n## {name}\n")
                print(tabulate(tables[name].drop(columns=["note"], errors="ignore"), headers="keys",
                               showindex=False, tablefmt="github"))
    return 0


def _ls(args) -> int:
    from harness.evidence.registry import Context, load_all, missing_inputs

    ctx = Context(upstream=args.upstream, specs=args.specs)
    for name, imp in load_all().items():
        missing = missing_inputs(imp, ctx)
        state = "ready" if not missing else "missing input"
        print(f"{name:14} {state:14} -> {', '.join(imp.produces)}")
        print(f"{'':14} {imp.summary}")
        for p in imp.inputs(ctx):
            print(f"{'':14} {'ok ' if p.exists() else 'MISSING '} {p}")
    _ls_unreviewed(ctx)
    return 0


def _ls_unreviewed(ctx) -> None:
    """Per MLPerf round, accelerator names its alias map does not list yet (they get no id)."""
    from harness.evidence.importers.mlperf import unreviewed

    for rnd, names in unreviewed(ctx).items():
        print(f"\nmlperf {rnd}: {len(names)} unreviewed accelerator name(s)")
        for n in names:
            print(f"  unreviewed: {n!r}")
    from harness.evidence.importers import flagperf

    chips, skipped = flagperf.unreviewed(ctx), flagperf.skipped(ctx)
    print(f"\nflagperf: {len(chips)} unreviewed chip label(s), {len(skipped)} README(s) with nothing to read")
    for n in chips:
        print(f"  unreviewed: {n!r}")
    for path, why in skipped:
        print(f"  skipped: {path}: {why}")


def _import_ggml(args) -> int:
    from harness.evidence.importers import ggml

    if not args.file.exists():
        raise UserError(f"no such file: {args.file}")
    if args.file.suffix == ".csv":
        states = ggml.fold_csv(args.file)
        upstream_path = args.path or f"docs/ops/{args.file.name}"
    else:
        states = ggml.parse_ops_md(args.file)
        upstream_path = args.path or "docs/ops.md"
    if args.backend:
        unknown = sorted(set(args.backend) - set(states))
        if unknown:
            raise UserError(f"backend(s) {unknown} not in {args.file}; it has {', '.join(sorted(states))}")
        states = {b: states[b] for b in args.backend}
    command = f"accel evidence import-ggml {args.file.name} --path {upstream_path} --commit {args.commit}"
    written = ggml.write_snapshots(states, args.out, repo=args.repo, path=upstream_path, commit=args.commit,
                                   read_via=args.read_via, command=command)
    for p in written:
        print(f"wrote {p}", file=sys.stderr)
    return 0
