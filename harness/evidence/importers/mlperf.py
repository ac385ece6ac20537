"""MLPerf Inference results joined to accelerator ids through a reviewed alias map.

Decisions:

- **The join is explicit.** ``specs/oplists/mappings/mlperf-accelerators.yaml`` maps each
  MLPerf ``Accelerator`` string to an id, or lists it as unmapped with a reason. No fuzzy
  matching: "H100-NVL" must never become H100 SXM by accident. A string in neither list is
  ``unreviewed`` (kept, with no id, and listed by ``accel evidence ls``).
- **Results are kept as published.** One row per (system, model, scenario) with its metric and
  units; no per-accelerator division (MLPerf results are system results, and scaling is not
  linear). Accelerator count per node and node count are columns, so a reader can see the size.
- ``benchmark_summary`` lists every id the dataset knows (spec files plus the mapping's
  ``report_ids``) with ``has public result`` or ``no public result`` for this round.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness import listcol
from harness.evidence.errors import InputError
from harness.evidence.frames import frame
from harness.evidence.provenance import MLPERF_V41
from harness.evidence.registry import Context, importer
from harness.evidence.yamlio import check_keys, load

MAPPING = Path("oplists") / "mappings" / "mlperf-accelerators.yaml"
ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-./")


def load_mapping(path: Path) -> dict:
    """{'round', 'mapped': {name: (id, note)}, 'unmapped': {name: reason}, 'report_ids': [...]}."""
    doc = load(path)
    check_keys(doc, {"round", "mapped", "unmapped", "report_ids"}, {"round", "mapped"}, path, "mapping")
    mapped = {}
    for name, entry in (doc.get("mapped") or {}).items():
        check_keys(entry, {"accelerator_id", "note"}, {"accelerator_id"}, path, f"mapped[{name!r}]")
        aid = entry["accelerator_id"]
        if not isinstance(aid, str) or aid.count("/") != 1 or not set(aid) <= ID_CHARS:
            raise InputError(path, entry.line, f"{aid!r} is not an accelerator id '<vendor>/<sku>'")
        mapped[str(name)] = (aid, entry.get("note"))
    unmapped = {str(k): str(v) for k, v in (doc.get("unmapped") or {}).items()}
    both = sorted(set(mapped) & set(unmapped))
    if both:
        raise InputError(path, None, f"names both mapped and unmapped: {both}")
    return {"round": str(doc["round"]), "mapped": mapped, "unmapped": unmapped,
            "report_ids": [str(i) for i in doc.get("report_ids") or []]}


def _count(v):
    if v in ("", None):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, int):
        return v
    raise ValueError(v)


def result_rows(path: Path, mapping: dict) -> list[dict]:
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(records, list):
        raise InputError(path, 1, "expected a JSON list of result records")
    need = ("ID", "Model", "Scenario", "Accelerator", "Performance_Result", "Performance_Units")
    rows, seen = [], set()
    for i, r in enumerate(records):
        missing = [k for k in need if k not in r]
        if missing:
            raise InputError(path, None, f"record {i} ({r.get('ID')}) lacks {missing}")
        rid = f"{r['ID']}/{r['Model']}/{r['Scenario']}"
        if rid in seen:
            raise InputError(path, None, f"record {i}: result {rid} appears twice")
        seen.add(rid)
        name = str(r["Accelerator"] or "")
        aid, note = mapping["mapped"].get(name, (None, None))
        status = "mapped" if aid else "unmapped" if name in mapping["unmapped"] else "unreviewed"
        try:
            per_node, nodes = _count(r.get("a#")), _count(r.get("Nodes"))
        except ValueError as exc:
            raise InputError(path, None, f"record {i} ({rid}): count {exc} is not a whole number") from None
        loc = r.get("Location")
        rows.append({
            "mlperf_result_id": rid,
            "benchmark_suite": mapping["round"],
            "mlperf_division": r.get("Category"),
            "mlperf_category": r.get("Suite"),
            "mlperf_availability": r.get("Availability"),
            "submitter": r.get("Submitter"),
            "system_name": r.get("System"),
            "accelerator_name": name or None,
            "mapped_accelerator_id": aid,
            "mapping_status": status,
            "mapping_note": note if aid else mapping["unmapped"].get(name),
            "accelerators_per_node": per_node,
            "node_count": nodes,
            "mlperf_model": r["Model"],
            "mlperf_scenario": r["Scenario"],
            "performance_result": float(r["Performance_Result"]),
            "performance_unit": r["Performance_Units"],
            "power_result": float(r["Power_Result"]) if r.get("Power_Result") is not None else None,
            "power_unit": r.get("Power_Units"),
            "software_stack": r.get("Software") or None,
            "mlperf_notes": r.get("Notes") or None,
            "source_repo": MLPERF_V41.repo,
            "source_path": MLPERF_V41.path,
            "source_commit": MLPERF_V41.commit,
            "source_url": f"https://github.com/{MLPERF_V41.repo}/tree/{MLPERF_V41.commit}/{loc}" if loc else None,
        })
    return rows


def known_ids(specs: Path, mapping: dict) -> list[str]:
    """Spec ids (specs/accelerators/<vendor>/<sku>.yaml), the mapping's report ids and targets."""
    ids = set(mapping["report_ids"]) | {aid for aid, _ in mapping["mapped"].values()}
    acc = specs / "accelerators"
    if acc.is_dir():
        ids |= {p.relative_to(acc).with_suffix("").as_posix() for p in acc.glob("*/*.yaml")}
    return sorted(ids)


def summary_rows(results: list[dict], ids: list[str], round_name: str) -> list[dict]:
    rows = []
    for aid in ids:
        mine = [r for r in results if r["mapped_accelerator_id"] == aid]
        rows.append({
            "accelerator_id": aid,
            "benchmark_suite": round_name,
            "benchmark_status": "has public result" if mine else "no public result",
            "result_count": len(mine),
            "mlperf_models": listcol.join(sorted({r["mlperf_model"] for r in mine})),
            "submitters": listcol.join(sorted({r["submitter"] for r in mine})),
            "accelerator_names": listcol.join(sorted({r["accelerator_name"] for r in mine})),
        })
    return rows


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.upstream / MLPERF_V41.local, ctx.specs / MAPPING]


@importer("mlperf", produces=["benchmark_results", "benchmark_summary"], inputs=_inputs)
def run(ctx: Context):
    """MLPerf Inference v4.1 results, joined to accelerator ids by an explicit alias map."""
    results_path, mapping_path = _inputs(ctx)
    mapping = load_mapping(mapping_path)
    rows = result_rows(results_path, mapping)
    return {
        "benchmark_results": frame("benchmark_results", rows),
        "benchmark_summary": frame("benchmark_summary",
                                   summary_rows(rows, known_ids(ctx.specs, mapping), mapping["round"])),
    }
