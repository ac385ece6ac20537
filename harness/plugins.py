"""Extension by folder: commands, importers, bench suites and plot kinds are the modules of their
package, found by listing the package's folder (nothing to register, nothing branching on a
name). Listing does not import: a module is imported only when it is used, and its one-line help
is its docstring's first sentence, read from the source.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import pkgutil
from pathlib import Path

from harness.errors import UserError


@functools.cache
def names(package: str) -> tuple[str, ...]:
    """The plug-in names of ``package``: its public modules (no leading underscore), sorted."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return ()
    found = [m.name for m in pkgutil.iter_modules(list(spec.submodule_search_locations))
             if not m.name.startswith("_") and not m.ispkg]
    return tuple(sorted(found))


def load(package: str, name: str, what: str):
    """Import plug-in ``name`` of ``package``; an unknown name is one error with a did-you-mean."""
    from harness.problems import did_you_mean

    known = names(package)
    if name not in known:
        raise UserError(f"unknown {what} '{name}'{did_you_mean(name, known)}; known: {', '.join(known)}")
    return importlib.import_module(f"{package}.{name}")


def summary(package: str, name: str) -> str:
    """The first sentence of a plug-in's module docstring, without importing it."""
    spec = importlib.util.find_spec(f"{package}.{name}")
    if spec is None or not spec.origin:
        return ""
    try:
        doc = ast.get_docstring(ast.parse(Path(spec.origin).read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError):
        return ""
    if not doc:
        return ""
    first = " ".join(doc.strip().split("\n\n", 1)[0].split())  # the first paragraph, one line
    return first.split(". ", 1)[0].rstrip(".")
