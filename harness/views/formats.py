"""One output vocabulary for every command, and one way to render a plain table in it.

Every command that prints takes ``--format`` from `add_option`, naming the subset of `FORMATS` it
can produce; an unknown or unavailable name is one error with a did-you-mean. `table` renders rows
as text in any of the text formats with the same rules everywhere: values go through `cell` first
(so tabulate never re-reads a string: "False" stays "no", not True), GitHub cells escape ``|`` and
line breaks, unknowns print as an empty cell (never "nan" or "None"), and CSV cells are neutralised
against spreadsheet formulas.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math

from harness.errors import UserError

FORMATS = ("plain", "github", "latex", "html", "csv", "json")
DESCRIPTIONS = {
    "plain": "aligned text for a terminal",
    "github": "GitHub-flavoured Markdown tables (accel validate: workflow annotations)",
    "latex": "LaTeX (booktabs) tables",
    "html": "an HTML table",
    "csv": "comma-separated values, raw numbers",
    "json": "JSON, raw numbers and states",
}
TABULATE = {"plain": "simple", "github": "github", "latex": "latex_booktabs", "html": "html"}


class _Choice:
    """argparse ``type=`` for one command's formats: a typo gets a did-you-mean."""

    def __init__(self, allowed: tuple[str, ...], command: str):
        self.allowed, self.command = allowed, command
        self.__name__ = "format"

    def __call__(self, value: str) -> str:
        from harness.problems import did_you_mean

        if value in self.allowed:
            return value
        if value in FORMATS:
            raise argparse.ArgumentTypeError(
                f"'{value}' is not available for {self.command}; use one of {', '.join(self.allowed)}")
        raise argparse.ArgumentTypeError(
            f"unknown format '{value}'{did_you_mean(value, self.allowed)}; use one of {', '.join(self.allowed)}")


def add_option(parser: argparse.ArgumentParser, *allowed: str, default: str | None = "plain",
               command: str = "this command") -> None:
    """Add ``--format`` limited to ``allowed`` (a subset of `FORMATS`, in that order)."""
    bad = [f for f in allowed if f not in FORMATS]
    if bad:
        raise ValueError(f"not in the format vocabulary: {bad}")
    parser.add_argument("--format", metavar="FMT", type=_Choice(tuple(allowed), command), default=default,
                        help="; ".join(f"{f}: {DESCRIPTIONS[f]}" for f in allowed)
                        + (f" (default {default})" if default else ""))


def check(fmt: str, allowed: tuple[str, ...]) -> str:
    """``fmt`` when it is one of ``allowed``, else one `UserError` (for formats read elsewhere)."""
    from harness.problems import did_you_mean

    if fmt not in allowed:
        raise UserError(f"unknown format '{fmt}'{did_you_mean(fmt, allowed)}; use one of {', '.join(allowed)}")
    return fmt


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def cell(value, *, digits: int | None = None) -> str:
    """The text of one value: empty for unknown, yes/no for booleans, numbers as given."""
    if is_missing(value):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if digits is not None and isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _github(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def table(rows: list[list], headers: list[str], fmt: str, *, maxcolwidths=None) -> str:
    """``rows`` under ``headers`` in a text format (plain, github, latex, html) or csv."""
    from harness.safetext import csv_cell, terminal

    text_rows = [[cell(v) for v in r] for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(headers)
        w.writerows([[csv_cell(v) for v in r] for r in text_rows])
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(headers, r, strict=True)) for r in rows], ensure_ascii=False,
                          indent=2, default=str)
    from tabulate import tabulate

    if fmt == "github":
        text_rows = [[_github(v) for v in r] for r in text_rows]
        headers = [_github(h) for h in headers]
        maxcolwidths = None  # wrapping would split a Markdown cell across rows
    elif fmt == "plain":
        text_rows = [[terminal(v) for v in r] for r in text_rows]
    if maxcolwidths and fmt == "plain":
        text_rows = [_wrap(r, maxcolwidths) for r in text_rows]
    # never tabulate's own maxcolwidths: it re-reads wrapped cells and turns "False" into True
    return tabulate(text_rows, headers=headers, tablefmt=TABULATE[fmt], disable_numparse=True)


def _wrap(row: list[str], widths) -> list[str]:
    import textwrap

    if isinstance(widths, int):
        widths = [widths] * len(row)
    return [v if not w or len(v) <= w else "\n".join(textwrap.wrap(v, w, break_long_words=True))
            for v, w in zip(row, list(widths) + [None] * (len(row) - len(widths)), strict=False)]
