"""Build results/dataset/ (and the coverage tables) from the specs.

The specs are validated first; any error stops the build before anything is written, and the
tables are written to a temporary folder that replaces the old one only when complete.

examples:
  accel build
  accel build --specs my-specs/ --out /tmp/dataset
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness import paths


def configure(parser):
    parser.add_argument("--specs", type=Path, default=paths.SPECS, help="spec folder (default: specs/)")
    parser.add_argument("--out", type=Path, default=paths.DATASET, help="output folder (default: results/dataset/)")
    parser.add_argument("--dataset-only", action="store_true", help="skip the software-readiness tables")


def build_dataset(specs_dir: Path, out: Path) -> dict:
    from harness.dataset.build import build_tables
    from harness.dataset.tables import write_tables
    from harness.dataset.validate import validate_paths
    from harness.errors import UserError
    from harness.problems import summary

    if not specs_dir.exists():
        raise UserError(f"no such spec folder: {specs_dir}")
    report = validate_paths([specs_dir], stack_dir=specs_dir / "stacks")
    if report.errors:
        shown = "\n".join(str(p) for p in report.errors[:50])
        more = f"\n... and {len(report.errors) - 50} more" if len(report.errors) > 50 else ""
        raise UserError(f"specs have errors; nothing was written ({summary(report.problems)}):\n{shown}{more}")
    if not report.specs:
        raise UserError(f"no spec files under {specs_dir}")
    from harness.dataset import fieldinfo

    tables = build_tables(report.specs, report.prices)
    write_tables(tables, out, kind="dataset", extra_files={fieldinfo.NAME: fieldinfo.dumps(fieldinfo.field_info())})
    return tables


def _extra_builders():
    """Builders of the readiness tables, each `build_tables() -> {name: DataFrame}`, if installed."""
    import importlib

    for mod in ("harness.coverage.build", "harness.evidence.build"):
        try:
            yield mod, importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name and not mod.startswith(exc.name):
                raise


def run(args) -> int:
    if Path(args.specs).resolve() == paths.SPECS.resolve() or Path(args.out).resolve() == paths.DATASET.resolve():
        paths.need_checkout("accel build (without --specs DIR --out DIR)")
    tables = build_dataset(args.specs, args.out)
    n = len(tables["accelerators"])
    print(f"built {args.out}: {n} accelerators, {len(tables['spec_values'])} values, "
          f"{len(tables['sources'])} sources, {len(tables['claims'])} claims", file=sys.stderr)
    # the readiness tables read the repository's own specs and upstream files, so they are
    # rebuilt only by a build of those specs into results/
    default_build = Path(args.out).resolve() == paths.DATASET.resolve() and \
        Path(args.specs).resolve() == paths.SPECS.resolve()
    if not args.dataset_only and default_build:
        from harness.dataset.tables import COVERAGE_FORMATS, write_tables

        coverage: dict = {}
        kept = []
        for mod, builder in _extra_builders():
            coverage.update(builder.build_tables())
            left = builder.left_out() if hasattr(builder, "left_out") else {}
            if left:  # rebuilt from part of their inputs they would lose rows: the committed files stay
                kept.append(f"kept the committed tables of {mod} ({', '.join(sorted(left))}): "
                            f"an input is absent, e.g. {next(iter(left.values()))}")
        if coverage:
            write_tables(coverage, paths.RESULTS / "coverage", kind="coverage", formats=COVERAGE_FORMATS,
                         keep_others=bool(kept))
            print(f"built {paths.RESULTS / 'coverage'}: {', '.join(sorted(coverage))}", file=sys.stderr)
        for line in kept:
            print(line, file=sys.stderr)
    return 0
