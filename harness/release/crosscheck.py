"""Cross-check AccelAtlas values against Epoch AI's "Data on Machine Learning Hardware" CSV.

Epoch is a cross-check, never a source: this module reads its CSV and our built tables and
reports; it writes nothing under specs/. Every AccelAtlas value keeps citing its own document.

Names: Epoch's "Hardware name" maps to our id through the reviewed file
specs/crosscheck/epoch-names.yaml (`matches`), else through an exact match with one of our names
or aliases after dropping case, spaces and punctuation (with or without Epoch's manufacturer
prefix). Names the file lists under `not_matched` never match.

Units: FLOP/s and OP/s -> TFLOPS/TOPS (1e-12), bytes -> GB (1e-9), byte/s -> TB/s (1e-12),
intranode byte/s (bidirectional for NVLink) -> GB/s (1e-9), transistors millions -> billions.

Field pairs (`COLUMNS`): Epoch's "Tensor-FP16/BF16" column is compared with our bf16_tflops and
fp16_tflops; its "FP16 (half precision)" column holds the vector rate for some parts and the tensor
rate for others, so it is used for fp16_tflops only when the tensor column is empty, and the report
names the column each comparison used. Epoch marks dense/sparse only in its Notes; rows whose
Notes mention sparsity are listed, not corrected.

Verdicts per (SKU, field): agree (relative difference within the tolerance), differ (both values,
and our source URL and tier), only-theirs, only-ours (our value is known, Epoch's cell is empty).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from harness import listcol, paths
from harness.errors import UserError
from harness.safetext import csv_cell

MAPPING_FILE = paths.SPECS / "crosscheck" / "epoch-names.yaml"
NAME_COL, MAKER_COL, NOTES_COL, LINK_COL = "Hardware name", "Manufacturer", "Notes", "Link to datasheet"
TENSOR16 = "Tensor-FP16/BF16 performance (FLOP/s)"
HALF16 = "FP16 (half precision) performance (FLOP/s)"

# (Epoch column, our field, factor from Epoch's unit to our canonical unit)
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("FP64 (double precision) performance (FLOP/s)", "fp64_tflops", 1e-12),
    ("FP32 (single precision) performance (FLOP/s)", "fp32_tflops", 1e-12),
    ("TF32 (TensorFloat-32) performance (FLOP/s)", "tf32_tflops", 1e-12),
    (TENSOR16, "bf16_tflops", 1e-12),
    (TENSOR16, "fp16_tflops", 1e-12),
    ("FP8 performance (FLOP/s)", "fp8_tflops", 1e-12),
    ("FP4 performance (FLOP/s)", "fp4_tflops", 1e-12),
    ("INT8 performance (OP/s)", "int8_tops", 1e-12),
    ("Memory (bytes)", "memory_capacity_gb", 1e-9),
    ("Memory bandwidth (byte/s)", "memory_bandwidth_tbps", 1e-12),
    ("Intranode bandwidth (byte/s)", "scaleup_bandwidth_gbps", 1e-9),
    ("TDP (W)", "tdp_w", 1.0),
    ("Die Size (mm^2)", "die_area_mm2", 1.0),
    ("Transistors (millions)", "transistors_billion", 1e-3),
)
# used for a field only when the primary column is empty in that row
FALLBACKS = {(TENSOR16, "fp16_tflops"): (HALF16, 1e-12)}
VERDICTS = ("differ", "explained", "only-theirs", "only-ours", "agree")
EXPLAINED_FILE = paths.SPECS / "crosscheck" / "epoch-explained.yaml"
GIB_GB = 2**30 / 1e9
BYTE_FIELDS = ("memory_capacity_gb", "memory_bandwidth_tbps", "scaleup_bandwidth_gbps")


@dataclass
class Row:
    accelerator_id: str
    epoch_name: str
    field: str
    verdict: str
    ours: float | None
    theirs: float | None
    unit: str
    rel_diff: float | None
    epoch_column: str
    our_state: str
    our_tier: str
    our_source: str
    their_source: str
    explanation: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    matched: dict[str, tuple[str, str]] = field(default_factory=dict)  # epoch name -> (id, how)
    unmatched_ours: list[str] = field(default_factory=list)
    sparsity_notes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.rows) for v in VERDICTS}


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", str(name).lower())


def read_epoch(path: Path) -> list[dict]:
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a readable CSV ({exc})") from None
    if not rows or NAME_COL not in rows[0]:
        raise UserError(f"{path}: no '{NAME_COL}' column; is this Epoch AI's ML hardware CSV?")
    missing = sorted({c for c, _, _ in COLUMNS} - set(rows[0]))
    if missing:
        raise UserError(f"{path}: missing Epoch columns {missing}")
    return rows


def read_mapping(path: Path, known_ids: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    from harness.yamlload import read_data

    raw = read_data(path) or {}
    if not isinstance(raw, dict):
        raise UserError(f"{path}: expected a mapping with matches / not_matched")
    unknown_keys = set(raw) - {"matches", "not_matched"}
    if unknown_keys:
        raise UserError(f"{path}: unknown keys {sorted(unknown_keys)}; use matches / not_matched")
    matches = {str(k): str(v) for k, v in (raw.get("matches") or {}).items()}
    blocked = {str(k): str(v) for k, v in (raw.get("not_matched") or {}).items()}
    bad = sorted(f"{k!r} -> {v!r}" for k, v in matches.items() if v not in known_ids)
    if bad:
        from harness.problems import did_you_mean

        first = matches[next(iter(k for k in matches if matches[k] not in known_ids))]
        raise UserError(f"{path}: maps to ids that are not in the dataset: {', '.join(bad)}"
                        f"{did_you_mean(first, known_ids)}")
    both = sorted(set(matches) & set(blocked))
    if both:
        raise UserError(f"{path}: listed under both matches and not_matched: {both}")
    return matches, blocked


def _number(cell) -> float | None:
    if cell is None or str(cell).strip() == "":
        return None
    try:
        v = float(str(cell).replace(",", ""))
    except ValueError:
        return None
    return None if math.isnan(v) else v


def _first_link(cell) -> str:
    for part in re.split(r"[\s;]+", str(cell or "")):
        if part.startswith("http"):
            return part
    return ""


def _alias_index(acc) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for r in acc.itertuples(index=False):
        names = [r.name, r.accelerator_id.split("/", 1)[-1]]
        if isinstance(r.aliases, str):
            names += listcol.split(r.aliases)
        for n in names:
            if isinstance(n, str) and _norm(n):
                index.setdefault(_norm(n), set()).add(r.accelerator_id)
    return index


def match_names(rows: list[dict], acc, matches: dict, blocked: dict) -> tuple[dict, list[str]]:
    index = _alias_index(acc)
    matched: dict[str, tuple[str, str]] = {}
    warnings = []
    names = {r[NAME_COL]: r for r in rows}
    for name in matches:
        if name not in names:
            warnings.append(f"mapping names '{name}', which is not in the Epoch CSV")
    for name, r in names.items():
        if name in matches:
            matched[name] = (matches[name], "mapping")
            continue
        if name in blocked:
            continue
        maker = str(r.get(MAKER_COL) or "")
        keys = {_norm(name)}
        for prefix in (maker, maker.split()[0] if maker else ""):
            if prefix and name.lower().startswith(prefix.lower() + " "):
                keys.add(_norm(name[len(prefix) + 1:]))
        ids = set().union(*(index.get(k, set()) for k in keys))
        if len(ids) == 1:
            matched[name] = (ids.pop(), "alias")
        elif len(ids) > 1:
            warnings.append(f"'{name}' matches several ids by alias ({', '.join(sorted(ids))}); not compared")
    return matched, warnings


def read_explained(path: Path, known_ids: set[str]) -> dict[tuple[str, str], tuple[float, str]]:
    """Reviewed differences: ``{(id, field): (Epoch's value, why)}``. An entry explains a difference
    only while Epoch still prints that value (within 0.5%), so a changed row surfaces again."""
    from harness.dataset.registry import registry
    from harness.yamlload import read_data

    if not Path(path).is_file():
        return {}
    raw = read_data(path) or {}
    entries = raw.get("explained") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise UserError(f"{path}: expected `explained:` with a list of entries")
    fields = registry().value_fields
    out = {}
    for i, e in enumerate(entries):
        where = f"{path}: explained[{i}]"
        if not isinstance(e, dict) or set(e) != {"accelerator", "field", "epoch", "why"}:
            raise UserError(f"{where}: needs exactly accelerator, field, epoch, why")
        if e["accelerator"] not in known_ids:
            raise UserError(f"{where}: '{e['accelerator']}' is not an accelerator id")
        if e["field"] not in fields:
            raise UserError(f"{where}: '{e['field']}' is not a value field")
        if isinstance(e["epoch"], bool) or not isinstance(e["epoch"], (int, float)) or \
                not str(e["why"]).strip():
            raise UserError(f"{where}: epoch must be Epoch's number and why a reason")
        out[(e["accelerator"], e["field"])] = (float(e["epoch"]), str(e["why"]).strip())
    return out


def _explain(mine: float, theirs: float, fname: str, reviewed: tuple[float, str] | None) -> str:
    if fname in BYTE_FIELDS and theirs:
        if abs(mine / theirs - GIB_GB) < 0.002 * GIB_GB:
            return "GiB vs GB: the source prints this figure in binary units, kept as printed; Epoch gives the " \
                   "same number in decimal units"
    if reviewed and abs(reviewed[0] - theirs) <= 0.005 * max(abs(theirs), 1e-12):
        return reviewed[1]
    return ""


def crosscheck(epoch_csv: Path, *, dataset: Path | None = None, mapping: Path | None = None,
               tolerance: float = 0.05, explained: Path | None = None) -> Report:
    import pandas as pd

    if not (0 <= tolerance < 1):
        raise UserError(f"--tolerance {tolerance} must be a fraction between 0 and 1 (0.05 = 5%)")
    from harness.dataset.read import find_table
    from harness.dataset.registry import registry

    dataset = Path(dataset) if dataset else paths.DATASET
    acc = pd.read_parquet(find_table("accelerators", dataset))
    vals = pd.read_parquet(find_table("spec_values", dataset))
    rows = read_epoch(epoch_csv)
    matches, blocked = read_mapping(Path(mapping) if mapping else MAPPING_FILE, set(acc["accelerator_id"]))
    reviewed = read_explained(Path(explained) if explained else EXPLAINED_FILE, set(acc["accelerator_id"]))
    report = Report()
    report.matched, report.warnings = match_names(rows, acc, matches, blocked)
    ours = {(r["accelerator_id"], r["field"]): r for r in vals.to_dict("records")}
    reg = registry()
    by_name = {r[NAME_COL]: r for r in rows}
    for name, (acc_id, _how) in sorted(report.matched.items(), key=lambda kv: (kv[1][0], kv[0])):
        erow = by_name[name]
        notes = str(erow.get(NOTES_COL) or "")
        if "spars" in notes.lower():
            sentence = next((s.strip() for s in re.split(r"(?<=\.)\s+", notes) if "spars" in s.lower()), notes)
            report.sparsity_notes[name] = sentence
        link = _first_link(erow.get(LINK_COL))
        for col, fname, factor in COLUMNS:
            used, theirs = col, _number(erow.get(col))
            if theirs is None and (col, fname) in FALLBACKS:
                used, fb_factor = FALLBACKS[(col, fname)]
                theirs = _number(erow.get(used))
                factor = fb_factor
            theirs = None if theirs is None else theirs * factor
            o = ours.get((acc_id, fname)) or {}
            state = o.get("state") or "unknown"
            mine = o.get("value") if state == "known" else None
            mine = None if mine is None or pd.isna(mine) else float(mine)
            if theirs is None and mine is None:
                continue
            if theirs is None:
                verdict, rel = "only-ours", None
            elif mine is None:
                verdict, rel = "only-theirs", None
            else:
                rel = abs(mine - theirs) / max(abs(mine), abs(theirs)) if (mine or theirs) else 0.0
                verdict = "agree" if rel <= tolerance else "differ"
            why = _explain(mine, theirs, fname, reviewed.get((acc_id, fname))) if verdict == "differ" else ""
            if why:
                verdict = "explained"
            report.rows.append(Row(acc_id, name, fname, verdict, mine, theirs, reg.column(fname).unit or "", rel,
                                   used, state, str(o.get("tier") or ""), str(o.get("source_url") or ""), link,
                                   why))
    matched_ids = {i for i, _ in report.matched.values()}
    report.unmatched_ours = sorted(set(acc["accelerator_id"]) - matched_ids)
    return report


def _g(v: float | None) -> str:
    return "" if v is None else f"{v:.6g}"


CSV_HEADER = ["accelerator_id", "epoch_name", "field", "verdict", "ours", "theirs", "unit", "rel_diff",
              "epoch_column", "our_state", "our_tier", "our_source", "their_source", "explanation"]


def to_csv(report: Report) -> str:
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for r in report.rows:
        w.writerow([csv_cell(c) for c in (
            r.accelerator_id, r.epoch_name, r.field, r.verdict, _g(r.ours), _g(r.theirs), r.unit,
            "" if r.rel_diff is None else f"{r.rel_diff:.4f}", r.epoch_column, r.our_state, r.our_tier,
            r.our_source, r.their_source, r.explanation)])
    return buf.getvalue()


def to_plain(report: Report, tolerance: float) -> str:
    from tabulate import tabulate

    c = report.counts()
    lines = [f"Cross-check against Epoch AI ML hardware data (a cross-check, never a source); "
             f"tolerance {tolerance:.0%}.",
             f"{len(report.matched)} Epoch rows matched to {len({i for i, _ in report.matched.values()})} SKUs; "
             + ", ".join(f"{c[v]} {v}" for v in VERDICTS), ""]
    order = {v: i for i, v in enumerate(VERDICTS)}
    body = []
    for r in sorted(report.rows, key=lambda r: (order[r.verdict], r.accelerator_id, r.field)):
        ours = _g(r.ours) if r.ours is not None else ("" if r.our_state == "unknown" else r.our_state)
        body.append([r.verdict, r.accelerator_id, r.field, ours, _g(r.theirs), r.unit,
                     "" if r.rel_diff is None else f"{r.rel_diff:.1%}",
                     f"{r.our_tier} {r.our_source}".strip() if r.verdict == "differ" else r.explanation,
                     r.epoch_name + ("" if r.epoch_column in (TENSOR16, "") or r.field != "fp16_tflops"
                                     else f" [{r.epoch_column}]")])
    lines.append(tabulate(body, headers=["verdict", "accelerator", "field", "ours", "Epoch", "unit", "diff",
                                         "our source (differ) / why (explained)", "Epoch row"],
                              tablefmt="simple", maxcolwidths=[None] * 7 + [70, 40]))
    if report.sparsity_notes:
        lines += ["", "Epoch rows whose Notes mention sparsity (reported, not corrected):"]
        lines += [f"  {n}: {s}" for n, s in sorted(report.sparsity_notes.items())]
    aliases = sorted(n for n, (_, how) in report.matched.items() if how == "alias")
    if aliases:
        lines += ["", "Matched by alias (not in the mapping file): "
                  + "; ".join(f"{n} -> {report.matched[n][0]}" for n in aliases)]
    if report.unmatched_ours:
        lines += ["", "Our SKUs with no Epoch row: " + ", ".join(report.unmatched_ours)]
    if report.warnings:
        lines += [""] + [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"
