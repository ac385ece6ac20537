"""triton-ascend's per-API dtype tables: Triton language API x dtype, GPU vs Ascend A2/A3.

Each page ``docs/zh/triton_api/<Category>/<op>.md`` (saved as ``<Category>__<op>.md``) has a
"DataType 支持" table: a header row of dtypes and one row per platform with √/× marks.

Decisions:

- A dtype table is any markdown table whose header names at least three known dtypes; its rows
  run until the first line without a pipe. The pages are hand-written and vary (a missing
  leading pipe, ``✓`` for ``√``, ``x`` for ``×``, ``float16`` for ``fp16``, a fifteen-dtype variant
  with fp8): all are normalised here, and anything else is an `InputError` with file:line.
- Marks: √ ✓ ✔ = supported; × ✗ ✘ x = unsupported; ``-`` and ``N/A`` = not applicable (the API
  takes no tensor of that dtype, or, for Ascend-only extension APIs, does not exist on GPU);
  an empty cell = unknown. Not-applicable and unknown cells stay out of every denominator.
- Platform rows: anything starting ``GPU`` is the upstream-Triton GPU column as triton-ascend's
  authors state it (not NVIDIA's own statement); ``Ascend A2/A3``, ``Ascend A2A3系列`` and the
  single ``Ascend 910系列`` row are ``ascend-a2-a3`` (the printed label is kept).
- Pages without a dtype table (``jit``, ``autotune``, category indexes, ``sync_block``) are not
  APIs with dtype evidence and produce no rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from harness.readiness.errors import InputError, is_separator, split_row
from harness.readiness.frames import frame, share
from harness.readiness.provenance import TRITON_ASCEND
from harness.readiness.registry import Context, importer

DTYPES = {
    "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "fp16": "fp16", "float16": "fp16", "fp32": "fp32", "float32": "fp32",
    "fp64": "fp64", "float64": "fp64", "bf16": "bf16", "bfloat16": "bf16",
    "bool": "bool", "bool/int1": "bool", "int1": "bool",
    "float8e4": "fp8e4", "fp8e4": "fp8e4", "float8e5": "fp8e5", "fp8e5": "fp8e5",
}
MARKS = {
    "√": "supported", "✓": "supported", "✔": "supported",
    "×": "unsupported", "✗": "unsupported", "✘": "unsupported", "x": "unsupported", "X": "unsupported",
    "-": "not-applicable", "N/A": "not-applicable", "n/a": "not-applicable",
    "": "unknown",
}
# Known defects in the upstream pages, each with the reason it cannot be read unambiguously. A page
# listed here is left out only while it still fails to parse; the table summary names it.
QUIRKS = {
    "Creation_Ops__arange.md": "both platform rows carry 13 marks under 12 dtype columns, so which "
                               "mark belongs to which dtype is ambiguous",
}
TITLE_RE = re.compile(r"^#\s+(?P<name>triton[\w.]*)\s*$")


def platform_of(label: str) -> str | None:
    s = label.replace(" ", "")
    if s.upper().startswith("GPU"):
        return "gpu"
    if s.startswith("Ascend"):
        return "ascend-a2-a3"
    return None


def parse_page(path: Path) -> list[dict]:
    """The dtype-table cells of one saved page, one dict per (platform, dtype)."""
    category, _, op = path.stem.partition("__")
    lines = path.read_text(encoding="utf-8").splitlines()
    m = TITLE_RE.match(lines[0]) if lines else None
    api = m.group("name") if m else op
    upstream_path = TRITON_ASCEND.path.format(category=category, op=op)
    rows, dtypes, header_line = [], None, 0
    for lineno, text in enumerate(lines, 1):
        if "|" not in text:
            dtypes = None
            continue
        cells = split_row(text)
        known = [c for c in cells[1:] if c in DTYPES]
        if len(known) >= 3:
            unknown = [c for c in cells[1:] if c not in DTYPES]
            if unknown:
                raise InputError(path, lineno, f"unknown dtype column(s) {unknown} in a dtype table")
            dtypes, header_line = [DTYPES[c] for c in cells[1:]], lineno
            continue
        if dtypes is None or is_separator(cells):
            continue
        platform = platform_of(cells[0])
        if platform is None:
            raise InputError(path, lineno,
                             f"unknown platform row {cells[0]!r} in the dtype table at line {header_line}")
        if len(cells) - 1 != len(dtypes):
            raise InputError(path, lineno,
                             f"{len(cells) - 1} marks for {len(dtypes)} dtypes (header line {header_line})")
        for dtype, mark in zip(dtypes, cells[1:], strict=True):
            if mark not in MARKS:
                raise InputError(path, lineno, f"unknown support mark {mark!r} for {dtype}")
            rows.append({
                "triton_api": api, "api_category": category, "triton_dtype": dtype,
                "triton_platform": platform, "platform_printed": cells[0], "support_state": MARKS[mark],
                "source_repo": TRITON_ASCEND.repo, "source_path": upstream_path,
                "source_commit": TRITON_ASCEND.commit, "source_line": lineno,
            })
    return rows


def read_pages(folder: Path, skipped: dict[str, str] | None = None) -> pd.DataFrame:
    """Every page's dtype cells; pages in `QUIRKS` that still fail go to ``skipped`` with the reason."""
    rows = []
    for p in sorted(folder.glob("*.md")):
        try:
            rows.extend(parse_page(p))
        except InputError as exc:
            if p.name not in QUIRKS:
                raise
            if skipped is not None:
                skipped[p.name] = f"{QUIRKS[p.name]} ({exc})"
    if not rows:
        raise InputError(folder, None, "no dtype tables found in any page")
    df = pd.DataFrame(rows)
    key = ["triton_api", "triton_dtype", "triton_platform"]
    df = df.drop_duplicates(key + ["support_state"])
    clash = df[df.duplicated(key, keep=False)]
    if len(clash):
        r = clash.iloc[0]
        raise InputError(folder / f"{r['api_category']}__{Path(r['source_path']).stem}.md", int(r["source_line"]),
                         f"{r['triton_api']} {r['triton_dtype']} on {r['triton_platform']} is marked two ways")
    return df.sort_values(key, ignore_index=True)


