"""The one importer registry of the readiness pipeline: adding an op list, an API table, a support
matrix or a benchmark source = one module in ``importers/`` with one decorator line, plus the data
file it reads; the folder is listed, nothing else to edit.

Two kinds of importer share it:

- ``@importer``: a table importer, ``(ctx: Context) -> dict[str, DataFrame]``, run by every build.
- ``@snapshot_importer``: an op-list importer, ``(upstream, oplists) -> [written paths]``: it turns
  a raw published op list into a reviewed snapshot ``specs/oplists/<stack>/<name>.yaml`` (run by
  ``accel coverage import``, committed); the ``op_coverage`` table importer reads every snapshot.

Both declare the inputs they need. When an input is absent (an installed wheel carries no
``specs/upstream/`` copies, or a spec is not written yet) the importer is skipped, not failed, and
the reason is reported by ``accel coverage ls``. Malformed input is never skipped: it raises
`InputError`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harness import paths

if TYPE_CHECKING:
    import pandas as pd

PACKAGE = "harness.readiness.importers"
SNAPSHOT = "snapshot"  # the kind of an op-list importer
TABLES = "tables"


@dataclass
class Context:
    """Where inputs are read from; tests point it at fixture folders."""

    upstream: Path = paths.UPSTREAM
    specs: Path = paths.SPECS
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # outputs of earlier importers
    probes: Path | None = None  # stored probe runs (default: results/probes/ of the checkout)

    @property
    def oplists(self) -> Path:
        """Reference op sets, op-list snapshots and reviewed name mappings."""
        return self.specs / "oplists"


@dataclass(frozen=True)
class Importer:
    name: str
    produces: tuple[str, ...]
    inputs: Callable[[Context], list[Path]]  # every one must exist for the importer to run
    run: Callable[[Context], dict[str, pd.DataFrame]]
    needs: tuple[str, ...] = ()  # tables from earlier importers (any one present is enough)
    summary: str = ""
    kind: str = TABLES  # or SNAPSHOT: ``run(upstream, oplists)`` writes op-list snapshots
    stacks: tuple[str, ...] = ()  # a snapshot importer: the stacks whose snapshots it writes


IMPORTERS: dict[str, Importer] = {}


def _first_line(fn) -> str:
    doc = (fn.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


def importer(name, produces, inputs, needs=()):
    """Register the decorated function as table importer ``name``."""

    def wrap(fn):
        IMPORTERS[name] = Importer(name, tuple(produces), inputs, fn, tuple(needs), _first_line(fn))
        return fn

    return wrap


def snapshot_importer(name, stacks, inputs, summary):
    """Register the decorated ``run(upstream, oplists) -> [paths]`` as op-list importer ``name``,
    writing the snapshots of ``stacks``."""

    def wrap(fn):
        IMPORTERS[name] = Importer(name, (), inputs, fn, (), summary, SNAPSHOT, tuple(stacks))
        return fn

    return wrap


def snapshot_importers() -> dict[str, Importer]:
    """The op-list importers, by name."""
    return {n: imp for n, imp in load_all().items() if imp.kind == SNAPSHOT}


def table_importers() -> dict[str, Importer]:
    """The table importers, in pipeline order."""
    return {n: imp for n, imp in load_all().items() if imp.kind == TABLES}


def command(name: str) -> str:
    """The command that regenerates an op-list importer's snapshots (written into their header)."""
    return f"accel coverage import {name}"


def load_all() -> dict[str, Importer]:
    """Import every module of the importers folder (registration happens on import) and return the
    importers in pipeline order: one that ``needs`` a table runs after every importer producing it,
    otherwise by name."""
    from harness import plugins

    for mod in plugins.names(PACKAGE):
        importlib.import_module(f"{PACKAGE}.{mod}")
    ordered: dict[str, Importer] = {}
    pending = sorted(IMPORTERS)
    while pending:
        ready = [n for n in pending if not any(
            t in o.produces for t in IMPORTERS[n].needs for o in IMPORTERS.values() if o.name in pending)]
        if not ready:
            raise RuntimeError(f"readiness importers need each other's tables: {', '.join(pending)}")
        ordered[ready[0]] = IMPORTERS[ready[0]]
        pending.remove(ready[0])
    return ordered


def missing_inputs(imp: Importer, ctx: Context) -> list[Path]:
    return [p for p in imp.inputs(ctx) if not p.exists()]
