"""Model-level readiness: published model-support matrices of serving engines, one row per cell.

Input: the ``supported_models.md`` of vllm-ascend (``specs/upstream/ascend/``) and of vLLM Kunlun
(``specs/upstream/kunlun/``), and SGLang's "Support Models on Ascend NPU"
(``specs/upstream/sglang/``), provenance in ``specs/upstream/PROVENANCE.yaml``; another engine's
list in the same markdown form is one more entry in ``MATRICES`` plus its copied file.

The file's structure, read as it is: headings (``##`` modality, ``###`` generative / pooling,
``####`` core / extended), MkDocs tabs (``=== "A2/A3"``) whose tables are indented, and markdown
tables whose first column is ``Model`` and whose other columns are a ``Support`` mark, marks per
feature (BF16, W8A8, chunked prefill, ..., tensor / pipeline / expert / data parallel) and
printed attributes (Note, Supported Hardware, max-model-len, Doc). Tables differ in columns: the
extended lists have only Support, Note and Supported Hardware.

Decisions:

- **One row per (table, model, mark column)**: ``model_feature`` is ``model`` for the Support
  column, else the feature the column is about. Columns are named by a reviewed map
  (``COLUMNS``); a header not in it is an `InputError`, never skipped, so a new upstream column
  is reviewed before it is counted.
- **Status in the file's own legend**: ✅ supported, 🔵 experimental, ❌ not-supported,
  🟡 untested ("not tested or verified"); a blank cell is ``unknown`` (kept, so a reader sees
  the matrix said nothing, never read as unsupported). Any other text in a mark cell is an error.
- **Families by a reviewed map, not a rule**: ``specs/oplists/mappings/model-families.yaml`` lists
  each printed model name under one family, or as unassigned with the reason (a row that names
  two families, a name that does not say whose model it is). Prefix rules would be wrong for
  ``QwQ``/``QVQ`` (Qwen), ``Mllama`` (Llama 3.2 Vision) and ``DeepSeek Distill (Qwen/Llama)``. A name
  in neither list gets no family and ``mapping_status = unreviewed``.
- **Hardware columns** (SGLang's ``A2 Supported`` / ``A3 Supported``): each is the model's own
  support on that product line, so the row's feature is ``model`` and the column's product line
  goes to ``hardware_tab`` (``A2``, ``A3``), as a tab would. Marks written with markup
  (``**<span style="color: green;">√</span>**``) are read without it; ``√`` is SGLang's
  "supported". The matrix's own "Model Family" column is not used: families come from the
  reviewed map, as for every engine.
- Everything is ``readiness_tier = declared``: the matrix is the project's statement, not a
  measurement. ``hardware_tab`` and ``supported_hardware`` are kept as printed (no mapping to
  accelerator ids: ``A2/A3`` names product lines, not SKUs).
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.readiness.errors import InputError, is_separator, split_row
from harness.readiness.frames import frame
from harness.readiness.registry import Context, importer
from harness.readiness.yamlio import check_keys, load
from harness.upstream import for_file

FAMILIES = Path("oplists") / "mappings" / "model-families.yaml"
# local file under specs/upstream/ -> (stack id in specs/stacks/, inference engine)
MATRICES = {"ascend/vllm_ascend_supported_models.md": ("cann", "vllm-ascend"),
            "kunlun/vllm_kunlun_supported_models.md": ("kunlun-xpu", "vllm-kunlun"),
            "sglang/ascend_npu_support_models.md": ("cann", "sglang")}

MARKS = {"✅": "supported", "🔵": "experimental", "❌": "not-supported", "🟡": "untested", "√": "supported",
         "": "unknown"}
# headers printed two ways for the same column
HEADER_ALIASES = {"Models": "Model"}
# a column that is the model's own support on one product line -> that line (the row's hardware_tab)
HARDWARE_COLUMNS = {"A2 Supported": "A2", "A3 Supported": "A3"}
_MARKUP = re.compile(r"</?span[^>]*>|\*\*")
# header as printed -> mark feature, or one of the printed attributes
COLUMNS = {
    "Model": "@model", "Note": "@note", "Supported Hardware": "@hardware", "max-model-len": "@max_len",
    "Doc": "@doc", "Model Family": "@family_printed", "Model Family (Variants)": "@family_printed",
    "Support": "model", "A2 Supported": "model", "A3 Supported": "model", "BF16": "bf16", "W8A8": "w8a8", "Chunked Prefill": "chunked_prefill",
    "Automatic Prefix Cache": "automatic_prefix_cache", "LoRA": "lora",
    "Speculative Decoding": "speculative_decoding", "Async Scheduling": "async_scheduling",
    "Tensor Parallel": "tensor_parallel", "Pipeline Parallel": "pipeline_parallel",
    "Expert Parallel": "expert_parallel", "Data Parallel": "data_parallel",
    "Prefill-decode Disaggregation": "prefill_decode_disaggregation",
    "Piecewise AclGraph": "piecewise_aclgraph", "Fullgraph AclGraph": "fullgraph_aclgraph",
    "MLP Weight Prefetch": "mlp_weight_prefetch", "Piecewise Kunlun Graph": "piecewise_kunlun_graph",
}
# Rows upstream prints with a cell missing, reviewed one by one: (section, tab, model) -> (the
# column whose cell is missing, why we read it so). Any other short or long row is an error.
SHORT_ROWS = {
    ("Text-Only Language Models > Pooling Models", "A2/A3", "Qwen2.5-Math-RM-72B"): (
        "W8A8", "the row has 5 cells for 6 columns: 'A2' is its Supported Hardware and its last cell "
                "the Doc link, so the W8A8 cell is the one left out; read as blank"),
}
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
TAB = re.compile(r'^===\s+"(.*)"\s*$')


def load_families(path: Path) -> dict:
    """{'family': {name: family}, 'unassigned': {name: reason}}; a name listed twice is an error."""
    doc = load(path)
    check_keys(doc, {"families", "unassigned"}, {"families"}, path, "model families")
    family: dict[str, str] = {}
    for fam, names in (doc.get("families") or {}).items():
        if not isinstance(names, list):
            raise InputError(path, doc["families"].line, f"family {fam!r}: expected a list of model names")
        for name in names:
            if str(name) in family:
                raise InputError(path, _line_of(path, name), f"{name!r} is under {family[str(name)]!r} and {fam!r}")
            family[str(name)] = str(fam)
    unassigned = {str(k): str(v) for k, v in (doc.get("unassigned") or {}).items()}
    for name in sorted(set(family) & set(unassigned)):
        raise InputError(path, _line_of(path, name, last=True),
                         f"{name!r} is both under family {family[name]!r} and unassigned")
    return {"family": family, "unassigned": unassigned}


def _line_of(path: Path, name: str, last: bool = False) -> int | None:
    """Line of the (first or last) quoted occurrence of ``name`` in the map, for messages."""
    hits = [n for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1)
            if f'"{name}"' in line or f"'{name}'" in line or line.strip() in (f"- {name}", f"{name}:")]
    return (hits[-1] if last else hits[0]) if hits else None


def parse(path: Path) -> list[dict]:
    """Every table row of the matrix: {section, tab, line, cells: {column: text}}."""
    headings: dict[int, str] = {}
    tab = None
    header: list[str] | None = None
    rows = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for n, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text.startswith("|"):
            header = None
            h = HEADING.match(raw)
            if h:
                level = len(h.group(1))
                headings = {k: v for k, v in headings.items() if k < level}
                headings[level] = h.group(2)
                tab = None
            elif TAB.match(raw):
                tab = TAB.match(raw).group(1)
            elif text and not raw.startswith(" ") and tab is not None and not text.startswith("<"):
                tab = None  # unindented prose closes a tab
            continue
        cells = split_row(text)
        if header is None:
            cells = [HEADER_ALIASES.get(c, c) for c in cells]
            if not raw.startswith("    "):
                tab = None
            unknown = [c for c in cells if c not in COLUMNS]
            if unknown:
                raise InputError(path, n, f"unknown column {unknown[0]!r} (reviewed columns: {', '.join(COLUMNS)})")
            if "Model" not in cells:
                raise InputError(path, n, "table has no Model column")
            if n >= len(lines) or not is_separator(split_row(lines[n].strip())):
                raise InputError(path, n + 1, "table header is not followed by a separator row")
            header = cells
            continue
        if is_separator(cells):
            continue
        section = " > ".join(v for k, v in sorted(headings.items()) if k > 1)
        fix = SHORT_ROWS.get((section, tab, cells[0] if cells else ""))
        if fix and len(cells) == len(header) - 1:
            cells.insert(header.index(fix[0]), "")
        elif len(cells) != len(header):
            raise InputError(path, n, f"row has {len(cells)} cells, the header {len(header)}")
        row = dict(zip(header, cells, strict=True))
        if not row["Model"]:
            raise InputError(path, n, "row has no model name")
        rows.append({"section": section, "tab": tab, "line": n, "cells": row, "fix": fix})
    return rows


def support_rows(path: Path, local: str, families: dict) -> list[dict]:
    """``model_support`` rows of one matrix file (``local``: its name under specs/upstream/)."""
    stack_id, engine = MATRICES[local]
    src = for_file(local)
    out, seen = [], {}
    for r in parse(path):
        cells, name = r["cells"], r["cells"]["Model"]
        key = (r["section"], r["tab"], name)
        if key in seen:
            raise InputError(path, r["line"], f"{name!r} is listed twice in one table (line {seen[key]})")
        seen[key] = r["line"]
        fam = families["family"].get(name)
        status = "mapped" if fam else "unmapped" if name in families["unassigned"] else "unreviewed"
        fix = r["fix"]
        where = f"{r['section']}" + (f" > tab '{r['tab']}'" if r["tab"] else "") + f", row '{name}'"
        for col, printed in cells.items():
            feature = COLUMNS[col]
            if feature.startswith("@"):
                continue
            text = _MARKUP.sub("", printed).strip()
            if text not in MARKS:
                legend = " ".join(m for m in MARKS if m)
                raise InputError(path, r["line"], f"column {col!r}: {printed!r} is not a legend mark ({legend} or blank)")
            out.append({
                "stack_id": stack_id,
                "inference_engine": engine,
                "model_name": name,
                "model_family": fam,
                "mapping_status": status,
                "mapping_note": families["unassigned"].get(name),
                "model_section": r["section"],
                "hardware_tab": HARDWARE_COLUMNS.get(col, r["tab"]),
                "model_feature": feature,
                "model_support_status": MARKS[text],
                "status_printed": printed or None,
                "supported_hardware": cells.get("Supported Hardware") or None,
                "max_model_len_printed": cells.get("max-model-len") or None,
                "note_printed": cells.get("Note") or None,
                "readiness_tier": "declared",
                "source_repo": src.repo,
                "source_path": src.path,
                "source_commit": src.commit,
                "source_url": src.blob_url(),
                "source_line": r["line"],
                "locator": f"{where}, column '{col}'" + (f" ({fix[1]})" if fix and fix[0] == col else ""),
            })
    return out


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.specs / FAMILIES] + [ctx.upstream / local for local in MATRICES]


@importer("model_support", produces=["model_support"], inputs=_inputs)
def run(ctx: Context):
    """Serving engines' published model-support matrices (vllm-ascend, vLLM Kunlun, SGLang on Ascend), per model, family and feature."""
    families = load_families(ctx.specs / FAMILIES)
    rows = [row for local in MATRICES for row in support_rows(ctx.upstream / local, local, families)]
    return {"model_support": frame("model_support", rows)}
