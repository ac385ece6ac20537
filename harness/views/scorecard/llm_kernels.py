"""Scorecard rows from ``llm_kernel_support``: fused LLM kernels and collectives each stack names."""

from __future__ import annotations

ORDER = 10  # place among the scorecard rows (lower first)
NEEDS = {"llm_kernel_support": {"stack_id", "kernel_kind", "kernel_status"}}  # columns read


def rows(tables: dict, stacks: dict[str, list]) -> list[tuple[str, dict]]:
    """Two scorecard rows: fused kernels named, collectives named (a stack not in the table: none)."""
    df = tables.get("llm_kernel_support")
    if df is None:
        return []
    out = []
    labels = (("fused-kernel", "LLM fused kernels named (declared)"),
              ("collective", "Collectives named: all-reduce, all-gather, reduce-scatter, all-to-all (declared)"))
    for kind, label in labels:
        cells = {}
        for stack in stacks:
            sel = df[(df["stack_id"] == stack) & (df["kernel_kind"] == kind)]
            if len(sel):
                n = int((sel["kernel_status"] == "declared").sum())
                cells[stack] = f"{n}/{len(sel)}" if n else f"0/{len(sel)} in the files read"
        out.append((label, cells))
    return out
