"""Build the op-coverage tables: ``op_evidence`` (long) and ``op_coverage`` (scores).

``build_tables()`` is pure: it reads ``specs/oplists/`` (reference sets, snapshots, mapping),
``results/probes/`` if present, and the stack ids named by ``specs/stacks/*.yaml`` and the
accelerator specs' ``stacks:`` lists (so a stack with no op list still gets an ``undocumented``
row). The ``op_coverage`` importer calls it; `harness.readiness.build` writes the tables with the
others.
"""

from __future__ import annotations

from pathlib import Path

from harness import paths
from harness.readiness import oprows, reference, scores
from harness.yamlload import read_data


def known_stacks(stack_specs: Path, accelerator_specs: Path) -> set[str]:
    """Stack ids from stack spec files and accelerator specs (read with `harness.yamlload.read_data`)."""
    ids = set()
    for p in sorted(stack_specs.glob("*.yaml")) if stack_specs.is_dir() else []:
        doc = read_data(p)
        if isinstance(doc, dict) and doc.get("id") == p.stem:  # other files there are not stacks
            ids.add(p.stem)
    for p in sorted(accelerator_specs.rglob("*.yaml")) if accelerator_specs.is_dir() else []:
        doc = read_data(p)
        if isinstance(doc, dict) and isinstance(doc.get("stacks"), list):
            ids.update(str(s) for s in doc["stacks"])
    return ids


def build_tables(oplists: Path | None = None, probes: Path | None = None,
                 stack_specs: Path | None = None, accelerator_specs: Path | None = None,
                 torch_version: str | None = None) -> dict:
    """``{"op_evidence": DataFrame, "op_coverage": DataFrame}`` (see the module docstring)."""
    oplists = oplists or paths.OPLISTS
    probes = probes or paths.RESULTS / "probes"
    version, refs = reference.load_sets(oplists, torch_version)
    snaps = oprows.select_snapshots(oplists, version)
    rows = [r for p, d in snaps for r in oprows.snapshot_rows(p, d)]
    rows += oprows.probe_rows(probes)
    documented = sorted({r["stack_id"] for r in rows})
    rows += oprows.unknown_rows(rows, documented,
                                  {k: set(v) for k, v in refs.items() if k != "cuda-backed-functional"},
                                  reference.composite_ops(oplists, version), version)
    stacks = sorted(set(documented) | known_stacks(stack_specs or paths.STACK_SPECS,
                                                   accelerator_specs or paths.ACCELERATOR_SPECS))
    core, cuda, llm = set(refs["core"]), set(refs["cuda-backed"]), set(refs.get("llm", ()))
    for r in rows:
        r["is_core_op"] = r["op"] in core
        r["is_cuda_backed_op"] = r["op"] in cuda
        r["is_llm_op"] = r["op"] in llm
    cov = scores.score_rows(rows, stacks, refs, version)
    _unmapped_notes(cov, snaps, refs)
    return {"op_evidence": _frame("op_evidence", rows), "op_coverage": _frame("op_coverage", cov)}


def _unmapped_notes(cov: list[dict], snaps: list, refs: dict) -> None:
    """Say how much of a score's unknown share is ops the importer could not map to ATen."""
    for _, doc in snaps:
        aten = ((doc.get("unmapped") or {}).get("aten")) or {}
        if not aten:
            continue
        for row in cov:
            if row["stack_id"] == doc["stack"] and row.get("coverage_state") == "scored":
                k = len(set(aten) & set(refs[row["reference_set"]]))
                row["note"] = (f"{k} of {row['n_reference_ops']} reference ops have no clear "
                               f"counterpart in the {doc['importer']} mapping (unmapped, counted "
                               "unknown); coverage read through a reviewed op-name mapping")
                if row["reference_set"] != "core":
                    row["note"] += ("; the mapping was reviewed for Core ATen ops only, so ops "
                                    "outside that set are unknown, not unsupported")


def _frame(table: str, rows: list[dict]):
    import pandas as pd

    try:
        from harness.dataset import tableschemas
    except ImportError:  # pragma: no cover - schemas module not present in this checkout
        return pd.DataFrame(rows)
    try:
        schema = tableschemas.schema_for(table)
    except KeyError:  # the table is not in schemas/fields.yaml yet
        return pd.DataFrame(rows)
    df = tableschemas.coerce(table, rows)
    schema.validate(df, lazy=True)
    return df
