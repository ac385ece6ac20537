"""Serving-engine features per hardware: vLLM's published "Feature x Hardware" matrix.

Input: ``specs/upstream/vllm/features_README.md`` (vLLM's ``docs/features/README.md``, provenance
in ``specs/upstream/PROVENANCE.yaml``). Only the table under the ``### Feature x Hardware`` heading
is read; the "Feature x Feature" table above it is about features, not hardware.

Decisions:

- **One row per (feature, hardware column)**, the column kept as printed (``Volta`` ... ``Hopper``,
  ``CPU``, ``AMD``, ``Intel GPU``) and joined to a stack id by a reviewed map (``HARDWARE``):
  the five NVIDIA architectures are ``cuda``, ``AMD`` is ``rocm``, ``Intel GPU`` is ``xpu`` (the
  op-coverage id of Intel's stack), ``CPU`` is ``cpu``. A column not in the map is an
  `InputError`, so a new upstream column is reviewed before it is counted.
- **Features by a reviewed map** (``FEATURES``): the printed name with its link or ``<abbr>``
  markup removed (``[CP](...)`` -> ``CP`` -> ``chunked_prefill``); an unknown name is an error.
- **Status in the file's own legend**: ✅ full compatibility (``supported``), 🟠 partial
  (``partial``), ❌ none (``not-supported``), ❔ unknown or TBD (``unknown``); a mark written as a
  link keeps the link as ``tracking_url`` (the upstream issue for that gap). Any other cell is an
  error.
- Everything is ``readiness_tier = declared``: the engine's documentation, not a measurement.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.readiness.errors import InputError, is_separator, split_row
from harness.readiness.frames import frame
from harness.readiness.registry import Context, importer
from harness.upstream import for_file

LOCAL = "vllm/features_README.md"
ENGINE = "vllm"
TABLE_HEADING = "### Feature x Hardware"
HARDWARE = {"Volta": "cuda", "Turing": "cuda", "Ampere": "cuda", "Ada": "cuda", "Hopper": "cuda",
            "CPU": "cpu", "AMD": "rocm", "Intel GPU": "xpu"}
FEATURES = {"CP": "chunked_prefill", "APC": "automatic_prefix_cache", "LoRA": "lora",
            "SD": "speculative_decoding", "CUDA graph": "cuda_graph", "pooling": "pooling",
            "enc-dec": "encoder_decoder", "mm": "multimodal_inputs", "prompt-embeds": "prompt_embeds",
            "logP": "logprobs", "prmpt logP": "prompt_logprobs", "async output": "async_output",
            "multi-step": "multi_step", "best-of": "best_of", "beam-search": "beam_search"}
MARKS = {"✅": "supported", "🟠": "partial", "❌": "not-supported", "❔": "unknown"}
_LINK = re.compile(r"^\[(.*?)\]\((.*?)\)(.*)$")
_ABBR = re.compile(r"^<abbr title=\"[^\"]*\">(.*?)</abbr>$")


def _plain(cell: str) -> tuple[str, str | None]:
    """(text, link) of a cell: ``[x](url)`` -> (x, url); ``<abbr ...>x</abbr>`` -> (x, None)."""
    m = _LINK.match(cell)
    if m:
        if m.group(3).strip():
            raise ValueError(f"text after the link: {m.group(3)!r}")
        cell, link = m.group(1), m.group(2)
    else:
        link = None
    a = _ABBR.match(cell)
    return (a.group(1) if a else cell).strip(), link


def parse(path: Path) -> list[dict]:
    """Every cell of the Feature x Hardware table: {line, feature_printed, hardware, mark, link}."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    try:
        start = next(n for n, line in enumerate(lines) if line.strip() == TABLE_HEADING)
    except StopIteration:
        raise InputError(path, None, f"no {TABLE_HEADING!r} heading") from None
    header, out = None, []
    for n in range(start + 1, len(lines)):
        text = lines[n].strip()
        if not text.startswith("|"):
            if header is not None:
                break  # the table ended
            continue
        cells = split_row(text)
        if header is None:
            if cells[0] != "Feature":
                raise InputError(path, n + 1, f"table starts with {cells[0]!r}, expected 'Feature'")
            unknown = [c for c in cells[1:] if c not in HARDWARE]
            if unknown:
                raise InputError(path, n + 1, f"unknown hardware column {unknown[0]!r} (reviewed: {', '.join(HARDWARE)})")
            header = cells
            continue
        if is_separator(cells):
            continue
        if len(cells) != len(header):
            raise InputError(path, n + 1, f"row has {len(cells)} cells, the header {len(header)}")
        try:
            feature, _ = _plain(cells[0])
        except ValueError as exc:
            raise InputError(path, n + 1, f"feature cell {cells[0]!r}: {exc}") from None
        if feature not in FEATURES:
            raise InputError(path, n + 1, f"unknown feature {feature!r} (reviewed: {', '.join(FEATURES)})")
        for col, cell in zip(header[1:], cells[1:], strict=True):
            try:
                mark, link = _plain(cell)
            except ValueError as exc:
                raise InputError(path, n + 1, f"column {col!r}: {exc}") from None
            if mark not in MARKS:
                raise InputError(path, n + 1, f"column {col!r}: {cell!r} is not a legend mark "
                                              f"({' '.join(MARKS)})")
            out.append({"line": n + 1, "feature_printed": feature, "hardware": col, "mark": mark, "link": link})
    if header is None:
        raise InputError(path, start + 1, f"no table under {TABLE_HEADING!r}")
    return out


def feature_rows(path: Path) -> list[dict]:
    src = for_file(LOCAL)
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for c in parse(path):
        key = (c["feature_printed"], c["hardware"])
        if key in seen:
            raise InputError(path, c["line"], f"feature {key[0]!r} is listed twice (line {seen[key]})")
        seen[key] = c["line"]
        rows.append({
            "stack_id": HARDWARE[c["hardware"]],
            "inference_engine": ENGINE,
            "hardware_column": c["hardware"],
            "engine_feature": FEATURES[c["feature_printed"]],
            "feature_printed": c["feature_printed"],
            "engine_feature_status": MARKS[c["mark"]],
            "status_printed": c["mark"],
            "tracking_url": c["link"],
            "readiness_tier": "declared",
            "source_repo": src.repo,
            "source_path": src.path,
            "source_commit": src.commit,
            "source_url": src.blob_url(),
            "source_line": c["line"],
            "locator": f"{TABLE_HEADING.lstrip('# ')}, row '{c['feature_printed']}', column '{c['hardware']}'",
        })
    return rows


@importer("engine_features", produces=["engine_features"], inputs=lambda ctx: [ctx.upstream / LOCAL])
def run(ctx: Context):
    """vLLM's Feature x Hardware matrix: engine features per hardware column, joined to stacks."""
    return {"engine_features": frame("engine_features", feature_rows(ctx.upstream / LOCAL))}
