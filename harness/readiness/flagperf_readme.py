"""Reading FlagPerf's published README files: markdown tables and bullet lists, cells as printed.

FlagPerf (FlagOpen/FlagPerf) writes its results by hand into README files whose layout drifts
from case to case. This module only finds what a README prints; turning it into table rows is
`harness.readiness.importers.flagperf`.

Decisions:

- **A table is a header row followed by a separator row** (``| --- |``). A body row with another
  number of cells than its header is an `InputError` naming the file and line: a broken table is
  never read by guessing which cell is which.
- **Missing stays missing.** An empty cell, ``/``, ``-`` or ``--`` is ``None`` (FlagPerf writes
  ``/`` where a figure was not measured); it is never 0. A cell that should be a number and is
  not (``abc`` in a TFLOPS column) is an `InputError`.
- Units are read from the cell where FlagPerf prints them (``0.07TFLOPS``, ``7413.27us``,
  ``162.6W``, ``0.29%``) and a cell with a different unit is an error; percentages become shares
  (0-1), as every ``_share`` column of the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.readiness.errors import InputError, is_separator, split_row

MISSING = {"", "/", "-", "--", "—", "N/A", "n/a"}
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass
class Table:
    """One markdown table: header cells, and body rows as (1-based line, cells)."""

    line: int
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        key = norm(name)
        for i, h in enumerate(self.header):
            if norm(h) == key:
                return i
        return None


def norm(text: str) -> str:
    """A header or label for comparison: spaces removed, lower case, full-width brackets folded."""
    return (text.replace(" ", "").replace("（", "(").replace("）", ")").replace("：", ":")
            .replace("*", "").lower())


def tables(path: Path, lines: list[str]) -> list[Table]:
    """Every markdown table of ``lines``. Lines that start with ``|`` but have no separator row
    under their first line are not a table (FlagPerf prints ``|`` in tool output examples); once a
    table has started, a row with the wrong number of cells is an error."""
    out: list[Table] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if s.startswith("|") and nxt.startswith("|") and is_separator(split_row(nxt)):
            header = split_row(s)
            sep = split_row(nxt)
            if len(sep) != len(header):
                raise InputError(path, i + 2, f"table separator has {len(sep)} cells, its header "
                                              f"(line {i + 1}) has {len(header)}")
            t = Table(i + 1, header)
            j = i + 2
            while j < len(lines) and lines[j].strip().startswith("|"):
                cells = split_row(lines[j])
                if cells == [""]:  # a lone '|' under a table (FlagPerf has one): the table ends
                    break
                while len(cells) > len(header) and not cells[-1]:
                    cells = cells[:-1]  # trailing empty cells ('| a | b |  |'), as markdown renders them
                if len(cells) != len(header):
                    raise InputError(path, j + 1, f"table row has {len(cells)} cells, its header "
                                                  f"(line {i + 1}) has {len(header)}: {lines[j].strip()!r}")
                t.rows.append((j + 1, cells))
                j += 1
            out.append(t)
            i = j
            continue
        i += 1
    return out


def bullets(lines: list[str]) -> list[tuple[int, str, str]]:
    """``(line, key, value)`` of every ``* key：value`` / ``- key: value`` bullet, as printed."""
    out = []
    for n, raw in enumerate(lines, 1):
        m = re.match(r"^\s*[*-]\s+(?!#)([^：:]+?)\s*[：:]\s*(.*?)\s*$", raw)
        if m:
            out.append((n, m.group(1).strip(), m.group(2).strip()))
    return out


def text(cell: str | None) -> str | None:
    """A cell as printed, or None where FlagPerf leaves it out."""
    if cell is None:
        return None
    c = cell.strip().replace("\\_", "_")
    return None if c in MISSING else c


def number(path: Path, line: int, cell: str | None, units: tuple[str, ...] = ("",)) -> float | None:
    """The number in ``cell``, which may end with one of ``units`` (``""`` = bare number allowed);
    None for a missing cell; an `InputError` for anything else."""
    c = text(cell)
    if c is None:
        return None
    m = NUMBER.match(c)
    rest = c[m.end():].strip() if m else None
    if m is None or rest not in units:
        want = " or ".join(repr(u) for u in units if u) or "no unit"
        raise InputError(path, line, f"cell {c!r} is not a number with unit {want}")
    return float(m.group(0))


def share(path: Path, line: int, cell: str | None) -> float | None:
    """``'46.31%'`` -> 0.4631 (a bare number is taken as printed in percent too)."""
    v = number(path, line, cell, ("%", ""))
    return None if v is None else round(v / 100.0, 10)
