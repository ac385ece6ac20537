"""Validate built tables against their schemas and write them as Parquet, CSV and JSON.

Two checkers, one set of rules from the registry: `check` runs the pandera schemas (the
reference: `accel validate --tables`, releases, CI) and `quick_check` evaluates the same rules
directly, without importing pandera (`accel build`, where pandera would cost more than the build).

Outputs are deterministic (same input, same bytes): rows sorted by the table key, fixed column
order, no index, no timestamps inside the files. Writing goes through `atomic_dir`, so a failed
validation or write leaves the previous directory untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.atomic import atomic_dir
from harness.dataset.registry import registry
from harness.errors import UserError
from harness.safetext import csv_frame

FORMATS = ("parquet", "csv", "json")
# The readiness tables are large (per symbol, per op x dtype); the repository keeps them as
# Parquet only, and releases add CSV and JSON.
COVERAGE_FORMATS = ("parquet",)


def check(name: str, df) -> list[str]:
    """All schema failures of one table, as readable lines (empty when valid)."""
    import pandera.errors as pe

    from harness.dataset.tableschemas import schema_for

    try:
        schema_for(name).validate(df, lazy=True)
    except pe.SchemaErrors as exc:
        fc = exc.failure_cases
        lines = []
        for _, r in fc.head(50).iterrows():
            lines.append(f"table {name}: column {r.get('column')}: {r.get('check')} failed "
                         f"for {r.get('failure_case')!r} (row {r.get('index')})")
        if len(fc) > 50:
            lines.append(f"table {name}: ... and {len(fc) - 50} more failures")
        return lines
    return []


def quick_check(name: str, df) -> list[str]:
    """The rules of `check` (the pandera schema of `tableschemas.schema_for`), evaluated directly
    from the registry: exact columns in order, each column's dtype, nulls only where nullable,
    allowed values, bounds and a unique key. `accel build` uses this one, because importing
    pandera and compiling its schemas costs more than building the dataset; `check` stays the
    reference (`accel validate --tables`, releases, CI), and a test holds the two to the same
    verdicts. Lines have `check`'s shape; empty when valid."""
    import pandas as pd

    from harness.dataset.tableschemas import PANDAS_DTYPES

    reg = registry()
    table = reg.tables[name]
    lines: list[str] = []

    def fail(column, rule, value, row):
        lines.append(f"table {name}: column {column}: {rule} failed for {value!r} (row {row})")

    cols = list(table.columns)
    present = list(df.columns)
    for c in cols:
        if c not in present:
            fail(c, "column_in_dataframe", c, None)
    for c in present:
        if c not in cols:
            fail(c, "column_in_schema", c, None)
    if not lines and present != cols:
        fail(next(c for c, want in zip(present, cols, strict=False) if c != want), "column_ordered", present, None)
    for c in cols:
        if c not in present:
            continue
        f = reg.column(c)
        s = df[c]
        want = pd.api.types.pandas_dtype(PANDAS_DTYPES[f.dtype])
        if s.dtype != want:
            fail(c, f"dtype('{want}')", str(s.dtype), None)
            continue
        na = s.isna()
        if not f.nullable and na.any():
            for i in s.index[na][:5]:
                fail(c, "not_nullable", None, i)
        v = s[~na]
        bad = []
        if f.isin:
            bad.append(("isin", ~v.isin(list(f.isin))))
        if f.min is not None:
            bad.append((f"greater_than_or_equal_to({f.min})", v < f.min))
        if f.max is not None:
            bad.append((f"less_than_or_equal_to({f.max})", v > f.max))
        for rule, mask in bad:
            for i, value in v[mask.to_numpy(dtype=bool)].head(5).items():
                fail(c, rule, value, i)
    key = [k for k in table.key if k in present]
    if key and len(key) == len(table.key):
        dup = df.duplicated(key, keep=False)
        for i in df.index[dup.to_numpy(dtype=bool)][:5]:
            fail(", ".join(key), "unique", tuple(df.loc[i, key]), i)
    if len(lines) > 50:
        lines = lines[:50] + [f"table {name}: ... and {len(lines) - 50} more failures"]
    return lines


