"""HIPIFY's CUDA -> HIP/ROC/MIOpen tables as per-symbol API coverage of the ROCm stack.

Decisions:

- **One row per (API family, CUDA symbol, target library).** A family is named from the file
  (``CUBLAS_API_supported_by_HIP_and_ROC.md`` -> ``cublas``); its target columns (``HIP``, ``ROC``,
  ``MIOPEN``) become libraries (hipBLAS, rocBLAS, ...). HIPIFY publishes the same family three
  times (``_HIP``, ``_ROC``, ``_HIP_and_ROC``); we read the file with the most target columns and
  take any further target from the others, so each symbol is counted once per library.
- **Supported = the target cell names a symbol.** An empty cell is unsupported (HIPIFY's rule).
  A target marked experimental (``E``) counts as supported and is flagged.
- **Functions vs types.** HIPIFY splits each file into numbered sections; a section whose title
  says "types" (``CUDA Driver Data Types``, ``CUSPARSE Types References``, ``Device Types``) holds
  types, enums, enum values and macros (``symbol_kind = type``); every other section holds
  functions. Coverage should be read per kind: enum values dominate the type sections.
- **Removed CUDA symbols** (a value in the CUDA ``R`` column) stay in the per-symbol table with
  ``is_removed = true`` and are left out of the summary denominators (counted separately), since
  no current CUDA code can call them. Deprecated symbols stay in.
- The A/D/C/R columns on the CUDA side carry the NVIDIA library's own versions: CUDA toolkit
  versions, except for cuDNN rows (cuDNN versions). Hence the ``nvidia_*_version`` names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from harness.readiness.errors import InputError, is_separator, split_row
from harness.readiness.frames import frame, share, version_key
from harness.readiness.provenance import HIPIFY
from harness.readiness.registry import Context, importer

FILE_RE = re.compile(r"^(?P<family>.+?)_API(?:_functions)?_supported_by_(?P<targets>.+)\.md$")
SECTION_RE = re.compile(r"^##\s+\*\*(?:\d+\.\s*)?(?P<title>.+?)\*\*\s*$")
SYMBOL_RE = re.compile(r"^`(?P<sym>[^`]+)`$")
TYPE_SECTION_RE = re.compile(r"\btypes?\b", re.IGNORECASE)
VERSION_COLS = ("A", "D", "C", "R")

# target column -> library, per family; families not listed use the HIP runtime itself.
LIBRARIES = {
    "cublas": {"HIP": "hipBLAS", "ROC": "rocBLAS"},
    "cudnn": {"HIP": "hipDNN", "MIOPEN": "MIOpen"},
    "cufft": {"HIP": "hipFFT"},
    "curand": {"HIP": "hipRAND", "ROC": "rocRAND"},
    "cusolver": {"HIP": "hipSOLVER", "ROC": "rocSOLVER"},
    "cusparse": {"HIP": "hipSPARSE", "ROC": "rocSPARSE"},
    "cub": {"HIP": "hipCUB"},
    "cuda-rtc": {"HIP": "hipRTC"},
}



def family_of(filename: str) -> str | None:
    """``CUDA_Runtime_API_functions_supported_by_HIP.md`` -> ``cuda-runtime``; None if not a table."""
    m = FILE_RE.match(filename)
    return m.group("family").lower().replace("_", "-") if m else None


def _header(cells: list[str], path: Path, line: int) -> list[str]:
    """Validate a header row and return its target column names (HIP, ROC, MIOPEN)."""
    names = [c.strip("*") for c in cells]
    if names[:5] != ["CUDA", *VERSION_COLS]:
        raise InputError(path, line, f"expected a header starting CUDA|A|D|C|R, got {'|'.join(names[:5])}")
    rest, targets = names[5:], []
    if not rest or len(rest) % 6:
        raise InputError(path, line,
                         f"expected groups of TARGET|A|D|C|R|E after the CUDA columns, got {'|'.join(rest)}")
    for i in range(0, len(rest), 6):
        group = rest[i : i + 6]
        if group[1:] != [*VERSION_COLS, "E"]:
            raise InputError(path, line, f"target group {'|'.join(group)} is not NAME|A|D|C|R|E")
        targets.append(group[0])
    return targets


def parse_file(path: Path, family: str) -> list[dict]:
    """Every symbol row of one HIPIFY table file, one dict per (symbol, target column)."""
    rows: list[dict] = []
    section, targets, header_line = None, None, 0
    upstream_path = HIPIFY.path.format(name=path.name)
    lines = path.read_text(encoding="utf-8").splitlines()
    for lineno, text in enumerate(lines, 1):
        m = SECTION_RE.match(text)
        if m:
            section, targets = m.group("title").strip(), None
            continue
        if not text.startswith("|"):
            continue
        cells = split_row(text)
        if cells and cells[0] == "**CUDA**":
            targets, header_line = _header(cells, path, lineno), lineno
            continue
        if is_separator(cells):
            continue
        if targets is None or section is None:
            raise InputError(path, lineno, "table row outside a '## **N. Section**' table with a CUDA header")
        if len(cells) != 5 + 6 * len(targets):
            raise InputError(
                path, lineno,
                f"row has {len(cells)} cells, header at line {header_line} has {5 + 6 * len(targets)}",
            )
        sm = SYMBOL_RE.match(cells[0])
        if not sm:
            raise InputError(path, lineno, f"CUDA cell {cells[0]!r} is not a `symbol`")
        a, d, c, r = (v or None for v in cells[1:5])
        kind = "type" if TYPE_SECTION_RE.search(section) else "function"
        for i, target in enumerate(targets):
            tcells = cells[5 + 6 * i : 11 + 6 * i]
            tsym = None
            if tcells[0]:
                tm = SYMBOL_RE.match(tcells[0])
                if not tm:
                    raise InputError(path, lineno, f"{target} cell {tcells[0]!r} is not a `symbol`")
                tsym = tm.group("sym")
            ta, td, tc, tr, te = (v or None for v in tcells[1:])
            rows.append({
                "stack_id": "rocm",
                "api_family": family,
                "cuda_symbol": sm.group("sym"),
                "symbol_kind": kind,
                "api_section": section,
                "target_column": target,
                "target_library": LIBRARIES.get(family, {}).get(target, "HIP" if target == "HIP" else target),
                "target_symbol": tsym,
                "is_supported": tsym is not None and tr is None,
                "is_experimental": tsym is not None and te is not None,
                "is_deprecated": d is not None or "[DEPRECATED]" in section,
                "is_removed": r is not None or "[REMOVED]" in section,
                "nvidia_added_version": a,
                "nvidia_deprecated_version": d,
                "nvidia_changed_version": c,
                "nvidia_removed_version": r,
                "target_added_version": ta,
                "target_deprecated_version": td,
                "target_changed_version": tc,
                "target_removed_version": tr,
                "target_experimental_version": te,
                "source_repo": HIPIFY.repo,
                "source_path": upstream_path,
                "source_commit": HIPIFY.commit,
                "source_line": lineno,
                "source_url": f"{HIPIFY.blob_url(upstream_path)}#L{lineno}",
            })
    if not rows:
        raise InputError(path, None, "no symbol rows found (is this a HIPIFY docs/tables file?)")
    return rows


def read_tables(folder: Path) -> pd.DataFrame:
    """All HIPIFY tables in ``folder``, each (family, symbol, target column) once."""
    by_family: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.md")):
        fam = family_of(path.name)
        if fam:
            by_family.setdefault(fam, []).append(path)
    frames = []
    for fam, files in sorted(by_family.items()):
        parsed = [pd.DataFrame(parse_file(p, fam)) for p in files]
        parsed.sort(key=lambda df: -df["target_column"].nunique())
        taken: set[str] = set()
        for df in parsed:
            new = sorted(set(df["target_column"]) - taken)
            frames.append(df[df["target_column"].isin(new)])
            taken.update(new)
    if not frames:
        raise InputError(folder, None, "no HIPIFY table files (*_API_supported_by_*.md) found")
    out = pd.concat(frames, ignore_index=True)
    dup = out.duplicated(["api_family", "cuda_symbol", "target_library"], keep=False)
    if dup.any():
        first = out[dup].iloc[0]
        raise InputError(
            folder / Path(first["source_path"]).name, int(first["source_line"]),
            f"{first['cuda_symbol']} appears twice for {first['target_library']}",
        )
    return out.sort_values(["api_family", "target_library", "cuda_symbol"], ignore_index=True)


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.upstream / HIPIFY.local]


def summarise(df: pd.DataFrame) -> list[dict]:
    """Per (family, library, kind): supported / total, removed CUDA symbols left out of both."""
    newest = {}
    for fam, g in df.groupby("api_family"):
        versions = pd.concat([g[c] for c in ("nvidia_added_version", "nvidia_deprecated_version",
                                             "nvidia_changed_version", "nvidia_removed_version")]).dropna()
        newest[fam] = max(versions, key=version_key) if len(versions) else None
    rows = []
    for (fam, lib, kind), g in df.groupby(["api_family", "target_library", "symbol_kind"], sort=True):
        live = g[~g["is_removed"]]
        product = "cuDNN" if fam == "cudnn" else "CUDA"
        paths = sorted(set(g["source_path"]))
        rows.append({
            "stack_id": "rocm",
            "api_family": fam,
            "target_library": lib,
            "symbol_kind": kind,
            "compared_against": f"{product} <= {newest[fam]}" if newest[fam] else product,
            "sdk_version": None,
            "n_supported": int(live["is_supported"].sum()),
            "n_total": len(live),
            "coverage_share": share(int(live["is_supported"].sum()), len(live)),
            "stated_percent": None,
            "stated_percent_matches": None,
            "n_removed_excluded": int(g["is_removed"].sum()),
            "n_experimental": int(live["is_experimental"].sum()),
            "count_basis": "per-symbol table",
            "source_title": f"HIPIFY: {Path(paths[0]).stem.replace('_', ' ')}",
            "source_url": HIPIFY.blob_url(paths[0]),
            "tier": "official",
            "locator": ", ".join(paths),
            "as_of_date": HIPIFY.date,
            "note": (f"{HIPIFY.repo}@{HIPIFY.commit[:12]}; an empty {lib} cell counts as unsupported; "
                     f"CUDA symbols removed upstream are excluded ({int(g['is_removed'].sum())}); "
                     f"'compared_against' is the newest {product} version the family's table mentions"),
        })
    return rows


@importer("hipify", produces=["api_coverage", "api_coverage_summary"], inputs=_inputs)
def run(ctx: Context) -> dict[str, pd.DataFrame]:
    """HIPIFY tables: CUDA symbols and their HIP / ROC / MIOpen equivalents (ROCm/HIPIFY)."""
    df = read_tables(ctx.upstream / HIPIFY.local)
    return {
        "api_coverage": frame("api_coverage", df.to_dict("records")),
        "api_coverage_summary": frame("api_coverage_summary", summarise(df)),
    }
