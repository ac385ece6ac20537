"""The leaf the op records are written with: the `OpRecord` type and the small sample helpers.

`records` (the registry and the per-device quirks) imports the built-in families, and the
families need the record type and the helpers; keeping those here, importing nothing from the
registry or the families, makes the dependency one-way: ``records -> families, families_nn ->
recordkit`` (it was a cycle: records <-> families <-> families_nn).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.probe.samples import Sample

CHECKS = ("values", "metadata", "rand", "randn", "randperm", "dropout")


@dataclass(frozen=True)
class OpRecord:
    op: str
    reason: str
    sample: Callable | None = None       # ctx -> Sample; None: schema-driven
    tensor: Callable | None = None       # (ctx, shape) -> the schema-driven floating tensors
    domain: tuple[float, float] | None = None
    integral: bool = False               # defined on integers only: probe the same-width int dtype
    check: str = "values"
    outputs: tuple[int, ...] | None = None  # compare only these outputs (None: all)
    tol: float = 1.0                     # multiplies the dtype's tolerances
    # the op written with other ops, called like it: the float64 reference where the CPU has no
    # kernel of its own (tried before torch's decomposition table); outputs not compared may be None
    reference: Callable | None = None

    def __post_init__(self):
        if not self.reason:
            raise ValueError(f"record {self.op}: a reason is required")
        if self.check not in CHECKS:
            raise ValueError(f"record {self.op}: check {self.check!r} not in {CHECKS}")


def S(*args, **kwargs) -> Sample:
    """A sample from positional and keyword arguments, as the op is called."""
    return Sample(tuple(args), kwargs)


def f64(op_name: str, *args):
    """Run an op in float64 on the CPU (to derive shapes, saved statistics or indices)."""
    import torch

    from harness.probe.opset import resolve

    args = [a.double() if isinstance(a, torch.Tensor) and a.is_floating_point() else a for a in args]
    return resolve(op_name)(*args)


class Family:
    """The records one family module declares, in order; `records` registers them."""

    def __init__(self):
        self.records: list[OpRecord] = []

    def add(self, op: str, reason: str, **kw) -> None:
        self.records.append(OpRecord(op, reason, **kw))
