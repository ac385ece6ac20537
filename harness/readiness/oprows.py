"""Gather op evidence: the latest snapshot per (stack, importer) plus probe runs, as long rows.

Which snapshots count:

* only snapshots written by this package's importers (``importer:`` in the registry); other
  folders under ``specs/oplists/`` (e.g. ggml op lists) belong to other tables and are ignored;
* per (stack, importer) the newest snapshot (by ``as_of``, then name); for the ``pytorch``
  importer the one read from the same torch version as the reference sets, so a score never mixes
  torch versions.

Probe runs (``results/probes/stack_id=<s>/run_id=<r>/*.parquet``, columns ``op``, ``dtype``,
``probe_outcome``, written by `accel probe`) become measured_pass / measured_fail for the stack
they are filed under (a ROCm run under ``rocm``, not ``cuda``; older runs filed by device type
map through `harness.runs.device.stack_of`). Runs on ``cpu`` and ``meta`` check the harness and
are no stack's evidence. Per (stack, op, dtype) the latest run that measured it wins; an op-level
row says pass when any dtype passed. Outcomes that say nothing about the device (no sample input,
skipped, the CPU reference failed or missing) are dropped.

Reference ops with no op-level evidence for a stack get an explicit ``unknown`` row, so the long
table lists every (stack, reference op) pair and nothing is silently missing.
"""

from __future__ import annotations

import functools
from pathlib import Path

from harness.readiness import ALL_DEVICES, ANY_DTYPE, dtypes, registry, snapshot
from harness.paths import ROOT

NOT_A_STACK = {"cpu", "meta"}  # runs there check the harness itself, not an accelerator's stack
_PASS = {"pass", "passed", "ok", "measured_pass"}
# outcomes that say nothing about the device: no valid input, or the CPU reference failed or is
# missing (the harness's share, never the stack's failure)
_NOT_MEASURED = {"no-sample", "no sample", "no_sample", "skipped", "skip", "not_run", "reference-failed",
                 "no-reference"}
OUTCOME = "probe_outcome"  # the registry's column for a probe's result


