"""One probe task: build the sample, run the float64 CPU reference, run the op on the device, compare.

Outcomes, in the order they are decided:

* ``no-sample``: no generator could build a sample (the harness's problem, never the device's);
* ``reference-failed``: the float64 CPU reference raised on every sample (an invalid generated
  input, or a CPU bug: the harness's problem); a reference that *crashes* or hangs the worker is
  recorded the same way by the parent (`isolation`), which knows the device call had not begun;
* ``no-reference``: the CPU has no kernel for the op, and neither its record (the op written with
  other ops: flash attention, cuDNN convolutions, SyncBatchNorm) nor torch's decomposition table
  computes one (attention backward kernels, cuDNN RNNs): not measurable, never a fail;
* ``unsupported``: the device raised ``NotImplementedError`` or a message such as "not
  implemented for 'BFloat16'" / "Could not run 'aten::...' with arguments from the 'X' backend";
* ``error``: the device raised anything else;
* ``mismatch`` / ``pass``: the comparison (values, metadata only on ``meta`` and for
  uninitialised outputs, or a statistical check for random ops).

``crash`` and ``timeout`` are decided by the parent process (`isolation.py`), which sees the
worker die or stop answering. This module runs in the worker and is also callable in-process.
Random ops are seeded identically (``torch.manual_seed(0)``) before the reference and device calls.
Where OpInfo lists no samples for bfloat16 / float16 (it declares fewer dtypes than the kernels
take), its float32 samples are cast and used (source ``opinfo-float32``).
"""

from __future__ import annotations

import time

from harness.probe import compare as cmp
from harness.probe import records
from harness.probe.opset import resolve
from harness.probe.samples import (
    RANK_SHAPES,
    Ctx,
    dtype_of,
    integral_counterpart,
    materialize,
    schema_sample,
    written_args,
)

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
    """(sample dtype name, Sample) for an op, from its record or the schema; raises on failure."""
    rec = rec or records.lookup(op_name)
    sample_dtype = integral_counterpart(dtype) if rec and rec.integral else dtype
    ctx = Ctx(op_name, sample_dtype, *(rec.domain if rec and rec.domain else ()))
    if rec and rec.sample:
        return sample_dtype, rec.sample(ctx)
    return sample_dtype, schema_sample(op, ctx, rec.tensor if rec else None)


_BORROWS_FLOAT32 = ("bfloat16", "float16")


def _has_exact(sample) -> bool:
    from harness.probe.samples import Exact

    def walk(x):
        if isinstance(x, Exact):
            return True
        if isinstance(x, (list, tuple)):
            return any(walk(v) for v in x)
        if isinstance(x, dict):
            return any(walk(v) for v in x.values())
        return False

    return walk(sample.args) or walk(sample.kwargs)


def _cast_floats(sample, dtype):
    """The sample with its float32 tensors cast to ``dtype`` (other tensors and values as they are);
    None when it has no float32 tensor (a complex-only sample would not exercise ``dtype``)."""
    import torch

    n_cast = 0

    def cast(x):
        nonlocal n_cast
        if isinstance(x, torch.Tensor) and x.dtype == torch.float32:
            n_cast += 1
            return x.to(dtype)
        if isinstance(x, (list, tuple)):
            return type(x)(cast(v) for v in x)
        if isinstance(x, dict):
            return {k: cast(v) for k, v in x.items()}
        return x

    out = type(sample)(cast(sample.args), cast(sample.kwargs))
    return out if n_cast else None


def build_samples(op_name: str, op, dtype: str, rec: records.OpRecord | None = None, *, fallback: bool = False):
    """(sample dtype name, [(source, Sample), ...]): the candidates, in order of trust.

    An op with a record that gives its sample (or a value domain, or a tensor maker) is probed with
    that: a record is a reviewed statement about the op. Otherwise torch's OpInfo sample inputs
    (`opinfo`, when ``torch.testing._internal`` imports); with ``fallback`` (or where OpInfo has
    none), the schema-driven sample, one per shape of `RANK_SHAPES`, to be tried in order. Schema
    samples come only after OpInfo's failed: a naive input can crash a CPU kernel (batch norm) and
    take the whole task with it. Raises when no generator gives anything (the schema's error).
    """
    rec = rec or records.lookup(op_name)
    sample_dtype = integral_counterpart(dtype) if rec and rec.integral else dtype
    if rec and (rec.sample or rec.domain or rec.tensor):
        sdt, sample = build_sample(op_name, op, dtype, rec)
        return sdt, [("record", sample)]
    from harness.probe import opinfo

    if not fallback:
        found = [("opinfo", s) for s in opinfo.samples(op, sample_dtype)]
        if not found and sample_dtype in _BORROWS_FLOAT32:
            # OpInfo lists no samples in this dtype (it declares fewer dtypes than kernels take):
            # its float32 samples, cast, have the same valid shapes; the reference is float64 anyway
            found = [("opinfo-float32", c) for c in (_cast_floats(s, dtype_of(sample_dtype))
                                                     for s in opinfo.samples(op, "float32")) if c is not None]
        if found:
            return sample_dtype, found
    shapes = RANK_SHAPES if any(str(a.real_type) == "Tensor" for a in op._schema.arguments) else RANK_SHAPES[:1]
    found = [("schema", schema_sample(op, Ctx(op_name, sample_dtype, shape=shape))) for shape in shapes]
    return sample_dtype, found


