"""MLPerf Inference results of every round in the repository, joined to accelerator ids through
reviewed alias maps.

Decisions:

- **One alias map per round** (``specs/oplists/mappings/mlperf-inference-v<round>.yaml``, found by
  listing the folder; each names its round and its results file under ``specs/upstream/``). A
  published round never changes, so its map is reviewed once against exactly that file (a test
  checks that every name in the file is listed and every listed name occurs) and stays as
  reviewed when the next round arrives; adding a round is one results file, its provenance entry
  and one map, no code. The cost, a spelling that occurs in two rounds being listed twice, is
  checked: a test fails when two rounds map the same spelling to different ids.
- **The join is explicit.** A map lists each published accelerator name as mapped to an id (with
  a note where a reader should know something) or as unmapped with the reason (no spec file,
  ambiguous, heterogeneous system). No fuzzy matching: "H100-NVL" must never become H100 SXM by
  accident. A name in neither list is ``unreviewed``: kept, with no id (``unreviewed()`` lists
  them for ``accel coverage ls``). A name both mapped and unmapped is an error at its line.
- **Results are kept as published.** One row per (system, model, scenario), with the metric, unit,
  model and scenario spelled as the submitter did (v6.1 has ``offline`` beside ``Offline``); no
  per-accelerator division (MLPerf results are system results, and scaling is not linear).
  Accelerators per node and node count are columns (v6.1's ``total_accelerators`` always equals
  their product, so it is not repeated); v6.1 CPU-only systems publish 0 accelerators per node,
  v4.1's publish nothing (null).
- **Two summary formats.** v4.1's ``summary_results.json`` is a list of records with an MLPerf
  ``ID`` per system; v6.1's ``summary.json`` is an object keyed by row number with other field
  names and no ID, so its result id is built from ``Location`` (division, submitter, platform,
  model, scenario), which is unique. The reader is chosen by the file's shape; each checks the
  fields it needs and reports a malformed record at its line.
- ``benchmark_summary`` has one row per (accelerator id, round) for every id with a spec file
  (and any ``report_ids`` a map adds): ``has public result`` with the count, or ``no public
  result``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from harness import listcol
from harness.readiness.errors import InputError
from harness.readiness.frames import frame
from harness.readiness.registry import Context, importer
from harness.readiness.yamlio import check_keys, load, mapped_accelerators
from harness.upstream import for_file

MAPPINGS = Path("oplists") / "mappings"
MAP_GLOB = "mlperf-inference-v*.yaml"
# The v4.1 map, which `accel coverage ls` (harness/commands/coverage.py) reads; `unreviewed()`
# covers every round.
MAPPING = MAPPINGS / "mlperf-inference-v4.1.yaml"
ROUND = re.compile(r"^v\d+\.\d+$")
V6_LOCATION = re.compile(r"^\./(closed|open)/([^/]+)/results/([^/]+)/([^/]+)/([^/]+)/performance/run_\d+$")


def _key_line(path: Path, section: str, name: str) -> int | None:
    """Line of key ``name`` under top-level ``section:`` of a map (for error messages)."""
    current = None
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line and not line[0].isspace() and not line.startswith("#"):
            current = line.split(":", 1)[0].strip()
            continue
        if current == section:
            key = line.strip()
            for q in ('"', "'"):
                if key.startswith(q) and key[1:].startswith(f"{name}{q}:"):
                    return n
            if key.startswith(f"{name}:"):
                return n
    return None


def load_mapping(path: Path) -> dict:
    """{'round', 'benchmark_suite', 'results', 'mapped': {name: (id, note)},
    'unmapped': {name: reason}, 'report_ids': [...]}."""
    doc = load(path)
    check_keys(doc, {"round", "benchmark_suite", "results", "mapped", "unmapped", "report_ids"},
               {"round", "benchmark_suite", "results", "mapped"}, path, "mapping")
    if not ROUND.match(str(doc["round"])):
        raise InputError(path, doc.line, f"round {doc['round']!r} is not like 'v6.1'")
    mapped = mapped_accelerators(doc, path)
    unmapped = {str(k): str(v) for k, v in (doc.get("unmapped") or {}).items()}
    for name in sorted(set(mapped) & set(unmapped)):
        raise InputError(path, _key_line(path, "unmapped", name),
                         f"{name!r} is both mapped (line {_key_line(path, 'mapped', name)}) and unmapped")
    return {"round": str(doc["round"]), "benchmark_suite": str(doc["benchmark_suite"]),
            "results": str(doc["results"]), "mapped": mapped, "unmapped": unmapped,
            "report_ids": [str(i) for i in doc.get("report_ids") or []]}


def mapping_paths(specs: Path) -> list[Path]:
    return sorted((Path(specs) / MAPPINGS).glob(MAP_GLOB))


class _Bad(Exception):
    """A record field that cannot be read; becomes an `InputError` at the record's line."""


def _count(v):
    if v in ("", None):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    raise _Bad(f"count {v!r} is not a whole number")


