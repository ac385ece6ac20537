"""Validation problems and how they are printed: `PATH:LINE: field: message [rule-id]`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    rule: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        from harness.safetext import one_line

        where = f"{self.field}: " if self.field else ""
        return one_line(f"{self.path}:{self.line}: {where}{self.message} [{self.rule}]")


def did_you_mean(word: str, options) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"
