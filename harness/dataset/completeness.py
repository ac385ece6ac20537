"""How complete the dataset is: per SKU and per field, the counts of each value state and tier.

Every share is computed from the counts in the same row (`n_known / n_fields`, ...), so a reader
can check it; `official_share` is over the known values (how much of what we know is official).
"""

from __future__ import annotations

STATES = ("known", "undisclosed", "unsupported", "unknown")


def _row(counts: dict, n: int, n_official: int) -> dict:
    row = {"n_" + s: counts.get(s, 0) for s in STATES}
    for s in STATES:
        row[f"{s}_share"] = counts.get(s, 0) / n if n else None
    row["n_official"] = n_official
    row["official_share"] = n_official / counts["known"] if counts.get("known") else None
    return row


def completeness_rows(accelerators: list[dict], values: list[dict], fields: list[str]) -> tuple[list, list]:
    """(per-SKU rows, per-field rows) from the built `accelerators` and `spec_values` rows."""
    by_acc: dict[str, dict[str, dict]] = {}
    for v in values:
        by_acc.setdefault(v["accelerator_id"], {})[v["field"]] = v
    per_sku, per_field = [], []
    for acc in accelerators:
        vals = by_acc.get(acc["accelerator_id"], {})
        counts = {s: 0 for s in STATES}
        for f in fields:
            counts[vals[f]["state"] if f in vals else "unknown"] += 1
        official = sum(1 for v in vals.values() if v["state"] == "known" and v.get("tier") == "official")
        per_sku.append({"accelerator_id": acc["accelerator_id"], "vendor": acc.get("vendor"),
                        "market": acc.get("market"), "n_fields": len(fields), **_row(counts, len(fields), official)})
    for f in fields:
        counts = {s: 0 for s in STATES}
        official = 0
        for acc in accelerators:
            v = by_acc.get(acc["accelerator_id"], {}).get(f)
            counts[v["state"] if v else "unknown"] += 1
            official += bool(v and v["state"] == "known" and v.get("tier") == "official")
        per_field.append({"field": f, "n_accelerators": len(accelerators),
                          **_row(counts, len(accelerators), official)})
    return per_sku, per_field
