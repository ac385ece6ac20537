"""The importer registry: adding an evidence importer = one module in ``importers/`` with one
``@importer`` line; the folder is listed, nothing else to edit.

An importer is a function ``(ctx: Context) -> dict[str, DataFrame]`` that declares the inputs it
needs. When an input is absent (an installed wheel carries no ``specs/upstream/`` copies, or a
spec is not written yet) the importer is skipped, not failed, and the reason is reported by
``accel evidence ls``. Malformed input is never skipped: it raises `InputError`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from harness import paths

PACKAGE = "harness.evidence.importers"


@dataclass
class Context:
    """Where inputs are read from; tests point it at fixture folders."""

    upstream: Path = paths.UPSTREAM
    specs: Path = paths.SPECS
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # outputs of earlier importers


@dataclass(frozen=True)
class Importer:
    name: str
    produces: tuple[str, ...]
    inputs: Callable[[Context], list[Path]]  # every one must exist for the importer to run
    run: Callable[[Context], dict[str, pd.DataFrame]]
    needs: tuple[str, ...] = ()  # tables from earlier importers (any one present is enough)
    summary: str = ""


IMPORTERS: dict[str, Importer] = {}


def importer(name, produces, inputs, needs=()):
    """Register the decorated function as importer ``name``."""

    def wrap(fn):
        doc = (fn.__doc__ or "").strip().splitlines()
        IMPORTERS[name] = Importer(name, tuple(produces), inputs, fn, tuple(needs), doc[0] if doc else "")
        return fn

    return wrap


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
            raise RuntimeError(f"evidence importers need each other's tables: {', '.join(pending)}")
        ordered[ready[0]] = IMPORTERS[ready[0]]
        pending.remove(ready[0])
    return ordered


def missing_inputs(imp: Importer, ctx: Context) -> list[Path]:
    return [p for p in imp.inputs(ctx) if not p.exists()]