def sort_rows(name: str, df):
    """The table in its key order (stable); the frame itself, not a copy, when it is in that order
    already (the dataset build makes its rows in key order, so writing does not copy them)."""
    key = list(registry().tables[name].key) if name in registry().tables else []
    if not key or len(df) < 2:
        return df
    order = df[key].sort_values(key, kind="mergesort").index
    if (order == df.index).all() and df.index.equals(type(df.index)(range(len(df)))):
        return df
    return df.take(order).reset_index(drop=True)


def _json_records(table) -> str:
    """A JSON array, one record per line: diff-friendly and written by the C encoder."""
    return "".join(_json_chunks(table))


def _json_chunks(table, rows_per_chunk: int = 2048):
    """`_json_records` in pieces, a batch of rows at a time, so a large table never exists as
    Python dicts all at once."""
    yield "["
    first = True
    for batch in table.to_batches(max_chunksize=rows_per_chunk):
        rows = [json.dumps(r, ensure_ascii=False, allow_nan=False) for r in batch.to_pylist()]
        if rows:
            yield ("\n" if first else ",\n") + ",\n".join(rows)
            first = False
    yield "\n]\n"


DATA_LICENSE = "CC-BY-4.0"


def with_metadata(table, name: str, version: str):
    """The Arrow table with each registered column's description, unit and registry id as field
    metadata, and the dataset version, licence and table name as file metadata (beside pandas'
    own, which keeps nullable dtypes on the way back), so a Parquet file explains itself wherever
    it travels."""
    import pyarrow as pa

    reg = registry()
    fields = []
    for f in table.schema:
        meta = {}
        try:
            col = reg.column(f.name)
        except KeyError:
            col = None
        if col is not None:
            meta = {"accelatlas.field": f.name, "description": col.description or ""}
            if col.unit:
                meta["unit"] = col.unit
        fields.append(f.with_metadata(meta or None))
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}), b"accelatlas.table": name.encode(),
                                         b"accelatlas.version": version.encode(), b"license": DATA_LICENSE.encode()})
    return table.cast(schema)


def write_table(df, directory: Path, name: str, formats=FORMATS, version: str | None = None):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from harness import __version__

    table = pa.Table.from_pandas(df, preserve_index=False)
    if "parquet" in formats:
        pq.write_table(with_metadata(table, name, version or __version__),
                       directory / f"{name}.parquet", compression="zstd")
    if "csv" in formats:
        csv_frame(df).to_csv(directory / f"{name}.csv", index=False, lineterminator="\n")
    if "json" in formats:
        with open(directory / f"{name}.json", "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(_json_chunks(table))


def write_tables(tables: dict, out_dir: Path, *, kind: str, validate: bool = True, formats=FORMATS,
                 keep_others: bool = False, extra_files: dict[str, str] | None = None) -> Path:
    """Validate every table (all failures at once, `quick_check`), then write them all, atomically.

    The folder is replaced whole, and only when its manifest shows accel wrote it as ``kind``
    (`harness.atomic.atomic_dir`); with ``keep_others`` the files of tables not in ``tables``
    are carried over (two builders sharing results/coverage/).
    """
    tables = {n: sort_rows(n, df) for n, df in tables.items()}
    if validate:
        failures = [line for n, df in tables.items() if n in registry().tables for line in quick_check(n, df)]
        if failures:
            raise UserError("built tables fail their schemas:\n  " + "\n  ".join(failures))
    out_dir = Path(out_dir)
    keep = {}
    if keep_others and out_dir.is_dir() and not out_dir.is_symlink():
        from harness.manifest import ownership, read

        if ownership(out_dir, kind) is None and read(out_dir) is not None:
            keep = {name: (out_dir / name).read_bytes() for name in read(out_dir)["files"]
                    if name.split(".", 1)[0] not in tables}
    with atomic_dir(out_dir, kind) as tmp:
        for name, data in keep.items():
            (tmp / name).write_bytes(data)
        for n, df in tables.items():
            write_table(df, tmp, n, formats)
        for name, text in (extra_files or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
    return out_dir
