"""Build results/dataset/ (and the coverage tables) from the specs.

The specs are validated first; any error stops the build before anything is written, and the
tables are written to a temporary folder that replaces the old one only when complete.

Incremental: each build records, per table, the digest of what it was built from
(`harness.dataset.inputs`: the spec files, schemas, upstream copies and probe results each unit
reads, the code and the writers' versions) in the build cache (.accel-cache/ in a checkout). A
unit whose inputs are unchanged, and whose folder is unchanged since accel wrote it, is not
rebuilt, and the output says so; `--force` rebuilds everything. A skipped unit holds the bytes a
full build would write (outputs are deterministic).

examples:
  accel build
  accel build --force                 rebuild every table, changed or not
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
    parser.add_argument("--force", action="store_true", help="rebuild every table, even when its inputs are unchanged")


def build_dataset(specs_dir: Path, out: Path, parts: dict | None = None, stacks: dict | None = None,
                  stats: dict | None = None, *, reparse: bool = False) -> dict:
    """Validate, build and write the dataset tables; ``parts`` (the input digests) go into the
    manifest, and ``stacks`` is filled with each accelerator file's `stacks:` list, which the
    readiness inputs then need not parse again. Unchanged spec files come from the parse cache
    (`harness.dataset.speccache`, under `inputs.cache_dir`; ``reparse``, as `--force` asks, parses
    every file anew); ``stats`` gets how many."""
    from harness.dataset.build import build_tables
    from harness.dataset.tables import write_tables
    from harness.dataset.validate import validate_paths
    from harness.errors import UserError
    from harness.problems import summary

    if not specs_dir.exists():
        raise UserError(f"no such spec folder: {specs_dir}")
    from harness.dataset.inputs import cache_dir

    report = validate_paths([specs_dir], stack_dir=specs_dir / "stacks", cache_dir=cache_dir(), cache_read=not reparse)
    if stats is not None:
        stats.update(n_specs=len(report.specs), n_cached=report.n_cached)
    if report.errors:
        shown = "\n".join(str(p) for p in report.errors[:50])
        more = f"\n... and {len(report.errors) - 50} more" if len(report.errors) > 50 else ""
        raise UserError(f"specs have errors; nothing was written ({summary(report.problems)}):\n{shown}{more}")
    if not report.specs:
        raise UserError(f"no spec files under {specs_dir}")
    from harness.dataset import fieldinfo

    if stacks is not None:
        stacks.update({f"{spec.id}.yaml": spec.identity.get("stacks") for spec in report.specs})
    tables = build_tables(report.specs, report.prices, consume=True)  # each spec let go once its rows are made
    del report  # the parsed specs: the tables hold what is written
    write_tables(tables, out, kind="dataset", extra_files={fieldinfo.NAME: fieldinfo.dumps(fieldinfo.field_info())})
    if parts is not None:
        from harness.dataset import inputs

        inputs.save(out, inputs.record(parts, tables))
    return tables


def _rows(recorded: dict, name: str):
    entry = recorded.get(name)
    return entry.get("rows", "?") if isinstance(entry, dict) else "?"


def run(args) -> int:
    from harness.dataset import inputs
    from harness.errors import UserError

    if Path(args.specs).resolve() == paths.SPECS.resolve() or Path(args.out).resolve() == paths.DATASET.resolve():
        paths.need_checkout("accel build (without --specs DIR --out DIR)")
    if not Path(args.specs).exists():
        raise UserError(f"no such spec folder: {args.specs}")
    parts = inputs.dataset_parts(args.specs)
    seen_stacks: dict = {}
    fresh, why, recorded = (False, "--force", {}) if args.force else inputs.up_to_date(args.out, "dataset", parts)
    if fresh:
        print(f"up to date {args.out}: {_rows(recorded, 'accelerators')} accelerators, "
              f"{_rows(recorded, 'spec_values')} values, {_rows(recorded, 'sources')} sources, "
              f"{_rows(recorded, 'claims')} claims (inputs unchanged; not rebuilt)", file=sys.stderr)
    else:
        stats: dict = {}
        tables = build_dataset(args.specs, args.out, parts, seen_stacks, stats, reparse=args.force)
        parsed = f"parsed {stats['n_specs'] - stats['n_cached']} of {stats['n_specs']} spec files" + (
            f", {stats['n_cached']} unchanged since a cached parse" if stats["n_cached"] else "")
        print(f"built {args.out}: {len(tables['accelerators'])} accelerators, {len(tables['spec_values'])} values, "
              f"{len(tables['sources'])} sources, {len(tables['claims'])} claims (rebuilt: {why}; {parsed})",
              file=sys.stderr)
        del tables
    # the readiness tables read the repository's own specs and upstream files, so they are
    # rebuilt only by a build of those specs into results/
    default_build = Path(args.out).resolve() == paths.DATASET.resolve() and \
        Path(args.specs).resolve() == paths.SPECS.resolve()
    if not args.dataset_only and default_build:
        _build_readiness(args.force, seen_stacks or None)
    return 0


def _build_readiness(force: bool, stacks: dict | None) -> None:
    from harness.dataset import inputs

    out = paths.RESULTS / "coverage"
    parts, memo = inputs.readiness_parts(earlier=inputs.earlier_memo(out), known_stacks=stacks)
    fresh, why, recorded = (False, "--force", {}) if force else inputs.up_to_date(out, "coverage", parts)
    if fresh:
        print(f"up to date {out}: {', '.join(sorted(recorded))} (inputs unchanged; not rebuilt)", file=sys.stderr)
        return
    from harness.dataset.tables import COVERAGE_FORMATS, write_tables
    from harness.readiness import build as readiness

    coverage = readiness.build_tables()
    left = readiness.left_out()  # rebuilt from part of their inputs they would lose rows: the committed files stay
    if coverage:
        write_tables(coverage, out, kind="coverage", formats=COVERAGE_FORMATS, keep_others=bool(left))
        if not left:  # a folder that keeps tables from an earlier build records no inputs: never skipped
            inputs.save(out, inputs.record(parts, coverage, memo))
        print(f"built {out}: {', '.join(sorted(coverage))} (rebuilt: {why})", file=sys.stderr)
    if left:
        print(f"kept the committed tables {', '.join(sorted(left))}: an input is absent, "
              f"e.g. {next(iter(left.values()))}", file=sys.stderr)
