"""Alibaba Cloud's published CUDA-API coverage of the Zhenwu PPU SDK, recomputed from counts.

Input: ``specs/stacks/ppu-sdk-cuda-api.yaml`` (written by hand from the vendor's pages), a list of
``{sdk_version, cuda_version | baseline_library, api, total, unsupported | supported,
stated_percent, source{title, url, accessed, tier, locator}, note}`` under ``entries:``.

Decisions:

- **Counts are the evidence, shares are derived.** ``coverage_share`` is recomputed as
  supported / total; the page's own figure is kept as ``stated_percent`` and
  ``stated_percent_matches`` says whether it agrees to the precision it was printed with (the
  v1.5 pages, for one, print percentages their own counts do not give).
- The vendor counts *exported API symbols* (runtime, driver) or *APIs* (cuBLAS, cuFFT): functions,
  so the rows are ``symbol_kind = function``. There is no per-symbol list, so PPU appears only
  in ``api_coverage_summary``, never in the per-symbol ``api_coverage``.
- Each SDK release is its own ``target_library`` (``PPU SDK 2.1``) and each baseline its own
  ``compared_against`` (``CUDA 12.3``, ``CUDA 13.0``, ``cuBLAS 11.9.2``): the figures are not
  comparable across baselines and are never merged.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness.errors import InputError
from harness.readiness.registry import Context, importer
from harness.readiness.yamlio import check_keys, load

SPEC_NAME = "ppu-sdk-cuda-api.yaml"
ENTRY_KEYS = {"sdk_version", "cuda_version", "baseline_library", "api", "total", "unsupported",
              "supported", "stated_percent", "source", "note"}
SOURCE_KEYS = {"title", "url", "accessed", "tier", "locator", "publisher", "published"}
TIERS = {"official", "reported", "estimated"}


def api_family(api: str) -> str:
    """Vendor API names to the families HIPIFY uses: ``runtime`` -> ``cuda-runtime``."""
    a = str(api).strip().lower().replace("_", "-").replace(" ", "-")
    return f"cuda-{a}" if a in {"runtime", "driver"} else a


def percent_matches(stated: float, computed: float) -> bool:
    """True when ``computed`` rounds to ``stated`` at the number of decimals ``stated`` shows."""
    text = repr(float(stated))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return abs(float(stated) - computed) <= 0.5 * 10 ** (-decimals) + 1e-9


def _int(entry: dict, key: str, path: Path) -> int | None:
    v = entry.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(path, entry.line, f"{key} must be a non-negative integer, got {v!r}")
    return v


def summary_rows(path: Path) -> list[dict]:
    """One ``api_coverage_summary`` row per entry of the PPU spec file."""
    data = load(path)
    entries = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise InputError(path, getattr(data, "line", 1), "expected a non-empty list under 'entries:'")
    rows, seen = [], {}
    for e in entries:
        check_keys(e, ENTRY_KEYS, {"sdk_version", "api", "total", "source"}, path, "entry")
        check_keys(e["source"], SOURCE_KEYS, {"title", "url", "accessed", "tier"}, path, "entry source")
        line = e.line
        total, sup, unsup = _int(e, "total", path), _int(e, "supported", path), _int(e, "unsupported", path)
        if sup is None and unsup is None:
            raise InputError(path, line, "entry needs 'supported' or 'unsupported' (a count)")
        if sup is not None and unsup is not None and sup + unsup != total:
            raise InputError(path, line, f"supported {sup} + unsupported {unsup} != total {total}")
        supported = sup if sup is not None else total - unsup
        if not total or supported > total or supported < 0:
            raise InputError(path, line, f"counts do not fit: total {total}, supported {supported}")
        if e.get("cuda_version") is not None:
            against = f"CUDA {e['cuda_version']}"
        elif e.get("baseline_library"):
            against = str(e["baseline_library"])
        else:
            raise InputError(path, line,
                             "entry needs 'cuda_version' or 'baseline_library' (what it is measured against)")
        src = e["source"]
        if src["tier"] not in TIERS:
            raise InputError(path, src.line, f"tier {src['tier']!r} is not one of {sorted(TIERS)}")
        computed = round(100.0 * supported / total, 4)
        stated = e.get("stated_percent")
        if stated is not None and (isinstance(stated, bool) or not isinstance(stated, (int, float))):
            raise InputError(path, line, f"stated_percent must be a number, got {stated!r}")
        row = {
            "stack_id": "ppu-sdk",
            "api_family": api_family(e["api"]),
            "target_library": f"PPU SDK {e['sdk_version']}",
            "symbol_kind": "function",
            "compared_against": against,
            "sdk_version": str(e["sdk_version"]),
            "n_supported": supported,
            "n_total": total,
            "coverage_share": supported / total,
            "stated_percent": float(stated) if stated is not None else None,
            "stated_percent_matches": percent_matches(stated, computed) if stated is not None else None,
            "n_removed_excluded": None,
            "n_experimental": None,
            "count_basis": "vendor-stated counts",
            "source_title": str(src["title"]),
            "source_url": str(src["url"]),
            "tier": src["tier"],
            "locator": src.get("locator"),
            "as_of_date": str(src["accessed"]),
            "note": e.get("note"),
        }
        key = (row["api_family"], row["target_library"], row["compared_against"])
        if key in seen:
            raise InputError(path, line, f"duplicate entry for {key} (first at line {seen[key]})")
        seen[key] = line
        rows.append(row)
    return rows


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.specs / "stacks" / SPEC_NAME]


@importer("ppu", produces=["api_coverage_summary"], inputs=_inputs)
def run(ctx: Context):
    """Zhenwu PPU SDK CUDA-API coverage counts from specs/stacks/ppu-sdk-cuda-api.yaml."""
    from harness.readiness.frames import frame

    return {"api_coverage_summary": frame("api_coverage_summary", summary_rows(_inputs(ctx)[0]))}
