"""The stored probe and bench runs, listed and summed up: what a reader of a run wants first.

A results root holds ``probes/`` (hive-partitioned by stack and run id) and ``bench/`` (by device type and run id), each
run with its ``_run.json``; `harness.runs.store`). For a probe run the summary is the count of
each outcome per dtype and the pass rate; for a bench run, per suite, kernel and precision, the
best measurement over the sizes swept and its fraction of the datasheet peak.
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import UserError
from harness.runs.store import KINDS, META_NAME, RunStore, read_meta_file


def outcomes() -> list[str]:
    """Probe outcomes in the registry's order (pass first)."""
    from harness.dataset.registry import registry

    return list(registry().column("probe_outcome").isin)


def list_runs(root: Path, kind: str | None = None, device_type: str | None = None,
              stack_id: str | None = None) -> list[dict]:
    """Every run under ``root`` as its metadata plus ``kind``, ``dir``, ``table``, ``device_type`` and
    ``stack_id``, oldest first. Probe runs are filed by stack, older ones (and bench runs) by device
    type: the folder says which, the run's metadata gives the other."""
    from harness.runs.device import DEVICE_STACKS

    runs = []
    for k, (folder, table) in KINDS.items():
        if kind and k != kind:
            continue
        for meta_path in sorted((Path(root) / folder).glob(f"*=*/run_id=*/{META_NAME}")):
            meta = read_meta_file(meta_path)
            part, value = meta_path.parent.parent.name.split("=", 1)
            if part not in ("device_type", "stack_id"):
                continue
            dtype = value if part == "device_type" else str(meta.get("device_type") or value)
            stack = value if part == "stack_id" else str(meta.get("stack_id") or DEVICE_STACKS.get(dtype, dtype))
            if (device_type and dtype != device_type) or (stack_id and stack != stack_id):
                continue
            meta.update(kind=k, table=table, dir=str(meta_path.parent), device_type=dtype, stack_id=stack,
                        run_id=meta_path.parent.name.split("=", 1)[1])
            runs.append(meta)
    return sorted(runs, key=lambda m: (m.get("start_time") or "", m["run_id"]))


def select(runs: list[dict], run_ids: list[str]) -> list[dict]:
    """The runs named by id (a unique prefix will do), in the order asked."""
    from harness.problems import did_you_mean

    chosen = []
    for want in run_ids:
        hits = [r for r in runs if r["run_id"] == want] or [r for r in runs if r["run_id"].startswith(want)]
        if not hits:
            raise UserError(f"no run '{want}'{did_you_mean(want, [r['run_id'] for r in runs])}")
        if len({r["run_id"] for r in hits}) > 1:
            raise UserError(f"run id '{want}' is ambiguous: {', '.join(sorted(r['run_id'] for r in hits))}")
        chosen += hits
    return chosen


def size_label(suite: str, size) -> str:
    """A size as its suite prints it (`size_label` of the suite module)."""
    from harness.bench import suites

    if size is None or size != size:
        return "-"
    try:
        return suites.load(suite).size_label(size)
    except Exception:  # noqa: BLE001 - a stored run of a suite this version lacks: the raw number
        return str(size)


def _flop(suite: str) -> bool:
    from harness.bench import suites

    try:
        return suites.measures(suite) == "flop"
    except Exception:  # noqa: BLE001 - an unknown stored suite: judge by its columns
        return False


def rows_of(run: dict):
    root = Path(run["dir"]).parent.parent
    store = RunStore(root, run["table"], run["device_type"], run["run_id"], run.get("stack_id"))
    store.dir = Path(run["dir"])  # where it is filed, whichever layout
    return store.read()


# outcomes that say the harness had no valid input or reference for the op: not a measurement
NOT_MEASURED = ("no-sample", "reference-failed", "no-reference")


def probe_counts(df) -> list[dict]:
    """One dict per dtype: the count of each outcome, the total, the pass rate (0..1), and how many
    ops were probed with a valid input (``n_valid_input``: not one of `NOT_MEASURED`) and its share."""
    names = outcomes()
    table = []
    for dtype, group in df.groupby("dtype", sort=True):
        counts = group["probe_outcome"].value_counts()
        row = {"dtype": dtype, **{o: int(counts.get(o, 0)) for o in names}, "total": len(group)}
        row["pass_rate"] = row["pass"] / row["total"] if row["total"] else None
        row["n_valid_input"] = row["total"] - sum(row.get(o, 0) for o in NOT_MEASURED)
        row["valid_input_share"] = row["n_valid_input"] / row["total"] if row["total"] else None
        table.append(row)
    return table


def _num(x):
    """A float, or None for a missing value (NaN or None)."""
    return None if x is None or x != x else float(x)


def bench_best(df) -> list[dict]:
    """Per (suite, kernel, precision): the best successful measurement over sizes, beside its peak.

    A case with no successful size appears once with its outcome (``unsupported``, ``error``)."""
    table = []
    keys = ["bench_suite", "kernel", "precision"]
    for (suite, kernel, precision), group in df.groupby(keys, sort=True):
        gemm = _flop(suite)
        measure, peak = ("measured_tflops", "peak_tflops") if gemm else ("measured_tbps", "peak_tbps")
        ok = group[group["bench_outcome"] == "ok"]
        row = {"suite": suite, "kernel": kernel, "precision": precision, "unit": "TFLOPS" if gemm else "TB/s"}
        if ok.empty:
            first = group.iloc[0]
            table.append({**row, "outcome": first["bench_outcome"], "message": first["message"], "size": None,
                          "measured": None, "peak": None, "fraction_of_peak": None})
            continue
        best = ok.loc[ok[measure].idxmax()]
        table.append({**row, "outcome": "ok", "message": None, "size": int(best["size"]),
                      "measured": _num(best[measure]), "peak": _num(best[peak]),
                      "fraction_of_peak": _num(best["fraction_of_peak"])})
    return table


def summary(run: dict) -> dict:
    """The run's metadata (without the op list) and its summary rows."""
    df = rows_of(run)
    meta = {k: v for k, v in run.items() if k != "options"}
    meta["rows"] = len(df)
    body = probe_counts(df) if run["kind"] == "probe" else bench_best(df)
    return {"run": meta, "summary": body}
