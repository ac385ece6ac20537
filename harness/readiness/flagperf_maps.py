"""FlagPerf's reviewed maps (specs/oplists/mappings/flagperf-*.yaml) and shared constants.

The chip map turns the chip labels FlagPerf prints into accelerator ids, explicitly: a label is
looked up as printed, never matched fuzzily (see `resolve`). The op map turns operator case names
into ATen op packets. Both are read by `harness.readiness.importers.flagperf`.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness.errors import InputError
from harness.readiness.yamlio import check_keys, load, mapped_accelerators

LOCAL = "flagperf/"
CHIPS = Path("oplists") / "mappings" / "flagperf-chips.yaml"
OPS = Path("oplists") / "mappings" / "flagperf-ops.yaml"
TIER = "published-measured"  # schemas/fields.yaml readiness_tier: published by a third party


def record():
    """The PROVENANCE.yaml record of the FlagPerf copy (repository, commit, licence)."""
    from harness.readiness.provenance import for_file

    return for_file(LOCAL)


def load_chips(path: Path) -> dict:
    """``{'mapped': {label: (id, note)}, 'unmapped': {label: reason}}``."""
    doc = load(path)
    check_keys(doc, {"mapped", "unmapped"}, {"mapped"}, path, "chip map")
    mapped = mapped_accelerators(doc, path)
    unmapped = {str(k): str(v) for k, v in (doc.get("unmapped") or {}).items()}
    both = sorted(set(mapped) & set(unmapped))
    if both:
        raise InputError(path, None, f"labels both mapped and unmapped: {both}")
    return {"mapped": mapped, "unmapped": unmapped}


def load_ops(path: Path) -> dict:
    """``{'mapped': {op: ([aten packets], note)}, 'unmapped': {op: reason}}``."""
    doc = load(path)
    check_keys(doc, {"mapped", "unmapped"}, {"mapped"}, path, "op map")
    mapped = {}
    for name, entry in (doc.get("mapped") or {}).items():
        check_keys(entry, {"aten", "note"}, {"aten"}, path, f"mapped[{name!r}]")
        aten = entry["aten"]
        if not isinstance(aten, list) or not aten or not all(isinstance(a, str) and a for a in aten):
            raise InputError(path, entry.line, f"mapped[{name!r}].aten must be a non-empty list of op names")
        mapped[str(name)] = (list(aten), entry.get("note"))
    unmapped = {str(k): str(v) for k, v in (doc.get("unmapped") or {}).items()}
    return {"mapped": mapped, "unmapped": unmapped}


def resolve(chips: dict, label: str | None, card: str | None, qualified: str | None = None) -> dict:
    """The mapping columns for a chip label (and the card model printed beside it): the map is
    asked for ``"<label>*<n>G @ <card>"`` (a row that prints its memory), ``"<label> @ <card>"``,
    then ``"<label>"``."""
    if not (label or card):
        return {"mapped_accelerator_id": None, "mapping_status": "unmapped",
                "mapping_note": "no chip printed in the row, its config file name or its hardware section"}
    keys = [f"{q} @ {card}" for q in (qualified, label) if q and card] + [label or card]
    for key in keys:
        if key in chips["mapped"]:
            aid, note = chips["mapped"][key]
            return {"mapped_accelerator_id": aid, "mapping_status": "mapped", "mapping_note": note}
        if key in chips["unmapped"]:
            return {"mapped_accelerator_id": None, "mapping_status": "unmapped",
                    "mapping_note": chips["unmapped"][key]}
    return {"mapped_accelerator_id": None, "mapping_status": "unreviewed", "mapping_note": None}
