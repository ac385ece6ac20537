"""Run every table importer whose inputs are present and return (or write) the readiness tables.

``build_tables()`` is pure: it reads inputs and returns frames, writing nothing. ``accel build``
calls it and writes ``results/coverage/`` with the other readiness tables. ``write(out_dir)``
writes only this package's tables, each file atomically (temporary sibling, then rename), after
every table has passed its schema, so a failure leaves the previous files as they were and other
engineers' tables in the same folder untouched.

The tables are whatever the importers in ``importers/`` declare they produce (`table_names`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from harness import paths
from harness.errors import UserError
from harness.readiness.registry import Context, missing_inputs, table_importers

OUT_DIR = paths.RESULTS / "coverage"


def table_names() -> list[str]:
    """Every table the importers produce (what their ``produces`` declare; no hand-kept list)."""
    return sorted({t for imp in table_importers().values() for t in imp.produces})


@dataclass
class Step:
    importer: str
    status: str  # ran | skipped
    detail: str


def collect(ctx: Context | None = None, only: list[str] | None = None) -> tuple[dict[str, pd.DataFrame], list[Step]]:
    """Run the importers (all, or those in ``only``); frames of the same table are concatenated."""
    ctx = ctx or Context()
    importers = table_importers()
    if only:
        unknown = sorted(set(only) - set(importers))
        if unknown:
            from harness.problems import did_you_mean

            raise UserError(f"unknown importer {unknown[0]!r}{did_you_mean(unknown[0], importers)}"
                            f"; known: {', '.join(importers)}")
    steps: list[Step] = []
    for name, imp in importers.items():
        if only and name not in only:
            continue
        missing = missing_inputs(imp, ctx)
        if missing:
            steps.append(Step(name, "skipped", "missing input " + ", ".join(map(str, missing))))
            continue
        out = imp.run(ctx)
        for table, df in out.items():
            prev = ctx.tables.get(table)
            ctx.tables[table] = df if prev is None else pd.concat([prev, df], ignore_index=True)
        steps.append(Step(name, "ran", ", ".join(f"{t} ({len(df)} rows)" for t, df in out.items()) or "no rows"))
    return {t: _sorted(t, df) for t, df in ctx.tables.items()}, steps


def _sorted(table: str, df: pd.DataFrame) -> pd.DataFrame:
    from harness.dataset.registry import registry

    key = list(registry().tables[table].key)
    return df.sort_values(key, kind="mergesort", ignore_index=True) if key else df


def _context(upstream: Path | None = None, specs: Path | None = None, probes: Path | None = None) -> Context:
    """Inputs read where paths say now (not where they pointed when the registry was imported)."""
    return Context(upstream=upstream or paths.UPSTREAM, specs=specs or paths.SPECS,
                   probes=probes or paths.RESULTS / "probes")


def left_out(ctx: Context | None = None) -> dict[str, str]:
    """Tables a build with ``ctx`` leaves out, each with why: an importer feeding it lacks an input
    (an installed wheel carries no raw upstream copies under ``specs/upstream/``), and built from
    the other importers alone it would lack their rows."""
    ctx = ctx or _context()
    out: dict[str, str] = {}
    for name, imp in table_importers().items():
        missing = missing_inputs(imp, ctx)
        for table in imp.produces if missing else ():
            out.setdefault(table, f"{name}: {missing[0]}")
    return out


def build_tables(upstream: Path | None = None, specs: Path | None = None,
                 probes: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every readiness table all of whose importers have their inputs, validated against its
    registered schema (`left_out` names the others)."""
    ctx = _context(upstream, specs, probes)
    tables, _ = collect(ctx)
    left = left_out(ctx)
    tables = {t: df for t, df in tables.items() if t not in left}
    validate(tables)
    return tables


def validate(tables: dict[str, pd.DataFrame]) -> None:
    """All schema failures of all tables at once, as one `UserError`."""
    from harness.dataset.tables import check

    failures = [line for name, df in tables.items() for line in check(name, df)]
    if failures:
        raise UserError("readiness tables fail their schemas:\n  " + "\n  ".join(failures))


def write(out_dir: Path = OUT_DIR, tables: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write each table atomically beside the other builders' tables; nothing if any fails."""
    from harness.dataset.tables import COVERAGE_FORMATS, write_tables

    tables = build_tables() if tables is None else tables
    validate(tables)
    write_tables(tables, Path(out_dir), kind="coverage", validate=False, formats=COVERAGE_FORMATS,
                 keep_others=True)
    return [Path(out_dir) / f"{name}.parquet" for name in sorted(tables)]