@functools.lru_cache(maxsize=256)
def _rel(path: Path) -> str:
    """The path relative to the checkout (cached: every row of a snapshot asks for the same one,
    and `resolve` is a system call per path component)."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def select_snapshots(oplists: Path, torch_version: str | None) -> list[tuple[Path, dict]]:
    """The snapshots that count (see module docstring), as ``(path, document)``."""
    best: dict[tuple[str, str], tuple[tuple, Path, dict]] = {}
    for path in sorted(oplists.glob("*/*.yaml")):
        if path.parent.name in ("reference", "mappings"):
            continue
        doc = snapshot.load(path)
        if not isinstance(doc, dict) or doc.get("importer") not in registry.snapshot_importers():
            continue
        doc = snapshot.check(doc, path)
        same_torch = doc.get("evaluated_for_torch") == torch_version
        rank = (same_torch, str(doc.get("as_of") or ""), path.name)
        key = (doc["stack"], doc["importer"])
        if key not in best or rank > best[key][0]:
            best[key] = (rank, path, doc)
    return [(p, d) for _, p, d in sorted(best.values(), key=lambda t: str(t[1]))]


def snapshot_rows(path: Path, doc: dict) -> list[dict]:
    rows = []
    for e in doc["entries"]:
        src = (doc.get("sources") or {}).get(e.get("source")) or {}
        rows.append({
            "stack_id": doc["stack"], "op": str(e["op"]), "dtype": str(e["dtype"]),
            "device_scope": str(e["scope"]), "evidence_status": e["status"],
            "evidence_source": f"{doc['importer']}:{e.get('source') or doc['importer']}",
            "detail": e.get("detail"), "snapshot_path": _rel(path),
            "source_repo": src.get("repo"), "source_path": src.get("path"),
            "source_commit": src.get("commit") or src.get("package"),
            "as_of_date": src.get("date") or doc.get("as_of"),
        })
    return rows


def normalise_op(name: str) -> str:
    """``aten.add.Tensor`` / ``aten::add.Tensor`` -> ``add.Tensor``; ``abs.default`` -> ``abs``."""
    op = str(name).strip()
    for prefix in ("torch.ops.aten.", "aten::", "aten."):
        if op.startswith(prefix):
            op = op[len(prefix):]
    return op[: -len(".default")] if op.endswith(".default") else op


def probe_rows(probes: Path) -> list[dict]:
    """Measured evidence from hive-partitioned probe Parquet; [] when there are no runs."""
    if not probes.is_dir() or not any(probes.rglob("*.parquet")):
        return []
    import pyarrow.dataset as ds

    table = ds.dataset(probes, format="parquet", partitioning="hive").to_table()
    df = table.to_pandas()
    missing = {"op", "dtype", OUTCOME, "device_type", "run_id"} - set(df.columns)
    if missing:
        from harness.errors import UserError

        raise UserError(f"{probes}: probe results lack column(s) {', '.join(sorted(missing))}")
    from harness.runs.device import stack_of

    by_type = df["device_type"].astype(str).map(stack_of)
    df["stack_id"] = df["stack_id"].astype("string").fillna(by_type) if "stack_id" in df else by_type
    df = df[~df["stack_id"].astype(str).isin(NOT_A_STACK)].copy()
    df["status"] = df[OUTCOME].astype(str).str.strip().str.lower()
    df = df[~df["status"].isin(_NOT_MEASURED)]
    if df.empty:
        return []
    df["stack_id"] = df["stack_id"].astype(str)
    df["op"] = df["op"].map(normalise_op)
    df["dtype"] = df["dtype"].map(lambda d: dtypes.normalise(d) or str(d))
    df["run_id"] = df["run_id"].astype(str)
    df = df.sort_values("run_id").groupby(["stack_id", "op", "dtype"], as_index=False).last()
    rows = []
    for r in df.itertuples(index=False):
        ok = r.status in _PASS
        rows.append({"stack_id": r.stack_id, "op": r.op, "dtype": r.dtype,
                     "device_scope": ALL_DEVICES,
                     "evidence_status": "measured_pass" if ok else "measured_fail",
                     "evidence_source": "probe", "detail": f"run {r.run_id}: {r.status}",
                     "snapshot_path": _rel(probes / f"stack_id={r.stack_id}/run_id={r.run_id}"),
                     "source_repo": None, "source_path": None, "source_commit": None,
                     "as_of_date": None})
    per_op: dict[tuple, dict] = {}
    for r in rows:
        key = (r["stack_id"], r["op"])
        if key not in per_op or r["evidence_status"] == "measured_pass":
            per_op[key] = {**r, "dtype": ANY_DTYPE,
                           "detail": f"op level: {r['evidence_status']} in at least one dtype"
                           if r["evidence_status"] == "measured_pass" else "failed in every dtype"}
    return rows + list(per_op.values())


def unknown_rows(rows: list[dict], stacks: list[str], reference: dict[str, set[str]],
                 composite: set[str] = frozenset(), torch_version: str | None = None) -> list[dict]:
    """Rows for reference ops a stack has no op-level evidence for: ``via_decomposition`` when torch
    has a composite kernel for the op (it runs through the ops it decomposes into, on every stack
    alike), else an explicit ``unknown``."""
    have = {(r["stack_id"], r["op"]) for r in rows
            if r["dtype"] == ANY_DTYPE and r["device_scope"] == ALL_DEVICES}
    ops = sorted(set().union(*reference.values())) if reference else []
    out = []
    for s in stacks:
        for op in ops:
            if (s, op) in have:
                continue
            comp = op in composite
            out.append({
                "stack_id": s, "op": op, "dtype": ANY_DTYPE, "device_scope": ALL_DEVICES,
                "evidence_status": "via_decomposition" if comp else "unknown",
                "evidence_source": "pytorch:composite" if comp else "none",
                "detail": (f"no kernel listed; torch {torch_version} has a composite kernel for it"
                           if comp else "no published list or probe mentions this op"),
                "snapshot_path": None,
                "source_repo": "pytorch/pytorch" if comp else None,
                "source_path": "aten/src/ATen/native/native_functions.yaml" if comp else None,
                "source_commit": f"torch=={torch_version}" if comp and torch_version else None,
                "as_of_date": None})
    return out
