"""Declarative per-op records (OpInfo-like) and per-device quirks.

An op without a record is probed with the schema-driven sample and the default comparison. A
record says only what differs, and why (``reason`` is required): an explicit sample, a value
domain for the schema-driven tensors, integer inputs, a different check (metadata only, or a
statistical check for random ops), which outputs are compared, a tolerance factor.

Quirks are per device type, keyed by op, each with a reason; they widen tolerances where a
backend's documented default differs from the float64 CPU reference (TF32 convolutions on CUDA,
atomics-ordered accumulation). A quirk never hides an outcome: it is written into the row's
``note``. Out-of-tree code (a backend plugin, the fault-injection tests) adds records with
`register` from a module passed to ``--import``.

The record type lives in the leaf `recordkit`; the built-in families declare their records there
and this module registers them on first use, so imports run one way (records -> families).
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.probe.recordkit import CHECKS, OpRecord

__all__ = ["CHECKS", "OpRecord", "Quirk", "QUIRKS", "register", "lookup", "quirk"]


@dataclass(frozen=True)
class Quirk:
    reason: str
    tol: float = 1.0
    dtypes: tuple[str, ...] | None = None  # None: every dtype


_TF32 = ("cuDNN runs float32 convolutions in TF32 by default (torch.backends.cudnn.allow_tf32 is"
         " True): 10-bit mantissa inputs")
_ATOMIC = "accumulates with atomics on CUDA: the order of float additions varies run to run"

QUIRKS: dict[str, dict[str, Quirk]] = {
    "cuda": {
        "convolution": Quirk(_TF32, tol=1000.0, dtypes=("float32",)),
        "convolution_backward": Quirk(_TF32, tol=1000.0, dtypes=("float32",)),
        "index_put": Quirk(_ATOMIC, tol=4.0),
        "scatter_add": Quirk(_ATOMIC, tol=4.0),
        "scatter_reduce.two": Quirk(_ATOMIC, tol=4.0),
        "embedding_dense_backward": Quirk(_ATOMIC, tol=4.0),
        "_embedding_bag": Quirk(_ATOMIC, tol=4.0),
    },
    "xpu": {
        "convolution": Quirk("oneDNN may pick TF32 or BF16x3 kernels for float32 convolution "
                                   "under torch.backends.mkldnn.allow_tf32", tol=1000.0, dtypes=("float32",)),
    },
}

_RECORDS: dict[str, OpRecord] = {}
_loaded = False


def _ensure_builtins() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from harness.probe import families, families_formats, families_fused, families_internal, families_nn

        for family in (families, families_nn, families_fused, families_internal, families_formats):
            for record in family.FAMILY.records:
                _RECORDS[record.op] = record


def register(record: OpRecord) -> None:
    """Add or replace the record of ``record.op`` (after the built-in ones, so a plugin wins)."""
    _ensure_builtins()
    _RECORDS[record.op] = record


def lookup(op: str) -> OpRecord | None:
    _ensure_builtins()
    return _RECORDS.get(op)


def quirk(device_type: str, op: str, dtype: str) -> Quirk | None:
    q = QUIRKS.get(device_type, {}).get(op)
    if q is None or (q.dtypes is not None and dtype not in q.dtypes):
        return None
    return q
