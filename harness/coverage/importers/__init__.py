"""The importer registry: name -> module. Adding an importer = one module + one line here.

Each importer module defines ``STACKS`` (the stack ids it writes), ``DESCRIPTION`` (one line) and
``run(upstream: Path, oplists: Path) -> list[Path]``, which reads the raw published files (from
``upstream``, normally ``shared/upstream/``, or from the installed torch) and writes normalised
snapshots under ``oplists/<stack>/``. Parsing lives in pure functions that the tests call on small
hand-written fixtures.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from harness.errors import UserError
from harness.problems import did_you_mean

IMPORTERS: dict[str, str] = {
    "pytorch": "harness.coverage.importers.pytorch",
    "ascend": "harness.coverage.importers.ascend",
    "intel": "harness.coverage.importers.intel",
    "kunlun": "harness.coverage.importers.kunlun",
    "flaggems": "harness.coverage.importers.flaggems",
}


def get(name: str) -> ModuleType:
    """The importer module called ``name``; a typo gets a 'did you mean'."""
    if name not in IMPORTERS:
        raise UserError(f"unknown importer '{name}'{did_you_mean(name, IMPORTERS)}; known: {', '.join(IMPORTERS)}")
    return importlib.import_module(IMPORTERS[name])


def command(name: str) -> str:
    """The command that regenerates an importer's snapshots (written into their header)."""
    return f"accel coverage import {name}"
