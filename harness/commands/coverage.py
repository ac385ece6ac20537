"""Software readiness, one pipeline: reference op sets, op-list snapshots, and every readiness table.

Op lists (Ascend, FlagGems, Intel, Kunlun, PyTorch's own dispatch keys) are imported into reviewed
snapshots under specs/oplists/; `build` runs every table importer (op coverage from the snapshots
and probe runs, HIPIFY, the PPU SDK's CUDA-API counts, triton-ascend, ggml, MLPerf, model support,
FlagPerf, LLM kernels, stacks) into results/coverage/ (Parquet, CSV beside). Importers whose
inputs are missing from this checkout are skipped and listed by `ls`.

examples:
  accel coverage ls                         every importer, its inputs, and the snapshots present
  accel coverage reference                  snapshot core / CUDA-backed / LLM op sets of the installed torch
  accel coverage import ascend              regenerate specs/oplists/cann/ from specs/upstream/
  accel coverage import --all               run every op-list importer
  accel coverage build                      write results/coverage/<table>.parquet and .csv
  accel coverage build --only hipify ppu    just these table importers
  accel coverage build --out /tmp/cov --print
  accel coverage import-ggml ops.md --commit bea19fc8a81ef759482555aa2ae390a0d26e09cc
                                            regenerate specs/oplists/ggml/ from llama.cpp docs/ops.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness import paths
from harness.errors import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("reference", help="snapshot the reference op sets from the installed torch")
    imp = sub.add_parser("import", help="run op-list importers: published op lists -> specs/oplists/")
    imp.add_argument("importers", nargs="*", metavar="IMPORTER", help="importer name(s)")
    imp.add_argument("--all", action="store_true", help="run every op-list importer")
    imp.add_argument("--upstream", type=Path, default=paths.UPSTREAM,
                     help="folder with the raw published files (default: %(default)s)")
    b = sub.add_parser("build", help="run the table importers and write the readiness tables")
    b.add_argument("--out", type=Path, default=paths.RESULTS / "coverage",
                   help="output folder (default: results/coverage/)")
    b.add_argument("--upstream", type=Path, default=paths.UPSTREAM, help="folder of raw upstream files")
    b.add_argument("--specs", type=Path, default=paths.SPECS, help="spec folder (default: specs/)")
    b.add_argument("--only", nargs="+", metavar="IMPORTER", help="run only these table importers")
    b.add_argument("--print", action="store_true", help="also print the summary tables")
    ls = sub.add_parser("ls", help="list importers, their inputs and tables, and the snapshots")
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


def run(args: argparse.Namespace) -> int:
    if args.action != "ls":
        paths.need_checkout(f"accel coverage {args.action}")
    return {"reference": _reference, "import": _import, "build": _build, "ls": _ls,
            "import-ggml": _import_ggml}[args.action](args)


def _reference(args) -> int:
    from harness.readiness import reference

    for p in reference.write_reference(paths.OPLISTS):
        print(f"wrote {p.relative_to(paths.ROOT)}")
    return 0


def _import(args) -> int:
    from harness.problems import did_you_mean
    from harness.readiness.registry import snapshot_importers, table_importers

    known = snapshot_importers()
    names = list(known) if args.all else args.importers
    if not names:
        raise UserError("name an op-list importer or pass --all; known: " + ", ".join(known))
    for n in names:  # every typo reported before anything runs
        if n not in known:
            hint = (f" ({n} builds a table: `accel coverage build --only {n}`)" if n in table_importers()
                    else did_you_mean(n, known))
            raise UserError(f"unknown op-list importer {n!r}{hint}; known: {', '.join(known)}")
    if not args.upstream.is_dir() and any(n != "pytorch" for n in names):
        raise UserError(f"upstream folder {args.upstream} does not exist (use --upstream)")
    for name in names:
        try:
            written = known[name].run(args.upstream, paths.OPLISTS)
        except FileNotFoundError as exc:
            raise UserError(f"importer '{name}': missing input {exc.filename}") from None
        for p in written:
            print(f"{name}: wrote {p.relative_to(paths.ROOT)}")
    return 0


def _build(args) -> int:
    from harness.readiness.build import collect, left_out, validate, write
    from harness.readiness.registry import Context

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
        raise UserError("no readiness table was built: every importer lacks its input (see `accel coverage ls`)")
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
    from harness.readiness import snapshot
    from harness.readiness.registry import SNAPSHOT, Context, load_all, missing_inputs

    ctx = Context(upstream=args.upstream, specs=args.specs)
    importers = load_all()
    w = max(map(len, importers), default=0)
    for name, imp in importers.items():
        missing = missing_inputs(imp, ctx)
        state = "ready" if not missing else "missing input"
        what = f"snapshots of {', '.join(imp.stacks)}" if imp.kind == SNAPSHOT else ", ".join(imp.produces)
        print(f"{name:{w}} {state:14} -> {what}")
        print(f"{'':{w}} {imp.summary}")
        for p in imp.inputs(ctx):
            print(f"{'':{w}} {'ok ' if p.exists() else 'MISSING '} {p}")
    _ls_unreviewed(ctx)
    snaps = []
    for p in sorted(ctx.oplists.glob("*/*.yaml")):
        if p.parent.name == "mappings":
            continue
        doc = snapshot.load(p)
        if not isinstance(doc, dict):
            continue
        n = len(doc.get("entries") or doc.get("ops") or [])
        snaps.append([p.relative_to(ctx.specs.parent) if ctx.specs.parent in p.parents else p,
                      doc.get("importer") or doc.get("reference_set") or "",
                      doc.get("as_of") or doc.get("torch_version") or "", n])
    from tabulate import tabulate

    print()
    print(tabulate(snaps, headers=["snapshot", "importer / set", "as of", "entries"]))
    return 0


def _ls_unreviewed(ctx) -> None:
    """Per MLPerf round, accelerator names its alias map does not list yet (they get no id)."""
    from harness.readiness.importers.mlperf import unreviewed

    for rnd, names in unreviewed(ctx).items():
        print(f"\nmlperf {rnd}: {len(names)} unreviewed accelerator name(s)")
        for n in names:
            print(f"  unreviewed: {n!r}")
    from harness.readiness.importers import flagperf

    chips, skipped = flagperf.unreviewed(ctx), flagperf.skipped(ctx)
    print(f"\nflagperf: {len(chips)} unreviewed chip label(s), {len(skipped)} README(s) with nothing to read")
    for n in chips:
        print(f"  unreviewed: {n!r}")
    for path, why in skipped:
        print(f"  skipped: {path}: {why}")


def _import_ggml(args) -> int:
    from harness.readiness.importers import ggml

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
    command = f"accel coverage import-ggml {args.file.name} --path {upstream_path} --commit {args.commit}"
    written = ggml.write_snapshots(states, args.out, repo=args.repo, path=upstream_path, commit=args.commit,
                                   read_via=args.read_via, command=command)
    for p in written:
        print(f"wrote {p}", file=sys.stderr)
    return 0
