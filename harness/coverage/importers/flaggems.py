"""FlagGems (FlagOS): the ATen overloads a cross-vendor Triton operator library implements.

``conf/operators.yaml`` in flagos-ai/FlagGems lists the library's operators: each has an ``id``,
the ATen overloads it is registered ``for:`` (named as ``native_functions.yaml`` names them),
``labels`` (``aten`` marks a PyTorch ATen operator; others are fused or vLLM kernels), lifecycle
``stages`` (``alpha`` / ``beta`` / ``stable`` with the FlagGems version that reached them, or
``removed``) and, rarely, a ``device:`` list restricting it to some backends.

Read as evidence for the ``flagos`` stack: every overload of a non-removed ``aten`` operator is
``declared_supported``, scoped to its ``device:`` list when it has one, with its latest stage in
the detail. This is a third party's statement about its own library, not a chip vendor's: each
vendor backend can still exclude operators (``op_black_list.yaml`` files upstream, not read
here), so the figure is what FlagGems offers, not what runs on a given chip.
"""

from __future__ import annotations

from pathlib import Path

from harness.coverage import ALL_DEVICES, snapshot
from harness.coverage.importers import command
from harness.errors import UserError
from harness.yamlload import read_data

STACKS = {"flagos": "FlagGems"}
DESCRIPTION = "FlagGems conf/operators.yaml (Triton kernels registered for ATen ops, cross-vendor)"
FILE = "flaggems/operators.yaml"
STAGES = ("alpha", "beta", "stable", "removed")


def latest_stage(stages, where: str) -> tuple[str, str | None]:
    """``(stage, version)`` of the last entry of a ``stages:`` list (``[{stable: '1.0'}]``)."""
    if not isinstance(stages, list) or not stages:
        return "unstaged", None
    last = stages[-1]
    if not isinstance(last, dict) or len(last) != 1:
        raise UserError(f"{where}: stages entries are one-key mappings such as {{stable: '1.0'}}; got {last!r}")
    (stage, version), = last.items()
    if stage not in STAGES:
        raise UserError(f"{where}: unknown stage '{stage}'; known: {', '.join(STAGES)}")
    return stage, None if version is None else str(version)


def entries(doc) -> tuple[list[dict], dict]:
    """Evidence entries and the counts behind them (for the snapshot's record)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("ops"), list):
        raise UserError(f"{FILE}: expected a mapping with an 'ops:' list")
    out: dict[tuple[str, str], dict] = {}
    counts = {"operators": 0, "aten_operators": 0, "removed": 0, "device_limited": 0, "overloads": 0}
    for i, op in enumerate(doc["ops"]):
        where = f"{FILE}: ops[{i}]"
        if not isinstance(op, dict) or "id" not in op:
            raise UserError(f"{where}: each operator needs an 'id'")
        counts["operators"] += 1
        if "aten" not in (op.get("labels") or []):
            continue
        counts["aten_operators"] += 1
        stage, version = latest_stage(op.get("stages"), f"{where} ({op['id']})")
        if stage == "removed":
            counts["removed"] += 1
            continue
        devices = op.get("device") or []
        if devices:
            counts["device_limited"] += 1
        scope = ", ".join(str(d) for d in devices) or ALL_DEVICES
        detail = f"FlagGems operator '{op['id']}', {stage}" + (f" since {version}" if version else "")
        for name in op.get("for") or []:
            name = str(name).strip()
            if not name or name == "None":
                continue
            out.setdefault((name, scope), {"op": name, "status": "declared_supported", "scope": scope,
                                           "source": "flaggems", "detail": detail})
    counts["overloads"] = len({op for op, _ in out})
    return list(out.values()), counts


def build(upstream: Path) -> dict:
    prov = snapshot.provenance_for(upstream, FILE)
    rows, counts = entries(read_data(upstream / FILE))
    commit = (prov.get("commit") or "unknown")[:9]
    return {"stack": "flagos", "snapshot": f"flaggems-{commit}", "importer": "flaggems",
            "as_of": prov.get("date"), "evaluated_for_torch": None,
            "sources": {"flaggems": prov}, **{f"count_{k}": v for k, v in counts.items()}, "entries": rows}


def run(upstream: Path, oplists: Path) -> list[Path]:
    doc = build(upstream)
    return [snapshot.write(oplists / "flagos" / f"{doc['snapshot']}.yaml", doc, command("flaggems"))]
