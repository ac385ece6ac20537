"""Scorecard row from ``model_support``: model families in serving-engine support matrices."""

from __future__ import annotations

ORDER = 20  # place among the scorecard rows (lower first)
NEEDS = {"model_support": {"stack_id", "inference_engine", "model_name", "model_family", "model_feature",
                          "model_support_status"}}  # columns read


def rows(tables: dict, stack_accelerators: dict) -> list[tuple[str, dict]]:
    """The scorecard's model-level row: per stack with a
    matrix, its families by best model-level status, counts only; other stacks are left out
    (the view prints them as undocumented)."""
    from harness.readiness.summaries import model_families

    df = tables.get("model_support")
    if df is None or df.empty:
        return []
    cells = {}
    for r in model_families(df).to_dict("records"):
        parts = [f"{r[f'n_families_{s}']} {s.replace('_', ' ')}"
                 for s in ("supported", "experimental", "untested", "not_supported", "unknown")
                 if r[f"n_families_{s}"]]
        cells[r["stack_id"]] = f"{', '.join(parts)} of {r['n_families']} families ({r['inference_engines']})"
    return [("Model families in serving-engine matrices (declared)", cells)]