def summarise(df: pd.DataFrame, skipped: dict[str, str] | None = None) -> list[dict]:
    """Per platform: supported / known cells, and for Ascend the share of GPU-supported cells kept."""
    known = df[df["support_state"].isin(["supported", "unsupported"])]
    wide = known.pivot_table(index=["triton_api", "triton_dtype"], columns="triton_platform",
                             values="support_state", aggfunc="first")
    rows = []
    for platform, g in known.groupby("triton_platform", sort=True):
        sup = int((g["support_state"] == "supported").sum())
        row = {
            "triton_platform": platform, "n_apis": int(g["triton_api"].nunique()),
            "n_supported": sup, "n_total": len(g), "coverage_share": share(sup, len(g)),
            "n_gpu_parity_supported": None, "n_gpu_parity_total": None, "gpu_parity_share": None,
            "source_repo": TRITON_ASCEND.repo, "source_commit": TRITON_ASCEND.commit,
            "as_of_date": TRITON_ASCEND.date,
            "note": "cells = API x dtype with a √/× mark; '-', N/A and empty cells excluded"
                    + "".join(f"; page {k} not imported: {v.split(' (')[0]}"
                              for k, v in sorted((skipped or {}).items())),
        }
        if platform != "gpu" and "gpu" in wide.columns and platform in wide.columns:
            both = wide[(wide["gpu"] == "supported") & wide[platform].notna()]
            par = int((both[platform] == "supported").sum())
            row.update(n_gpu_parity_supported=par, n_gpu_parity_total=len(both),
                       gpu_parity_share=share(par, len(both)))
        rows.append(row)
    return rows


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.upstream / TRITON_ASCEND.local]


@importer("triton_ascend", produces=["triton_coverage", "triton_coverage_summary"], inputs=_inputs)
def run(ctx: Context):
    """triton-ascend API pages: Triton language API x dtype support, GPU vs Ascend A2/A3."""
    skipped: dict[str, str] = {}
    df = read_pages(_inputs(ctx)[0], skipped)
    return {
        "triton_coverage": frame("triton_coverage", df.to_dict("records")),
        "triton_coverage_summary": frame("triton_coverage_summary", summarise(df, skipped)),
    }
