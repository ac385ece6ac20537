"""The reference op sets, read from the installed torch, and `--ops` selection within them.

Ops are named as ``native_functions.yaml`` names them (the registry's ``op`` column, shared with
the coverage tables): ``add.Tensor``, and ``abs`` for a default overload. An op outside the
``aten`` namespace keeps its namespace: ``myns::my_op``.

``core``: every registered ATen overload tagged ``core``. The list comes from the dispatcher
(``torch._C._dispatch_get_all_op_names()``), not from ``dir(torch.ops.aten)``: the latter lists
only op packets already materialised in the interpreter and silently misses some. In torch
2.13.0 it yields 189 of the 193 core overloads (``adaptive_avg_pool1d``, ``avg_pool1d``,
``resize_`` and ``sym_is_contiguous`` appear only once touched); the `core` tags in the wheel's
``native_functions.yaml`` agree with the dispatcher's 193.

The scan reads the candidates from the wheel's ``native_functions.yaml`` (0.1 s) and confirms each
against the dispatcher's tags; without the yaml it falls back to resolving every dispatcher name
(about 1.5 s).

``cuda-backed``: overloads whose entry in the wheel's packaged ``native_functions.yaml`` has a
``CUDA`` kernel: named under ``dispatch:``, or implied by ``ufunc_inner_loop:`` (torchgen gives
every ufunc a CPU and a CUDA kernel), directly or through ``structured_delegate:`` (the ``out=``
overload whose kernel the functional and in-place variants share). Composite ops have no
kernel of their own and are not counted. Both sets are read through `harness.readiness.native`,
the one parser of that file, so probes and coverage scores name the same overloads.
"""

from __future__ import annotations

import fnmatch
import functools

from harness.errors import UserError

SETS = ("core", "cuda-backed")


def op_id(overload) -> str:
    """``aten::add.Tensor`` (``OpOverload.name()``) -> ``add.Tensor``; other namespaces kept."""
    return overload.name().removeprefix("aten::")


def resolve(op: str):
    """The ``OpOverload`` for ``name[.overload]`` (aten) or ``ns::name[.overload]``; `KeyError` if none."""
    import torch

    ns, sep, rest = op.rpartition("::")
    name, _, overload = rest.partition(".")
    try:
        return getattr(getattr(getattr(torch.ops, ns if sep else "aten"), name), overload or "default")
    except (AttributeError, RuntimeError) as exc:
        raise KeyError(op) from exc


@functools.lru_cache(maxsize=1)
def core_ops() -> tuple[str, ...]:
    """Every ATen overload tagged ``core`` in the installed torch, sorted."""
    import torch

    from harness.readiness import native

    if native.packaged_yaml().exists():
        candidates = [n for n, o in native.load().items() if "core" in o.tags]
    else:  # a wheel without torchgen's packaged yaml: ask the dispatcher
        candidates = [q[6:] for q in torch._C._dispatch_get_all_op_names() if q.startswith("aten::")]
    found = []
    for name in candidates:
        try:
            op = resolve(name)
        except KeyError:
            continue
        if torch.Tag.core in op.tags:
            found.append(op_id(op))
    return tuple(sorted(set(found)))


@functools.lru_cache(maxsize=1)
def cuda_backed_ops() -> tuple[str, ...]:
    """ATen overloads with a CUDA kernel in the installed torch's native_functions.yaml, as
    `harness.readiness.native` resolves them (the one parser of that file)."""
    from harness.readiness import native

    path = native.packaged_yaml()
    if not path.exists():
        raise UserError(f"the installed torch has no {path.name} (looked at {path})")
    return tuple(sorted(name for name, o in native.load().items() if "CUDA" in o.keys))


def reference_ops(set_name: str) -> tuple[str, ...]:
    if set_name == "core":
        return core_ops()
    if set_name == "cuda-backed":
        return cuda_backed_ops()
    from harness.problems import did_you_mean

    raise UserError(f"unknown op set '{set_name}'{did_you_mean(set_name, SETS)}; use one of {', '.join(SETS)}")


def spellings(op: str) -> tuple[str, ...]:
    """Names a user may write for an op: ``add.Tensor``, ``aten::add.Tensor``, ``aten.add.Tensor``."""
    ns, sep, rest = op.rpartition("::")
    ns = ns if sep else "aten"
    dotted = rest if "." in rest else f"{rest}.default"
    return (rest, f"{ns}::{rest}", f"{ns}.{dotted}", dotted)


def select(ops, patterns: str | None) -> list[str]:
    """Filter ``ops`` by comma-separated globs (``add``, ``add.Tensor``, ``*pool*``, ``aten.mm.default``).

    A term without wildcards also matches every overload of the op it names (``add`` selects
    ``add.Tensor`` and ``add.Scalar``). A term that matches nothing is a `UserError`, so a typo
    never produces an empty run that looks like success.
    """
    ops = list(ops)
    if not patterns:
        return ops
    chosen: set[str] = set()
    for term in (t.strip() for t in patterns.split(",")):
        if not term:
            continue
        hits = {q for q in ops if any(fnmatch.fnmatchcase(s, term) for s in spellings(q))}
        if not any(c in term for c in "*?["):
            hits |= {q for q in ops if q.rpartition("::")[2].split(".")[0] == term.rpartition("::")[2]}
        if not hits:
            from harness.problems import did_you_mean

            names = sorted({s for q in ops for s in spellings(q)[:1]})
            raise UserError(f"--ops: '{term}' matches no op in the set{did_you_mean(term, names)}")
        chosen |= hits
    return [q for q in ops if q in chosen]
