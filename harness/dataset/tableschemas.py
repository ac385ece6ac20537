"""Pandera schemas for every built table, generated from the registry (`schemas/fields.yaml`).

Nothing here names a column: dtypes, nullability, allowed values and bounds all come from the
registry, so a new field is one registry entry. Bounds apply to value fields, whose canonical
values the build has already converted.
"""

from __future__ import annotations

import functools

from harness.dataset.registry import Field, registry

# registry dtype -> pandas dtype used in the built tables (nullable extension types throughout)
PANDAS_DTYPES = {
    "string": "string",
    "float": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
    "datetime": "datetime64[ns, UTC]",
}


def _column(f: Field):
    import pandera.pandas as pa

    checks = []
    if f.isin:
        checks.append(pa.Check.isin(list(f.isin)))
    if f.min is not None:
        checks.append(pa.Check.ge(f.min))
    if f.max is not None:
        checks.append(pa.Check.le(f.max))
    return pa.Column(PANDAS_DTYPES[f.dtype], checks=checks or None, nullable=f.nullable,
                     description=f.description, title=f.name, coerce=False)


@functools.cache
def schema_for(table: str):
    """The pandera DataFrameSchema of a built table; `KeyError` names the known tables."""
    import pandera.pandas as pa

    reg = registry()
    if table not in reg.tables:
        raise KeyError(f"no table '{table}' in the registry; known: {', '.join(sorted(reg.tables))}")
    t = reg.tables[table]
    cols = {c: _column(reg.column(c)) for c in t.columns}
    return pa.DataFrameSchema(cols, strict=True, ordered=True, name=table,
                              unique=list(t.key) or None, report_duplicates="all")


def empty_frame(table: str):
    """A zero-row frame with the table's columns and dtypes."""
    import pandas as pd

    reg = registry()
    return pd.DataFrame({c: pd.Series([], dtype=PANDAS_DTYPES[reg.column(c).dtype])
                         for c in reg.tables[table].columns})


def coerce(table: str, rows: list[dict]):
    """Build a frame with the table's columns, order and dtypes from a list of row dicts."""
    import pandas as pd

    reg = registry()
    cols = reg.tables[table].columns
    data = {c: pd.Series([r.get(c) for r in rows], dtype=PANDAS_DTYPES[reg.column(c).dtype]) for c in cols}
    return pd.DataFrame(data, columns=list(cols))