def _call(op, sample, device: str, dtype, *, reference: bool, schema_of=None):
    import torch

    args = materialize(sample.args, device, dtype, reference=reference)
    kwargs = materialize(sample.kwargs, device, dtype, reference=reference)
    torch.manual_seed(0)
    out = op(*args, **kwargs)
    return (out, *written_args(schema_of or op, args, kwargs)), args


def _reference(overload, sample, sdt, rec=None):
    """(outputs, args, note) of the float64 CPU reference; where the CPU has no kernel, the op's
    record's reference (the op written with other ops) or torch's decomposition of the op
    computes it. Raises `NoReference` when none runs."""
    try:
        out, args = _call(overload, sample, "cpu", sdt, reference=True)
        return out, args, None
    except Exception as exc:  # noqa: BLE001
        if classify(exc) != "unsupported":
            raise
        if rec is not None and rec.reference is not None:
            decomp, how = rec.reference, "reference by the op's record, written with other ops (no CPU kernel)"
        else:
            decomp, how = _decomposition(overload), "reference by torch's decomposition (no CPU kernel)"
        if decomp is None:
            raise NoReference(f"no CPU kernel and no decomposition in torch: {short(exc)}") from exc
        try:
            out, args = _call(decomp, sample, "cpu", sdt, reference=True, schema_of=overload)
        except Exception as exc2:  # noqa: BLE001
            raise NoReference(f"no CPU kernel; the decomposition fails too: {short(exc2)}") from exc2
        return out, args, how


class NoReference(Exception):
    """The op has no CPU kernel and torch offers no decomposition that runs."""


def _decomposition(overload):
    try:
        from torch._decomp import decomposition_table
    except ImportError:
        return None
    return decomposition_table.get(overload)


_FLOAT_REJECTED = "not implemented for 'Double'"


def _references(overload, candidates, sdt, notes: list, rec=None) -> tuple[list, list, list]:
    """(valid, rejected, no-reference messages): each candidate sample through the reference."""
    valid, rejected, no_ref = [], [], []
    for source, sample in candidates:
        if source == "schema" and valid:  # the schema's shapes are alternatives, not extra samples
            break
        try:
            reference, ref_args, how = _reference(overload, sample, sdt, rec)
        except NoReference as exc:
            no_ref.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - an input the reference rejects is the generator's fault
            rejected.append(f"{source}: {short(exc)}")
            continue
        valid.append((source, sample, reference, ref_args))
        if how and how not in notes:
            notes.append(how)
    return valid, rejected, no_ref


SAMPLE_SOURCES = ("opinfo", "schema")


