"""Counts for the one-screen readiness scorecard, computed from the built tables only.

Each function takes the built table (or reads it from ``results/`` with `harness.load`) and
returns counts, never percentages: the scorecard prints a share only beside the counts it is
computed from. A stack or accelerator absent from the result has no published evidence of the
kind ("undocumented"), which is not a count of 0.

- `model_families`: per stack, the model families a serving engine's matrix lists, split by the
  best model-level status any model of the family has (supported > experimental > untested >
  not-supported > unknown), so the splits add up to ``n_families``.
- `mlperf_results`: per accelerator id and MLPerf round, the number of published results mapped
  to it (0 with ``no public result`` for an id the round has none for).
"""

from __future__ import annotations

import pandas as pd

# best first; a family's status is the best status of its models' `model` cells
STATUS_ORDER = ("supported", "experimental", "untested", "not-supported", "unknown")
FAMILY_COLUMNS = ["stack_id", "inference_engines", "n_models", "n_models_without_family", "n_families",
                  *(f"n_families_{s.replace('-', '_')}" for s in STATUS_ORDER)]


def _table(df: pd.DataFrame | None, name: str, require: list[str], results_dir=None) -> pd.DataFrame:
    if df is not None:
        return df
    from harness.dataset.read import load_table

    return load_table(name, results_dir=results_dir, require=require)


def model_families(model_support: pd.DataFrame | None = None, results_dir=None) -> pd.DataFrame:
    """One row per stack with a model-support matrix: ``n_models`` (distinct model names as
    printed), ``n_models_without_family`` (unassigned or unreviewed names, counted in no family),
    ``n_families`` and ``n_families_<status>`` by the family's best model-level status."""
    need = ["stack_id", "inference_engine", "model_name", "model_family", "model_feature", "model_support_status"]
    df = _table(model_support, "model_support", need, results_dir)
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows = []
    for stack, g in df.groupby("stack_id", sort=True):
        model = g[g["model_feature"] == "model"]
        best = (model.dropna(subset=["model_family"])
                .assign(rank=lambda x: x["model_support_status"].map(rank))
                .groupby("model_family")["rank"].min())
        row = {"stack_id": stack, "inference_engines": " | ".join(sorted(set(g["inference_engine"]))),
               "n_models": int(g["model_name"].nunique()),
               "n_models_without_family": int(g.loc[g["model_family"].isna(), "model_name"].nunique()),
               "n_families": int(len(best))}
        for s in STATUS_ORDER:
            row[f"n_families_{s.replace('-', '_')}"] = int((best == rank[s]).sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=FAMILY_COLUMNS)


def supported_families(model_support: pd.DataFrame | None = None, results_dir=None) -> dict[str, list[str]]:
    """Per stack, the families with at least one model the matrix marks supported (✅)."""
    df = _table(model_support, "model_support", ["stack_id", "model_family", "model_feature",
                                                   "model_support_status"], results_dir)
    ok = df[(df["model_feature"] == "model") & (df["model_support_status"] == "supported")]
    return {s: sorted(set(g["model_family"].dropna())) for s, g in ok.groupby("stack_id", sort=True)}


def mlperf_results(benchmark_summary: pd.DataFrame | None = None, results_dir=None) -> pd.DataFrame:
    """One row per (accelerator_id, mlperf_round): ``n_results`` and ``benchmark_status``."""
    need = ["accelerator_id", "mlperf_round", "benchmark_status", "n_results"]
    df = _table(benchmark_summary, "benchmark_summary", need, results_dir)
    return (df[need].sort_values(["accelerator_id", "mlperf_round"], kind="mergesort")
            .reset_index(drop=True))


def mlperf_results_by_round(benchmark_summary: pd.DataFrame | None = None, results_dir=None) -> pd.DataFrame:
    """Accelerator ids as rows, rounds as columns (``v4.1``, ``v6.1``), result counts as values."""
    df = mlperf_results(benchmark_summary, results_dir)
    wide = df.pivot(index="accelerator_id", columns="mlperf_round", values="n_results")
    return wide.astype("Int64").rename_axis(columns=None)
