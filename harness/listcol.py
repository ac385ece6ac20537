"""List-valued cells (aliases, stacks, cited_by, MLPerf models, ...) are one string in the built
tables, the items joined with `JOIN`: flat columns that CSV, Parquet and DuckDB all read alike."""

from __future__ import annotations

from collections.abc import Iterable

JOIN = " | "


def join(items: Iterable) -> str | None:
    """The items as one cell; None (unknown/empty) for no items."""
    return JOIN.join(str(i) for i in items) or None


def split(cell) -> list[str]:
    """The items of a cell; [] for a missing one."""
    return [i.strip() for i in cell.split(JOIN) if i.strip()] if isinstance(cell, str) else []
