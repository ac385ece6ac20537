"""Read built tables from a results folder: this installation's results/, or any folder given.

The read path imports nothing above the dataset layer: fetching a released version is the caller's
step (`harness.load` asks `harness.release.download` for the folder, then reads it here). A folder
with a manifest (a release, a build) serves only the tables its manifest lists, so a file dropped
into a cache is never read.
"""

from __future__ import annotations

from pathlib import Path

from harness import envflags, paths
from harness.errors import UserError

TABLE_DIRS = ("dataset", "coverage", "readiness")


def _listed(folder: Path) -> set[str] | None:
    from harness import manifest

    m = manifest.read(folder)
    return None if m is None else set(m["files"])


def find_table(name: str, results_dir: Path | None = None) -> Path:
    from harness.atomic import recover
    from harness.problems import did_you_mean

    if not isinstance(name, str) or not name.isidentifier():
        raise UserError(f"table name must be a word such as 'accelerators', got {name!r}")
    if results_dir is not None and not isinstance(results_dir, (str, Path)):
        raise UserError(f"results_dir must be a folder path, got {type(results_dir).__name__}")
    # ACCELATLAS_RESULTS points every reader at another results folder (tests, a release copy)
    base = Path(results_dir) if results_dir is not None else (envflags.path("ACCELATLAS_RESULTS") or paths.RESULTS)
    folders = [base] + [base / d for d in TABLE_DIRS]
    for folder in folders[1:]:
        if not folder.exists():
            recover(folder)  # a build killed between its two renames left the old folder beside it
    known = set()
    for folder in folders:
        listed = _listed(folder)
        for p in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
            if listed is None or p.name in listed:
                known.add(p.stem)
                if p.stem == name and p.is_file() and not p.is_symlink():
                    return p
    raise UserError(f"no table '{name}' under {base}{did_you_mean(name, known)}; "
                    f"known: {', '.join(sorted(known)) or 'none (run accel build)'}")


def load_table(name: str, *, results_dir=None, require=()):
    """The table ``name`` as a DataFrame; ``require`` names columns the caller reads, so that a
    foreign or truncated file is one clear error instead of a KeyError later."""
    import pandas as pd

    path = find_table(name, results_dir)
    df = pd.read_parquet(path)
    missing = [c for c in require if c not in df.columns]
    if missing:  # another project's file, or one from an incompatible version
        raise UserError(f"{path} is not an AccelAtlas '{name}' table: it lacks {', '.join(missing[:5])}"
                        + (f" and {len(missing) - 5} more columns" if len(missing) > 5 else ""))
    return df
