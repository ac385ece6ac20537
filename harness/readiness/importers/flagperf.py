"""BAAI FlagPerf's published measurements: per-operator results and training cases, per vendor chip.

Inputs: the README files of FlagOpen/FlagPerf copied under ``specs/upstream/flagperf/`` (paths
kept, commit in PROVENANCE.yaml), the reviewed chip map ``specs/oplists/mappings/flagperf-chips.yaml``
and op map ``specs/oplists/mappings/flagperf-ops.yaml``.

- ``operation/benchmarks/<op>/<vendor>/<chip>/[<DTYPE>_]README.md`` -> ``flagperf_op_results``:
  one row per (op, vendor, chip, dtype file, implementation), the implementation being the native
  torch path (``nativetorch``) or FlagGems (``flaggems``).
- ``training/<vendor>/<case>/README.md`` -> ``flagperf_training_results``: one row per row of a
  case's results table (``配置`` / ``训练资源``), with the hardware and software printed above it.

Decisions:

- **Tier ``published-measured``** (``readiness_tier``): a third party published these numbers.
  They are kept apart from declared op lists (``op_evidence``) and from our own probes
  (``probe_results``); nothing here turns into "supported".
- **As printed.** Every figure is what the README prints, in the unit it prints (FLOPS
  utilisation as a 0-1 share); a cell FlagPerf leaves empty or marks ``/`` is null, never 0. Odd
  values stay as printed (the A100 INT16 bitwise READMEs print negative utilisation; the A100
  READMEs print ``correctness True`` instead of a mean relative error, so that column is null
  there and ``correctness_printed`` keeps the word). Training cells vary in form (``0.657/0.655``,
  ``17.23 * 2048 / 8 = 4410 tokens/s``): the text is kept, and a number is parsed only from a cell
  that is one number.
- **dtype** comes from the file name (``BF16_README.md``); a plain ``README.md`` (Iluvatar BI150,
  MetaX C550) does not say, so ``measured_dtype`` is null.
- **Chips map explicitly**: the chip label a row prints (``R300``, ``MXC500``, the folder
  ``A100_40_SXM``) is looked up in the reviewed map, first as ``"<label> @ <card model>"`` (the
  card model printed in the hardware section, where the label alone is ambiguous, e.g. A100 40 or
  80 GB), then as the label. No fuzzy matching; a label in neither list is ``unreviewed``.
- **Skipped, not failed**: a case README with no results table (FlagScale stubs of one line,
  empty files) is skipped with its reason (`skipped`); a table that is there but broken is an
  `InputError` with file and line.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd

from harness import listcol
from harness.readiness.flagperf_maps import CHIPS, LOCAL, OPS, load_chips, load_ops, record
from harness.readiness.flagperf_ops import op_rows
from harness.readiness.flagperf_training import training_rows
from harness.readiness.frames import frame
from harness.readiness.registry import Context, importer

__all__ = ["CHIPS", "OPS", "load_chips", "load_ops", "op_rows", "training_rows", "scan", "skipped",
           "unreviewed", "unreviewed_in", "summary_rows", "summarise"]


def scan(root: Path, chips: dict, ops: dict) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """(op rows, training rows, skipped [(README, reason)]) of a copy of the FlagPerf tree."""
    rec = record() if root.is_dir() else None
    op_out, train_out, skipped = [], [], []
    for p in sorted(root.glob("operation/benchmarks/*/*/*/*README.md")):
        rel = p.relative_to(root).as_posix()
        rows, why = op_rows(p, rel, chips, ops, rec)
        op_out += rows
        if why:
            skipped.append((rel, why))
    for p in sorted(root.glob("training/*/*/README.md")):
        rel = p.relative_to(root).as_posix()
        if rel.split("/")[1] == "benchmarks":
            continue
        rows, why = training_rows(p, rel, chips, rec)
        train_out += rows
        if why:
            skipped.append((rel, why))
    return op_out, train_out, skipped


def _scan_ctx(ctx: Context | None):
    ctx = ctx or Context()
    root, chips, ops = _inputs(ctx)
    if not all(p.exists() for p in (root, chips, ops)):
        return None
    return scan(root, load_chips(chips), load_ops(ops))


def skipped(ctx: Context | None = None) -> list[tuple[str, str]]:
    """READMEs the importer reads nothing from, each with why (for `accel coverage ls`)."""
    found = _scan_ctx(ctx)
    return found[2] if found else []


def unreviewed(ctx: Context | None = None) -> list[str]:
    """Chip labels the chip map lists neither as mapped nor as unmapped (for `accel coverage ls`)."""
    found = _scan_ctx(ctx)
    return unreviewed_in(found[0] + found[1]) if found else []


def unreviewed_in(rows: list[dict]) -> list[str]:
    """Chip labels in ``rows`` whose mapping_status is unreviewed."""
    return sorted({str(r["accelerator_name"]) for r in rows if r["mapping_status"] == "unreviewed"})


def summary_rows(op_rows_: list[dict], training_rows_: list[dict]) -> list[dict]:
    """Per accelerator id: ops measured, median FLOPS utilisation (native torch and FlagGems, over
    op rows whose utilisation is printed), worst mean relative error, training cases that ran."""
    ids = sorted({r["mapped_accelerator_id"] for r in op_rows_ + training_rows_ if r["mapped_accelerator_id"]})
    out = []
    for aid in ids:
        ops_ = [r for r in op_rows_ if r["mapped_accelerator_id"] == aid]
        train = [r for r in training_rows_ if r["mapped_accelerator_id"] == aid]

        def med(impl, rows=ops_):
            v = [r["flops_utilisation_cputime_share"] for r in rows
                 if r["implementation"] == impl and r["flops_utilisation_cputime_share"] is not None]
            return statistics.median(v) if v else None

        errs = [r["mean_relative_error"] for r in ops_ if r["mean_relative_error"] is not None]
        measured = {r["flagperf_op"] for r in ops_ if any(r[k] is not None for k in (
            "mean_relative_error", "correctness_printed", "cputime_tflops", "flops_utilisation_cputime_share"))}
        ran = {(r["flagperf_vendor"], r["flagperf_case"]) for r in train if r["has_published_result"]}
        out.append({
            "accelerator_id": aid,
            "n_ops_measured": len(measured),
            "n_op_results": len(ops_),
            "median_fu_native_share": med("native"),
            "median_fu_flaggems_share": med("flaggems"),
            "max_mean_relative_error": max(errs) if errs else None,
            "n_training_cases_listed": len({(r["flagperf_vendor"], r["flagperf_case"]) for r in train}),
            "n_training_cases_run": len(ran),
            "n_training_results": sum(1 for r in train if r["has_published_result"]),
            "accelerator_names": listcol.join(sorted({str(r["accelerator_name"]) for r in ops_ + train})),
        })
    return out


def summarise(op_results: pd.DataFrame, training_results: pd.DataFrame) -> pd.DataFrame:
    """`summary_rows` from the built tables (what `accel readiness` can show per chip)."""
    def records(df):
        return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in df.to_dict("records")]

    return frame("flagperf_summary", summary_rows(records(op_results), records(training_results)))


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.upstream / LOCAL.rstrip("/"), ctx.specs / CHIPS, ctx.specs / OPS]


@importer("flagperf", produces=["flagperf_op_results", "flagperf_training_results", "flagperf_summary"],
          inputs=_inputs)
def run(ctx: Context):
    """FlagPerf's published per-operator and training-case measurements per vendor chip (tier measured)."""
    root, chips_path, ops_path = _inputs(ctx)
    ops_, train, _ = scan(root, load_chips(chips_path), load_ops(ops_path))
    return {
        "flagperf_op_results": frame("flagperf_op_results", ops_),
        "flagperf_training_results": frame("flagperf_training_results", train),
        "flagperf_summary": frame("flagperf_summary", summary_rows(ops_, train)),
    }
