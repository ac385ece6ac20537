"""What the terminal marks on a value, written once by the build so every table carries it.

Per value (`spec_values.is_disputed`): another source gives a different figure (beyond 0.5%, or
other text). Per derived metric (`derived_values`): its tier is the weakest of the tiers of the
inputs it was computed from (the registry's `inputs:`; a price row counts for price metrics),
it is from-sparse or basis-unstated when an input is, and TPP and performance density are lower
bounds while an unknown precision could raise TPP (`tpp_complete` false). Views, CSV and
Parquet users read these; nobody recomputes them.
"""

from __future__ import annotations

import json

from harness import listcol

DISPUTE_TOLERANCE = 0.005
LOWER_BOUND_FIELDS = ("tpp", "performance_density")
PRICE_INPUT = "@price"


def is_disputed(row: dict) -> bool:
    alts = json.loads(row["alternatives"]) if row.get("alternatives") else []
    if row.get("value") is not None:
        v = row["value"]
        return any(isinstance(a.get("value_canonical"), (int, float)) and
                   abs(a["value_canonical"] - v) > DISPUTE_TOLERANCE * max(abs(v), 1e-12) for a in alts)
    if row.get("value_text") is not None:
        return any(str(a.get("value")) != row.get("value_printed") for a in alts)
    return False


def derived_rows(accelerators: list[dict], values: list[dict], prices: list[dict], reg) -> list[dict]:
    """One row per (accelerator, derived metric with a value)."""
    rank = {t: i for i, t in enumerate(reg.enums["tier"])}
    by_value = {(v["accelerator_id"], v["field"]): v for v in values}
    by_price = {p["price_id"]: p for p in prices}
    table = reg.tables["accelerators"]
    metrics = [c for c in table.columns if c in reg.columns and reg.columns[c].derived and reg.columns[c].inputs]
    out = []
    for acc in accelerators:
        for m in metrics:
            if acc.get(m) is None:
                continue
            known = []
            for i in reg.columns[m].inputs:
                if i == PRICE_INPUT:
                    p = by_price.get(acc.get("cloud_price_min_price_id"))
                    if p:
                        known.append({"tier": p["tier"], "basis": None, "source_id": p["source_id"],
                                      "field": f"prices:{p['price_id']}"})
                    continue
                v = by_value.get((acc["accelerator_id"], i))
                if v and v["state"] == "known":
                    known.append(v)
            tiers = [k["tier"] for k in known if k.get("tier")]
            out.append({
                "accelerator_id": acc["accelerator_id"], "field": m,
                "tier": max(tiers, key=lambda t: rank.get(t, len(rank))) if tiers else None,
                "is_from_sparse": any(k.get("basis") == "sparse" for k in known),
                "is_basis_unstated": any(k.get("basis") == "unstated" for k in known),
                "is_lower_bound": m in LOWER_BOUND_FIELDS and acc.get("tpp_complete") is False,
                "input_fields": listcol.join([k["field"] for k in known]),
                "source_ids": listcol.join(list(dict.fromkeys(k["source_id"] for k in known if k.get("source_id")))),
            })
    return out
