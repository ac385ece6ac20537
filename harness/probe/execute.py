"""One probe task: build the sample, run the float64 CPU reference, run the op on the device, compare.

Outcomes, in the order they are decided:

* ``no-sample``: no sample could be built, or the *reference* rejects it (an invalid sample is
  the harness's problem, never the device's);
* ``unsupported``: the device raised ``NotImplementedError`` or a message such as "not
  implemented for 'BFloat16'" / "Could not run 'aten::...' with arguments from the 'X' backend";
* ``error``: the device raised anything else;
* ``mismatch`` / ``pass``: the comparison (values, metadata only on ``meta`` and for
  uninitialised outputs, or a statistical check for random ops).

``crash`` and ``timeout`` are decided by the parent process (`isolation.py`), which sees the
worker die or stop answering. This module runs in the worker and is also callable in-process.
Random ops are seeded identically (``torch.manual_seed(0)``) before the reference and device calls.
"""

from __future__ import annotations

import time

from harness.probe import compare as cmp
from harness.probe import records
from harness.probe.opset import resolve
from harness.probe.samples import Ctx, dtype_of, integral_counterpart, materialize, schema_sample, written_args

UNSUPPORTED_HINTS = ("not implemented for", "could not run", "not supported", "does not support", "doesn't support",
                     "unsupported", "no kernel", "is not implemented", "not available for")
MESSAGE_LIMIT = 300


def short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    msg = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return msg if len(msg) <= MESSAGE_LIMIT else msg[: MESSAGE_LIMIT - 3] + "..."


def classify(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return "unsupported"
    text = str(exc).lower()
    return "unsupported" if any(h in text for h in UNSUPPORTED_HINTS) else "error"


def build_sample(op_name: str, op, dtype: str, rec: records.OpRecord | None = None):
    """(sample dtype name, Sample) for an op; raises on failure."""
    rec = rec or records.lookup(op_name)
    sample_dtype = integral_counterpart(dtype) if rec and rec.integral else dtype
    ctx = Ctx(op_name, sample_dtype, *(rec.domain if rec and rec.domain else ()))
    if rec and rec.sample:
        return sample_dtype, rec.sample(ctx)
    return sample_dtype, schema_sample(op, ctx, rec.tensor if rec else None)


def _call(op, sample, device: str, dtype, *, reference: bool):
    import torch

    args = materialize(sample.args, device, dtype, reference=reference)
    kwargs = materialize(sample.kwargs, device, dtype, reference=reference)
    torch.manual_seed(0)
    out = op(*args, **kwargs)
    return (out, *written_args(op, args, kwargs)), args


def run_task(op: str, dtype: str, device: str) -> dict:
    """Probe one (op, dtype) on ``device``; returns the row's measured fields."""
    from harness.runs.device import synchronize

    device_type = device.split(":")[0]
    row = {"op": op, "dtype": dtype, "sample_dtype": dtype, "probe_outcome": None, "message": None,
           "max_abs_error": None, "max_rel_error": None, "atol": None, "rtol": None,
           "op_time_ms": None, "note": None}
    rec = records.lookup(op)
    quirk = records.quirk(device_type, op, dtype)
    if quirk:
        row["note"] = f"quirk: {quirk.reason}"

    def done(outcome: str, message: str | None = None) -> dict:
        row["probe_outcome"], row["message"] = outcome, message
        return row

    try:
        overload = resolve(op)
    except KeyError:
        return done("error", f"torch {_torch_version()} has no op {op}")
    try:
        row["sample_dtype"], sample = build_sample(op, overload, dtype, rec)
        sdt = dtype_of(row["sample_dtype"])
    except Exception as exc:  # noqa: BLE001 - any failure to build a sample is an outcome
        return done("no-sample", short(exc))
    try:
        reference, ref_args = _call(overload, sample, "cpu", sdt, reference=True)
    except Exception as exc:  # noqa: BLE001
        return done("no-sample", f"the CPU reference rejects the sample: {short(exc)}")
    try:
        synchronize(device_type)
        t0 = time.perf_counter()
        actual, _ = _call(overload, sample, device, sdt, reference=False)
        synchronize(device_type)
        row["op_time_ms"] = (time.perf_counter() - t0) * 1e3
    except Exception as exc:  # noqa: BLE001
        return done(classify(exc), short(exc))

    check = "metadata" if device_type == "meta" else (rec.check if rec else "values")
    if rec is None and _is_random(overload):
        check = "metadata"
        row["note"] = "random op without a record: shape and dtype checked, not values"
    scale = (rec.tol if rec else 1.0) * (quirk.tol if quirk else 1.0)
    row["atol"], row["rtol"] = cmp.tolerance(row["sample_dtype"], scale)
    try:
        if check in ("values", "metadata"):
            verdict = cmp.compare(actual, reference, sdt, atol=row["atol"], rtol=row["rtol"],
                                  metadata_only=check == "metadata", outputs=rec.outputs if rec else None,
                                  device_type=device_type)
        else:
            verdict = cmp.check_random(check, actual[0], reference[0], ref_args, sdt)
    except Exception as exc:  # noqa: BLE001 - an output the comparison cannot read is the device's
        return done("error", f"cannot compare the outputs: {short(exc)}")
    if check != "values":
        row["atol"] = row["rtol"] = None
    row["max_abs_error"], row["max_rel_error"] = verdict.max_abs_error, verdict.max_rel_error
    return done("pass" if verdict.ok else "mismatch", verdict.message)


def _is_random(overload) -> bool:
    import torch

    return torch.Tag.nondeterministic_seeded in overload.tags


def _torch_version() -> str:
    import torch

    return torch.__version__
