"""Scorecard row from ``engine_features``: serving-engine features the engine declares per hardware."""

from __future__ import annotations

ORDER = 25  # place among the scorecard rows (lower first)
NEEDS = {"engine_features": {"stack_id", "inference_engine", "hardware_column", "engine_feature_status"}}


def rows(tables: dict, stack_accelerators: dict) -> list[tuple[str, dict]]:
    """Per stack, the features the engine marks fully supported out of those it lists, per hardware
    column as printed; columns with the same counts are named together (``Turing, Ampere: 15/15``).
    Partial and unknown marks are counted as not supported here and named when present."""
    from harness.readiness.importers.engine_features import HARDWARE

    df = tables.get("engine_features")
    if df is None or df.empty:
        return []
    order = {col: i for i, col in enumerate(HARDWARE)}  # the matrix's own column order
    df = df.assign(_order=df["hardware_column"].map(order)).sort_values(["_order"], kind="mergesort")
    cells = {}
    for stack, part in df.groupby("stack_id", sort=False):
        groups: dict[str, list[str]] = {}
        for (engine, column), col in part.groupby(["inference_engine", "hardware_column"], sort=False):
            status = col["engine_feature_status"]
            text = f"{int((status == 'supported').sum())}/{len(col)}"
            extra = [f"{int((status == s).sum())} {s}" for s in ("partial", "unknown") if (status == s).any()]
            if extra:
                text += f" ({', '.join(extra)})"
            groups.setdefault(f"{engine}|{text}", []).append(column)
        cells[stack] = "; ".join(f"{', '.join(cols)}: {key.split('|', 1)[1]}" for key, cols in groups.items()) + \
            f" ({', '.join(sorted(set(part['inference_engine'])))})"
    return [("Serving-engine features on the stack's hardware (declared)", cells)]
