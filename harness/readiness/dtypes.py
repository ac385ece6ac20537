"""One spelling for dtypes across torch, Ascend docs, Paddle kernel lists and probe runs.

Everything is normalised to torch's names without the ``torch.`` prefix (``float16``, not
``fp16``/``half``/``FLOAT16``). ``SCORED_DTYPES`` are the dtypes for which ``op_coverage`` reports
op x dtype scores: the training/inference floating types plus the integer and bool types most
core ops accept. A dtype outside it is kept in ``op_evidence`` but gets no score row.
"""

from __future__ import annotations

SCORED_DTYPES = ("float32", "float16", "bfloat16", "float64", "int32", "int64", "bool")

def normalise(name: str | None) -> str | None:
    """Return the canonical dtype name, or None when ``name`` is not a recognisable dtype
    (spellings and the dtype vocabulary are the registry's: `harness.dataset.fieldinfo`)."""
    from harness.dataset.fieldinfo import normalise_dtype

    return normalise_dtype(name)
