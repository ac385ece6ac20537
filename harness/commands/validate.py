"""Check spec files and report every problem at once.

Each problem prints as `PATH:LINE: field: message [rule-id]`, errors first, then warnings.
Exit status: 0 when clean (warnings allowed unless --strict), 2 otherwise.

This is the pre-commit hook, so it imports only what checking spec files needs: no pandas,
pandera or pint (units convert through `schemas/unit_factors.json`). The built-table schema
checks need all three; they run in `accel build` (every table is checked before it is written)
and, with `--tables`, here (CI does).

examples:
  accel validate                        all of specs/
  accel validate specs/accelerators/nvidia/h20.yaml
  accel validate --strict --format github    annotations for GitHub Actions
  accel validate --tables               also build the tables in memory and check their schemas
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness import paths
from harness.views import formats


def configure(parser):
    parser.add_argument("paths", nargs="*", type=Path, help="spec files or folders (default: specs/)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    formats.add_option(parser, "plain", "github", command="accel validate")
    tables = parser.add_mutually_exclusive_group()
    tables.add_argument("--tables", action="store_true",
                        help="also check the built tables' schemas (needs pandas and pandera; a folder only)")
    tables.add_argument("--no-tables", action="store_true",
                        help="skip the built-table schema checks (the default; kept for old hook configs)")


def run(args) -> int:
    from harness.dataset.validate import validate_paths
    from harness.errors import UserError
    from harness.problems import summary

    targets = args.paths or [paths.SPECS]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    report = validate_paths(targets, stack_dir=paths.STACK_SPECS)
    if not report.specs and not report.stacks and not report.prices and not report.errors:
        for p in report.problems:  # warnings about files that were not read say why
            print(f"warning: {p}")
        raise UserError(f"no spec files (*.yaml) under {', '.join(str(p) for p in targets)}: nothing was checked")
    problems = list(report.problems)
    # the built-table schema checks need every spec (and pandera): on request, for folders only
    whole = any(p.is_dir() for p in targets)
    if not report.errors and args.tables and report.specs and whole:
        from harness.dataset.build import build_tables
        from harness.dataset.tables import check

        for name, df in build_tables(report.specs, report.prices).items():
            for line in check(name, df):
                from harness.problems import Problem

                problems.append(Problem("<built tables>", 0, name, line, "table-schema"))
    for p in problems:
        sev = "error" if (p.severity == "error" or args.strict) else "warning"
        if args.format == "github":  # escaped per GitHub's workflow-command rules: no forged commands
            from harness.safetext import github_data
            from harness.safetext import github_property as prop

            message = github_data(f"{p.field}: {p.message}")
            out = getattr(sys.stdout, "raw", sys.stdout)  # a workflow command on purpose, escaped
            print(f"::{sev} file={prop(p.path)},line={p.line},title={prop(p.rule)}::{message}", file=out)
        else:
            print(f"{sev}: {p}" if sev == "warning" else str(p))
    failing = [p for p in problems if p.severity == "error" or args.strict]
    print(f"{len(report.specs)} accelerator, {len(report.stacks)} stack and {len(report.prices)} price file(s) "
          f"checked: {summary(problems)}", file=sys.stderr)
    return 2 if failing else 0