def _number(v) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _Bad(f"result {v!r} is not a number")
    return float(v)


def _element_line(text: str, index: int) -> int | None:
    """1-based line where element ``index`` of the top-level JSON list or object starts."""
    dec, i = json.JSONDecoder(), 0
    ws = re.compile(r"[\s,]*")
    i = ws.match(text, 0).end() + 1  # past '[' or '{'
    is_obj = text.lstrip()[0] == "{"
    for n in range(index + 1):
        i = ws.match(text, i).end()
        if is_obj:
            _, i = dec.raw_decode(text, i)
            i = re.compile(r"\s*:\s*").match(text, i).end()
        if n == index:
            return text.count("\n", 0, i) + 1
        _, i = dec.raw_decode(text, i)
    return None


class _Reader:
    """The records of one summary file, each as (locator, index, record)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.text = self.path.read_text(encoding="utf-8")
        try:
            data = json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise InputError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
        if isinstance(data, list):
            self.shape, self.records = "list", [(f"record {i}", r) for i, r in enumerate(data)]
        elif isinstance(data, dict):
            self.shape, self.records = "object", [(f'record "{k}"', r) for k, r in data.items()]
        else:
            raise InputError(path, 1, "expected a JSON list or object of result records")

    def error(self, index: int, message: str) -> InputError:
        return InputError(self.path, _element_line(self.text, index), f"{self.records[index][0]}: {message}")


def _v41_fields(r: dict) -> dict:
    """A v4.1 ``summary_results.json`` record (list shape)."""
    loc = r.get("Location")
    return {"id": f"{r['ID']}/{r['Model']}/{r['Scenario']}", "locator_id": r["ID"], "division": r.get("Category"),
            "category": r.get("Suite"), "availability": r.get("Availability"), "submitter": r.get("Submitter"),
            "system": r.get("System"), "accelerator": r["Accelerator"], "per_node": r.get("a#"),
            "nodes": r.get("Nodes"), "model": r["Model"], "scenario": r["Scenario"],
            "result": r["Performance_Result"], "unit": r["Performance_Units"], "power": r.get("Power_Result"),
            "power_unit": r.get("Power_Units"), "software": r.get("Software"), "notes": r.get("Notes"),
            "inferred": r.get("inferred"), "version": r.get("version"), "location": loc}


V41_NEED = ("ID", "Model", "Scenario", "Accelerator", "Performance_Result", "Performance_Units")
V61_NEED = ("Organization", "Division", "SystemType", "Availability", "SystemName", "Model", "Scenario",
            "Result", "Units", "number_of_nodes", "accelerator_model_name", "accelerators_per_node",
            "Location", "version")


def _v61_fields(r: dict) -> dict:
    """A v6.1 ``summary.json`` record (object shape); the id comes from ``Location``."""
    m = V6_LOCATION.match(str(r["Location"]))
    if not m:
        raise _Bad(f"Location {r['Location']!r} is not ./<division>/<submitter>/results/<platform>/"
                         "<model>/<scenario>/performance/run_<n>")
    div, org, platform, model, scenario = m.groups()
    if (div, model, scenario) != (r["Division"], r["Model"], r["Scenario"]):
        raise _Bad(f"Location {r['Location']!r} disagrees with Division/Model/Scenario "
                         f"{r['Division']!r}/{r['Model']!r}/{r['Scenario']!r}")
    return {"id": f"{r['version']}/{div}/{org}/{platform}/{model}/{scenario}", "locator_id": None,
            "division": r["Division"], "category": r["SystemType"], "availability": r["Availability"],
            "submitter": r["Organization"], "system": r["SystemName"], "accelerator": r["accelerator_model_name"],
            "per_node": r["accelerators_per_node"], "nodes": r["number_of_nodes"], "model": r["Model"],
            "scenario": r["Scenario"], "result": r["Result"], "unit": r["Units"], "power": None,
            "power_unit": None, "software": r.get("framework"), "notes": r.get("notes"),
            "inferred": r.get("inferred"), "version": r["version"], "location": str(r["Location"])[2:]}


def result_rows(path: Path, mapping: dict) -> list[dict]:
    """One ``benchmark_results`` row per published result of ``path`` (the map's round)."""
    reader = _Reader(path)
    need, fields = (V41_NEED, _v41_fields) if reader.shape == "list" else (V61_NEED, _v61_fields)
    src = for_file(mapping["results"])
    rows, seen = [], set()
    for i, (where, r) in enumerate(reader.records):
        if not isinstance(r, dict):
            raise reader.error(i, "is not an object")
        missing = [k for k in need if k not in r]
        if missing:
            raise reader.error(i, f"lacks {missing}")
        try:
            f = fields(r)
            per_node, nodes = _count(f["per_node"]), _count(f["nodes"])
            result = _number(f["result"])
            power = None if f["power"] in (None, "") else _number(f["power"])
        except _Bad as exc:
            raise reader.error(i, str(exc)) from None
        if f["version"] not in (None, mapping["round"]):
            raise reader.error(i, f"version {f['version']!r} is not the map's round {mapping['round']!r}")
        if f["id"] in seen:
            raise reader.error(i, f"result {f['id']} appears twice")
        seen.add(f["id"])
        name = str(f["accelerator"] or "")
        aid, note = mapping["mapped"].get(name, (None, None))
        status = "mapped" if aid else "unmapped" if name in mapping["unmapped"] else "unreviewed"
        loc = f["location"]
        rows.append({
            "mlperf_result_id": f["id"],
            "benchmark_suite": mapping["benchmark_suite"],
            "mlperf_round": mapping["round"],
            "mlperf_division": f["division"],
            "mlperf_category": f["category"],
            "mlperf_availability": f["availability"],
            "submitter": f["submitter"],
            "system_name": f["system"],
            "accelerator_name": name or None,
            "mapped_accelerator_id": aid,
            "mapping_status": status,
            "mapping_note": note if aid else mapping["unmapped"].get(name),
            "accelerators_per_node": per_node,
            "n_nodes": nodes,
            "mlperf_model": f["model"],
            "mlperf_scenario": f["scenario"],
            "performance_result": result,
            "performance_unit": f["unit"],
            "power_result": power,
            "power_unit": f["power_unit"],
            "is_inferred": None if f["inferred"] is None else bool(f["inferred"]),
            "software_stack": f["software"] or None,
            "mlperf_notes": f["notes"] or None,
            "source_repo": src.repo,
            "source_path": src.path,
            "source_commit": src.commit,
            "source_url": f"https://github.com/{src.repo}/tree/{src.commit}/{loc}" if loc and src.repo else None,
            "locator": f"{src.path} {where}" + (f" (ID {f['locator_id']})" if f["locator_id"] else ""),
        })
    return rows


def known_ids(specs: Path, mappings: list[dict] | dict) -> list[str]:
    """Spec ids (specs/accelerators/<vendor>/<sku>.yaml), the maps' report ids and targets."""
    ids: set[str] = set()
    for m in [mappings] if isinstance(mappings, dict) else mappings:
        ids |= set(m["report_ids"]) | {aid for aid, _ in m["mapped"].values()}
    acc = Path(specs) / "accelerators"
    if acc.is_dir():
        ids |= {p.relative_to(acc).with_suffix("").as_posix() for p in acc.glob("*/*.yaml")}
    return sorted(ids)


def summary_rows(results: list[dict], ids: list[str], mapping: dict) -> list[dict]:
    """One ``benchmark_summary`` row per id for the map's round."""
    rows = []
    mine_round = [r for r in results if r["mlperf_round"] == mapping["round"]]
    for aid in ids:
        mine = [r for r in mine_round if r["mapped_accelerator_id"] == aid]
        rows.append({
            "accelerator_id": aid,
            "benchmark_suite": mapping["benchmark_suite"],
            "mlperf_round": mapping["round"],
            "benchmark_status": "has public result" if mine else "no public result",
            "n_results": len(mine),
            "mlperf_models": listcol.join(sorted({r["mlperf_model"] for r in mine})),
            "submitters": listcol.join(sorted({r["submitter"] for r in mine})),
            "accelerator_names": listcol.join(sorted({r["accelerator_name"] for r in mine})),
        })
    return rows


def unreviewed(ctx: Context | None = None) -> dict[str, list[str]]:
    """Per round, the published accelerator names its map does not list (for `accel coverage ls`)."""
    ctx = ctx or Context()
    out = {}
    for p in mapping_paths(ctx.specs):
        m = load_mapping(p)
        results = ctx.upstream / m["results"]
        if results.exists():
            names = {r["accelerator_name"] or "" for r in result_rows(results, m)}
            out[m["round"]] = sorted(names - set(m["mapped"]) - set(m["unmapped"]))
    return out


def _inputs(ctx: Context) -> list[Path]:
    maps = mapping_paths(ctx.specs)
    if not maps:
        return [ctx.specs / MAPPINGS / MAP_GLOB]
    return [p for m in maps for p in (m, ctx.upstream / load_mapping(m)["results"])]


@importer("mlperf", produces=["benchmark_results", "benchmark_summary"], inputs=_inputs)
def run(ctx: Context):
    """MLPerf Inference results (every round with a map), joined to accelerator ids by reviewed alias maps."""
    mappings = [load_mapping(p) for p in mapping_paths(ctx.specs)]
    rounds = [m["round"] for m in mappings]
    dup = sorted({r for r in rounds if rounds.count(r) > 1})
    if dup:
        raise InputError(ctx.specs / MAPPINGS, None, f"round {dup[0]} has more than one map")
    rows: list[dict] = []
    for m in mappings:
        rows += result_rows(ctx.upstream / m["results"], m)
    ids = known_ids(ctx.specs, mappings)
    summary = [s for m in mappings for s in summary_rows(rows, ids, m)]
    return {"benchmark_results": frame("benchmark_results", rows),
            "benchmark_summary": frame("benchmark_summary", summary)}
