"""One spelling for dtypes across torch, Ascend docs, Paddle kernel lists and probe runs.

Everything is normalised to torch's names without the ``torch.`` prefix (``float16``, not
``fp16``/``half``/``FLOAT16``). ``SCORED_DTYPES`` are the dtypes for which ``op_coverage`` reports
op x dtype scores: the training/inference floating types plus the integer and bool types most
core ops accept. A dtype outside it is kept in ``op_evidence`` but gets no score row.
"""

from __future__ import annotations

SCORED_DTYPES = ("float32", "float16", "bfloat16", "float64", "int32", "int64", "bool")

_ALIASES = {
    "fp32": "float32", "float": "float32", "float32": "float32",
    "fp16": "float16", "half": "float16", "float16": "float16",
    "bf16": "bfloat16", "bfloat16": "bfloat16",
    "fp64": "float64", "double": "float64", "float64": "float64",
    "int8": "int8", "uint8": "uint8", "int16": "int16", "short": "int16",
    "int32": "int32", "int": "int32", "int64": "int64", "long": "int64",
    "bool": "bool", "boolean": "bool",
    "complex32": "complex32", "chalf": "complex32",
    "complex64": "complex64", "cfloat": "complex64",
    "complex128": "complex128", "cdouble": "complex128",
    "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "float8_e4m3fn": "float8_e4m3fn", "float8_e5m2": "float8_e5m2",
    "hifloat8": "hifloat8",
}


def normalise(name: str | None) -> str | None:
    """Return the canonical dtype name, or None when ``name`` is not a recognisable dtype."""
    if name is None:
        return None
    key = str(name).strip().lower()
    for prefix in ("torch.", "paddle.", "phi::datatype::", "datatype."):
        if key.startswith(prefix):
            key = key[len(prefix):]
    return _ALIASES.get(key)
