"""From the detected device to its datasheet peaks in the accelerators table.

The backend's device name ("NVIDIA H200") is matched against each accelerator's ``name`` and
``aliases`` (joined with `` | ``), normalised: lower case, punctuation to spaces, "(TM)"/"(R)"
dropped. First on the full names; then with the vendor word removed from both sides ("H200" ==
"NVIDIA H200"). A match must be unique: when several accelerators share a name (an SXM and a
PCIe part both aliased "H100"), the peak stays unknown and the message says which ids to pick
from with ``--as``. No fuzzy matching: a wrong peak is worse than an unknown one.

The table may not be built yet (``accel build``): then every peak is unknown, never an error.
"""

from __future__ import annotations

import re

PEAK_FIELDS = {"fp64": ("fp64_tensor_tflops", "fp64_tflops"), "fp32": ("fp32_tflops",),
               "tf32": ("tf32_tflops",), "bf16": ("bf16_tflops",), "fp16": ("fp16_tflops",),
               "fp8": ("fp8_tflops",)}
BANDWIDTH_FIELD = "memory_bandwidth_tbps"
VENDOR_WORDS = {"nvidia", "amd", "intel", "huawei", "ascend", "apple", "google", "habana", "baidu", "kunlunxin",
                "cambricon", "moore", "threads", "biren", "enflame", "iluvatar", "metax", "hygon", "alibaba",
                "t-head", "thead", "tesla", "geforce", "radeon", "instinct"}


def load_accelerators():
    """The built accelerators table, or None when it is not there (peaks are then unknown)."""
    from harness.errors import UserError

    try:
        from harness import load

        return load("accelerators")
    except (ImportError, UserError, FileNotFoundError, OSError):
        return None


def normalise(name: str) -> str:
    name = re.sub(r"\((tm|r)\)", " ", str(name).lower())
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", name).split())


def _strip_vendor(norm: str, vendor: str | None = None) -> str:
    words = [w for w in norm.split() if w not in VENDOR_WORDS and w != (vendor or "").lower()]
    return " ".join(words)


def _names(row) -> list[str]:
    names = [row.get("name")]
    aliases = row.get("aliases")
    if isinstance(aliases, str):
        names += aliases.split(" | ")
    return [n for n in names if isinstance(n, str) and n.strip()]


def match(device_name: str, accelerators) -> tuple[str | None, str | None]:
    """(accelerator_id or None, a note saying why not when None)."""
    if accelerators is None:
        return None, "the accelerators table is not built (accel build)"
    want = normalise(device_name)
    rows = accelerators.to_dict("records")
    for strip in (False, True):
        key = _strip_vendor(want) if strip else want
        if not key:
            continue
        hits = sorted({r["accelerator_id"] for r in rows for n in _names(r)
                       if (_strip_vendor(normalise(n), r.get("vendor")) if strip else normalise(n)) == key})
        if len(hits) == 1:
            return hits[0], None
        if hits:
            return None, f"'{device_name}' matches {', '.join(hits)}: pick one with --as"
    return None, f"no accelerator named '{device_name}' in the dataset (use --as ID)"


def peak(accelerators, accelerator_id: str | None, precision: str | None = None) -> float | None:
    """The datasheet peak of a precision (TFLOPS), or memory bandwidth (TB/s) when precision is None."""
    if accelerators is None or accelerator_id is None:
        return None
    rows = accelerators[accelerators["accelerator_id"] == accelerator_id]
    if rows.empty:
        return None
    fields = PEAK_FIELDS.get(precision, ()) if precision else (BANDWIDTH_FIELD,)
    for f in fields:
        if f in rows.columns:
            value = rows.iloc[0][f]
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue
            if value == value:  # not NaN / NA
                return value
    return None
