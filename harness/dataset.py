"""Read built tables: from this checkout's results/ or from a downloaded release."""

from __future__ import annotations

import os
from pathlib import Path

from harness import paths
from harness.errors import UserError

TABLE_DIRS = ("dataset", "coverage")


def find_table(name: str, results_dir: Path | None = None) -> Path:
    # ACCELATLAS_RESULTS points every reader at another results folder (tests, a release copy)
    base = Path(results_dir or os.environ.get("ACCELATLAS_RESULTS") or paths.RESULTS)
    candidates = [base / f"{name}.parquet"] + [base / d / f"{name}.parquet" for d in TABLE_DIRS]
    for c in candidates:
        if c.exists():
            return c
    known = sorted({p.stem for d in TABLE_DIRS for p in (base / d).glob("*.parquet")} |
                   {p.stem for p in base.glob("*.parquet")})
    from harness.problems import did_you_mean

    raise UserError(f"no table '{name}' under {base}{did_you_mean(name, known)}; "
                    f"known: {', '.join(known) or 'none (run accel build)'}")


def load_table(name: str, *, version: str | None = None, results_dir=None):
    import pandas as pd

    if version is not None:
        from harness.download import ensure_release

        results_dir = ensure_release(version)
    return pd.read_parquet(find_table(name, results_dir))