def run_task(op: str, dtype: str, device: str, phase=None, samples: str = "opinfo") -> dict:
    """Probe one (op, dtype) on ``device``; returns the row's measured fields.

    Every sample the generators offer (`build_samples`) first runs as the float64 CPU reference;
    the samples it accepts are the valid ones, and each of them then runs on the device. The first
    failing sample decides the outcome; errors are the largest over the samples. ``phase("device")``
    is called just before the first device call, so the parent can tell a crash in the harness
    (sample generation, the reference) from one on the device. ``samples="schema"`` leaves OpInfo
    out (records and the schema-driven generator only: one sample per op, and no test package).
    """
    fallback = samples == "schema"
    from harness.runs.device import synchronize

    device_type = device.split(":")[0]
    row = {"op": op, "dtype": dtype, "sample_dtype": dtype, "probe_outcome": None, "message": None,
           "max_abs_error": None, "max_rel_error": None, "atol": None, "rtol": None,
           "op_time_ms": None, "n_samples": None, "note": None}
    rec = records.lookup(op)
    quirk = records.quirk(device_type, op, dtype)
    notes = [f"quirk: {quirk.reason}"] if quirk else []

    def done(outcome: str, message: str | None = None) -> dict:
        row["probe_outcome"], row["message"] = outcome, message
        row["note"] = "; ".join(notes) or None
        return row

    try:
        overload = resolve(op)
    except KeyError:
        return done("error", f"torch {_torch_version()} has no op {op}")
    try:
        row["sample_dtype"], candidates = build_samples(op, overload, dtype, rec, fallback=fallback)
    except Exception as exc:  # noqa: BLE001 - any failure to build a sample is an outcome
        return done("no-sample", short(exc))
    valid, rejected, no_ref = _references(overload, candidates, dtype_of(row["sample_dtype"]), notes, rec)
    if not valid and candidates and candidates[0][0].startswith("opinfo"):  # OpInfo's samples all failed: the schema's
        try:
            _, schema = build_samples(op, overload, dtype, rec, fallback=True)
        except Exception:  # noqa: BLE001 - nothing more to try
            schema = []
        v2, r2, n2 = _references(overload, schema, dtype_of(row["sample_dtype"]), notes, rec)
        valid, rejected, no_ref = v2, rejected + r2, no_ref + n2
    integral = integral_counterpart(row["sample_dtype"])
    if not valid and integral != row["sample_dtype"] and any(_FLOAT_REJECTED in m for m in no_ref):
        # an integer-only op (gcd, shifts): no float kernel at all, so probe the same-width integer dtype
        try:
            _, candidates = build_samples(op, overload, integral, rec, fallback=fallback)
            valid, rejected, no_ref = _references(overload, candidates, dtype_of(integral), notes, rec)
            row["sample_dtype"] = integral
        except Exception:  # noqa: BLE001 - keep the float outcome
            pass
    sdt = dtype_of(row["sample_dtype"])
    if not valid:
        if no_ref:
            return done("no-reference", no_ref[0])
        if not rejected:
            return done("no-sample", "no sample input")
        return done("reference-failed", f"the CPU reference rejects every sample ({len(rejected)}): {rejected[0]}")
    row["n_samples"] = len(valid)
    if any(_has_exact(sample) for _, sample, *_ in valid):
        notes.append("inputs the kernel takes in one dtype only were passed in that dtype; the reference ran at it")
    sources = sorted({src for src, *_ in valid})
    notes.append(f"samples: {len(valid)} from {', '.join(sources)}" + (f"; {len(rejected)} rejected by the reference"
                                                                      if rejected else ""))
    check = "metadata" if device_type == "meta" else (rec.check if rec else "values")
    if rec is None and _is_random(overload):
        check = "metadata"
        notes.append("random op without a record: shape and dtype checked, not values")
    scale = (rec.tol if rec else 1.0) * (quirk.tol if quirk else 1.0)
    row["atol"], row["rtol"] = cmp.tolerance(row["sample_dtype"], scale)
    if phase is not None:
        phase("device")
    total = 0.0
    for i, (_source, sample, reference, ref_args) in enumerate(valid):
        where = f"sample {i + 1}/{len(valid)}: " if len(valid) > 1 else ""
        try:
            synchronize(device_type)
            t0 = time.perf_counter()
            actual, _ = _call(overload, sample, device, sdt, reference=False)
            synchronize(device_type)
            total += time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001
            row["op_time_ms"] = total * 1e3
            return done(classify(exc), where + short(exc))
        try:
            if check in ("values", "metadata"):
                verdict = cmp.compare(actual, reference, sdt, atol=row["atol"], rtol=row["rtol"],
                                      metadata_only=check == "metadata", outputs=rec.outputs if rec else None,
                                      device_type=device_type)
            else:
                verdict = cmp.check_random(check, actual[0], reference[0], ref_args, sdt)
        except Exception as exc:  # noqa: BLE001 - an output the comparison cannot read is the device's
            return done("error", f"{where}cannot compare the outputs: {short(exc)}")
        for attr in ("max_abs_error", "max_rel_error"):
            new = getattr(verdict, attr)
            if new is not None:
                row[attr] = new if row[attr] is None else max(row[attr], new)
        if not verdict.ok:
            row["op_time_ms"] = total * 1e3
            if check != "values":
                row["atol"] = row["rtol"] = None
            return done("mismatch", where + (verdict.message or ""))
    row["op_time_ms"] = total * 1e3
    if check != "values":
        row["atol"] = row["rtol"] = None
    return done("pass")


def _is_random(overload) -> bool:
    import torch

    return torch.Tag.nondeterministic_seeded in overload.tags


def _torch_version() -> str:
    import torch

    return torch.__version__
