"""Validate built tables against their schemas and write them as Parquet, CSV and JSON.

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


def sort_rows(name: str, df):
    key = list(registry().tables[name].key) if name in registry().tables else []
    if key:
        df = df.sort_values(key, kind="mergesort").reset_index(drop=True)
    return df


def _json_records(table) -> str:
    """A JSON array, one record per line: diff-friendly and written by the C encoder."""
    rows = [json.dumps(r, ensure_ascii=False, allow_nan=False) for r in table.to_pylist()]
    return "[\n" + ",\n".join(rows) + ("\n" if rows else "") + "]\n"


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
        (directory / f"{name}.json").write_text(_json_records(table), encoding="utf-8")


def write_tables(tables: dict, out_dir: Path, *, kind: str, validate: bool = True, formats=FORMATS,
                 keep_others: bool = False, extra_files: dict[str, str] | None = None) -> Path:
    """Validate every table (all failures at once), then write them all, atomically.

    The folder is replaced whole, and only when its manifest shows accel wrote it as ``kind``
    (`harness.atomic.atomic_dir`); with ``keep_others`` the files of tables not in ``tables``
    are carried over (two builders sharing results/coverage/).
    """
    tables = {n: sort_rows(n, df) for n, df in tables.items()}
    if validate:
        failures = [line for n, df in tables.items() if n in registry().tables for line in check(n, df)]
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
