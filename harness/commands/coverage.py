"""ATen op coverage: snapshot reference sets, import published op lists, build the tables.

examples:
  accel coverage reference            snapshot core / CUDA-backed op sets of the installed torch
  accel coverage import ascend        regenerate specs/oplists/cann/ from shared/upstream/
  accel coverage import --all         run every importer
  accel coverage build                write results/coverage/op_evidence + op_coverage
  accel coverage ls                   importers, their inputs, and the snapshots present
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness import paths
from harness.errors import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("reference", help="snapshot the reference op sets from the installed torch")
    imp = sub.add_parser("import", help="run importers: published op lists -> specs/oplists/")
    imp.add_argument("importers", nargs="*", metavar="IMPORTER", help="importer name(s)")
    imp.add_argument("--all", action="store_true", help="run every importer")
    imp.add_argument("--upstream", type=Path, default=paths.UPSTREAM,
                     help="folder with the raw published files (default: %(default)s)")
    b = sub.add_parser("build", help="write op_evidence and op_coverage to results/coverage/")
    b.add_argument("--out", type=Path, default=paths.RESULTS / "coverage",
                   help="output folder (default: %(default)s)")
    sub.add_parser("ls", help="list importers and snapshots")


def run(args: argparse.Namespace) -> int:
    if args.action != "ls":
        from harness import paths

        paths.need_checkout(f"accel coverage {args.action}")
    return {"reference": _reference, "import": _import, "build": _build, "ls": _ls}[args.action](args)


def _reference(args) -> int:
    from harness.coverage import reference

    for p in reference.write_reference(paths.OPLISTS):
        print(f"wrote {p.relative_to(paths.ROOT)}")
    return 0


def _import(args) -> int:
    from harness.coverage import importers

    names = list(importers.names()) if args.all else args.importers
    if not names:
        raise UserError("name an importer or pass --all; known: " + ", ".join(importers.names()))
    modules = [importers.get(n) for n in names]  # every typo reported before anything runs
    if not args.upstream.is_dir() and any(n != "pytorch" for n in names):
        raise UserError(f"upstream folder {args.upstream} does not exist (use --upstream)")
    for name, mod in zip(names, modules, strict=True):
        try:
            written = mod.run(args.upstream, paths.OPLISTS)
        except FileNotFoundError as exc:
            raise UserError(f"importer '{name}': missing input {exc.filename}") from None
        for p in written:
            print(f"{name}: wrote {p.relative_to(paths.ROOT)}")
    return 0


def _build(args) -> int:
    from harness.coverage import build

    tables = build.build_tables()
    written = build.write(args.out, tables)
    for name, p in written.items():
        print(f"wrote {p} ({len(tables[name])} rows)")
    return 0


def _ls(args) -> int:
    from tabulate import tabulate

    from harness.coverage import importers, snapshot

    rows = []
    for name in importers.names():
        mod = importers.get(name)
        rows.append([name, ", ".join(mod.STACKS), mod.DESCRIPTION])
    print(tabulate(rows, headers=["importer", "stacks", "reads"]))
    print()
    snaps = []
    for p in sorted(paths.OPLISTS.glob("*/*.yaml")):
        if p.parent.name == "mappings":
            continue
        doc = snapshot.load(p)
        if not isinstance(doc, dict):
            continue
        n = len(doc.get("entries") or doc.get("ops") or [])
        snaps.append([p.relative_to(paths.ROOT), doc.get("importer") or doc.get("reference_set"),
                      doc.get("as_of") or doc.get("torch_version") or "", n])
    print(tabulate(snaps, headers=["snapshot", "importer / set", "as of", "entries"]))
    return 0
