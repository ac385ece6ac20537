"""Typed frames for the evidence tables, with columns, order and dtypes from the field registry.

The registry (`schemas/fields.yaml`, `tables:`) is the one place a table's columns are named;
importers build plain row dicts and this module turns them into frames of the registered shape.
"""

from __future__ import annotations

import pandas as pd


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows -> a frame of registered ``table``; extra keys in the rows are dropped."""
    from harness.dataset.registry import registry
    from harness.dataset.tableschemas import coerce, empty_frame

    if table not in registry().tables:
        from harness.errors import UserError

        raise UserError(f"table '{table}' is not registered in schemas/fields.yaml (tables:)")
    return coerce(table, rows) if rows else empty_frame(table)


def columns(table: str) -> list[str]:
    from harness.dataset.registry import registry

    return list(registry().tables[table].columns)


def version_key(v: str) -> tuple:
    """'12.6' -> (12, 6); '9.0.0' -> (9, 0, 0); non-numeric parts sort first."""
    out = []
    for part in str(v).split("."):
        out.append(int(part) if part.isdigit() else -1)
    return tuple(out)


def share(n: int, d: int) -> float | None:
    """``n / d`` (0-1), the one way shares are stored; null without a denominator."""
    return n / d if d else None
