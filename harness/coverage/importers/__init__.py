"""Op-list importers, one module each, found by listing this folder: adding one = one module here
(copy ``intel.py``, the smallest) plus the raw file it reads under ``specs/upstream/``.

Each importer module defines ``STACKS`` (the stack ids it writes), ``DESCRIPTION`` (one line) and
``run(upstream: Path, oplists: Path) -> list[Path]``, which reads the raw published files (from
``upstream``, normally ``specs/upstream/``, or from the installed torch) and writes normalised
snapshots under ``oplists/<stack>/``. Parsing lives in pure functions that the tests call on small
hand-written fixtures.
"""

from __future__ import annotations

from types import ModuleType

from harness import plugins


def names() -> tuple[str, ...]:
    """Every importer's name (its module's name), sorted."""
    return plugins.names(__name__)


def get(name: str) -> ModuleType:
    """The importer module called ``name``; a typo gets a 'did you mean'."""
    return plugins.load(__name__, name, "importer")


def command(name: str) -> str:
    """The command that regenerates an importer's snapshots (written into their header)."""
    return f"accel coverage import {name}"
