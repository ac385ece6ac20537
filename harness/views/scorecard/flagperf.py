"""Scorecard rows from ``flagperf_summary``: FlagPerf operators measured and training cases run."""

from __future__ import annotations

import pandas as pd

ORDER = 30  # place among the scorecard rows (lower first)
NEEDS = {"flagperf_summary": {"accelerator_id", "n_ops_measured", "median_fu_native_share",
                              "n_training_cases_listed", "n_training_cases_run"}}  # columns read


def rows(tables: dict, stacks: dict[str, list]) -> list[tuple[str, dict]]:
    """Two scorecard rows per stack, over its accelerators with FlagPerf results: operators
    measured (with the median FLOPS utilisation of the native torch path) and training cases run."""
    df = tables.get("flagperf_summary")
    if df is None:
        return []
    ops, training = {}, {}
    for stack, ids in stacks.items():
        sel = df[df["accelerator_id"].isin(ids)]
        with_ops = sel[sel["n_ops_measured"] > 0]
        if len(with_ops):
            ops[stack] = "; ".join(
                f"{r['accelerator_id'].split('/')[1]}: {int(r['n_ops_measured'])} ops"
                + ("" if pd.isna(r["median_fu_native_share"]) else f", median FU {r['median_fu_native_share']:.1%}")
                for r in with_ops.to_dict("records"))
        run = sel[sel["n_training_cases_listed"] > 0]
        if len(run):
            training[stack] = "; ".join(f"{r['accelerator_id'].split('/')[1]}: {int(r['n_training_cases_run'])}"
                                        f"/{int(r['n_training_cases_listed'])}" for r in run.to_dict("records"))
    return [("FlagPerf operators measured (published measured)", ops),
            ("FlagPerf training cases with results (published measured)", training)]
