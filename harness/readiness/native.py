"""Read PyTorch's ``native_functions.yaml``: overload names, variant kind and backend kernels.

The file ships in the torch wheel (``torchgen/packaged/ATen/native/``), so the reference sets and
the in-tree backend lists always describe the torch that is installed; its version is recorded.

Which backends have a kernel follows torchgen's own rules, re-implemented in a few lines so that
small hand-written fixtures can be parsed (a test checks the result against torchgen itself):

* ``dispatch:`` keys may be comma-joined (``CPU, CUDA: add_out``);
* a ``structured_delegate`` op (``add.Tensor``) gets the kernels of its ``out=`` delegate;
* a ``ufunc_inner_loop`` op gets generated CPU and CUDA kernels;
* no ``dispatch:`` and no delegate means ``CompositeImplicitAutograd``.

Composite kernels (``CompositeExplicitAutograd``, ``...NonFunctional``, ``CompositeImplicit...``)
are registered for every backend: the op runs wherever the ops it decomposes into run. They are
reported apart from backend kernels (``composite``), never as a CUDA/MPS/XPU kernel.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from harness.yamlload import read_data

COMPOSITE_KEYS = frozenset({
    "CompositeExplicitAutograd",
    "CompositeExplicitAutogradNonFunctional",
    "CompositeImplicitAutograd",
})
_OUT_ARG = re.compile(r"Tensor\([a-z]!\)")


@dataclass(frozen=True)
class NativeOp:
    """One overload of native_functions.yaml."""

    name: str            # overload name as in the yaml: ``abs``, ``add.Tensor``
    schema: str          # the full ``func:`` line
    kind: str            # functional | inplace | out | mutable
    keys: frozenset      # dispatch keys with a kernel, after resolving delegates
    tags: tuple

    @property
    def base(self) -> str:
        return self.name.split(".", 1)[0]



def schema_kind(schema: str) -> str:
    """Classify a schema as torchgen does: ``out`` (keyword-only mutable args), ``inplace``
    (base name ends with ``_`` and mutates self), ``mutable`` (other mutation), else functional."""
    name, _, rest = schema.partition("(")
    args = rest.split(") ->", 1)[0]
    base = name.split(".", 1)[0]
    positional, _, kwonly = args.partition("*")
    if _OUT_ARG.search(kwonly):
        return "out"
    if base.endswith("_") and not base.endswith("__") and _OUT_ARG.search(positional):
        return "inplace"
    if base.startswith("__i") and base.endswith("__"):
        return "inplace"
    if _OUT_ARG.search(positional):
        return "mutable"
    return "functional"


def _keys(entry: dict) -> set[str]:
    keys: set[str] = set()
    for k in entry.get("dispatch") or {}:
        keys.update(x.strip() for x in str(k).split(","))
    if entry.get("ufunc_inner_loop"):
        keys.update({"CPU", "CUDA"})
    return keys


def parse(entries: list[dict]) -> dict[str, NativeOp]:
    """Parse the yaml's list of entries into ``{overload name: NativeOp}``."""
    raw = {}
    for e in entries:
        if not isinstance(e, dict) or "func" not in e:
            continue
        raw[str(e["func"]).split("(", 1)[0].strip()] = e

    @functools.cache
    def resolved(name: str) -> frozenset:
        e = raw[name]
        keys = _keys(e)
        delegate = e.get("structured_delegate")
        if delegate:
            if delegate not in raw:
                raise ValueError(f"{name}: structured_delegate '{delegate}' is not in the file")
            keys |= resolved(delegate)
        elif not e.get("dispatch"):
            keys.add("CompositeImplicitAutograd")
        return frozenset(keys)

    ops = {}
    for name, e in raw.items():
        tags = e.get("tags") or ()
        tags = (tags,) if isinstance(tags, str) else tuple(tags)
        ops[name] = NativeOp(name, str(e["func"]), schema_kind(str(e["func"])), resolved(name), tags)
    return ops


def packaged_yaml() -> Path:
    """Path of the native_functions.yaml packaged with the installed torch."""
    import torchgen

    return Path(torchgen.__file__).resolve().parent / "packaged/ATen/native/native_functions.yaml"


def torch_version() -> str:
    """Installed torch version without the local suffix (``2.13.0+cpu`` -> ``2.13.0``)."""
    from importlib.metadata import version

    return version("torch").split("+", 1)[0]


@functools.lru_cache(maxsize=4)
def load(path: str | None = None) -> dict[str, NativeOp]:
    """Parse a native_functions.yaml (default: the installed torch's)."""
    p = Path(path) if path else packaged_yaml()
    return parse(read_data(p))
