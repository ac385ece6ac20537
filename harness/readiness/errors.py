"""Errors for malformed upstream input, always naming the file and line.

An importer never skips a line it does not understand: a table row with the wrong number of cells
or an unknown support mark is an `InputError` (a `UserError`, so the CLI prints one message and
exits 2). A missing input is not an error: the importer is skipped and `accel coverage ls` says so.
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import UserError


class InputError(UserError):
    """Malformed upstream or spec input, reported as ``file:line: message``."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


def split_row(text: str) -> list[str]:
    """Cells of a markdown table row, stripped; tolerates a missing leading or trailing pipe."""
    s = text.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def is_separator(cells: list[str]) -> bool:
    """True for a markdown header separator row (``|---|:-:|``)."""
    return bool(cells) and all(c and set(c) <= set(":- ") for c in cells)
