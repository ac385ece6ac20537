"""Turn validated specs into the dataset tables: accelerators, spec_values, sources, claims.

Sources are deduplicated by URL across files: a source's id is a short hash of its URL, so the
same document cited by ten SKUs is one row in `sources`, and ids stay stable when files move.
Derived values (sparse -> dense, per-direction -> bidirectional, system -> per unit, unit
conversions) are marked `is_derived` with the arithmetic in `derivation`.
"""

from __future__ import annotations

import hashlib
import json

from harness import listcol
from harness.dataset.metrics import derive, ratio
from harness.dataset.registry import registry
from harness.dataset.specmodel import Figure, Spec
from harness.dataset.tableschemas import coerce


def source_id(url: str) -> str:
    return "src-" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:10]


def _num_or_text(v):
    return None if v is None else (v if isinstance(v, str) else format(v, "g") if isinstance(v, float) else str(v))


def _alt_json(spec: Spec, figs: list[Figure]) -> str | None:
    if not figs:
        return None
    out = []
    for f in figs:
        src = spec.sources.get(f.source, {})
        out.append({"value": f.printed, "unit": f.unit, "basis": f.basis, "value_canonical": f.canonical,
                    "source_id": source_id(src["url"]) if src.get("url") else None, "source_url": src.get("url"),
                    "tier": src.get("tier"), "locator": f.locator, "note": f.note})
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def _value_rows(spec: Spec) -> list[dict]:
    reg = registry()
    rows = []
    for name in reg.value_fields:  # registry order, so rows are stable
        v = spec.values.get(name)
        if v is None:
            continue
        fdef = reg.value_fields[name]
        f = v.figure
        src = spec.sources.get(f.source, {})
        numeric = fdef.dtype != "string"
        rows.append({
            "accelerator_id": spec.id, "field": name, "state": v.state,
            "value_printed": _num_or_text(f.printed), "unit_printed": f.unit,
            "basis": f.basis if fdef.peak and v.state == "known" else None,
            "value": float(f.canonical) if numeric and f.canonical is not None else None,
            "value_text": f.canonical if not numeric else None,
            "canonical_unit": fdef.unit if numeric else None,
            "is_derived": bool(f.derivation), "derivation": f.derivation,
            "direction": f.direction, "granularity": f.granularity,
            "source_id": source_id(src["url"]) if src.get("url") else None, "source_url": src.get("url"),
            "tier": src.get("tier"), "locator": f.locator, "note": f.note,
            "alternatives": _alt_json(spec, v.alternatives),
        })
    return rows


def _accelerator_row(spec: Spec) -> dict:
    reg = registry()
    ident = spec.identity
    row = {
        "accelerator_id": spec.id, "name": ident.get("name"), "vendor": ident.get("vendor"),
        "family": ident.get("family"), "architecture": ident.get("architecture"),
        "status": ident.get("status"), "market": ident.get("market"), "form_factor": ident.get("form_factor"),
        "announced_date": ident.get("announced"), "released_date": ident.get("released"),
        "aliases": listcol.join(ident.get("aliases", [])), "is_datacenter": ident.get("is_datacenter"),
        "stacks": listcol.join(ident.get("stacks", [])),
    }
    states = {}
    for name in reg.value_fields:
        v = spec.values.get(name)
        states[name] = v.state if v else "unknown"
        row[name] = v.figure.canonical if v is not None and v.state == "known" else None
        row[f"{name}__state"] = states[name]
        row[f"{name}__tier"] = spec.sources.get(v.figure.source, {}).get("tier") if v is not None else None
    bits = {k: f.bits for k, f in reg.peak_fields.items()}
    unstated = {k for k, v in spec.values.items() if v.state == "known" and v.figure.basis == "unstated"}
    row.update(derive(row, states, bits, tpp_exclude=unstated))
    tiers: dict[str, int] = {}
    for v in spec.values.values():
        if v.state == "known":
            t = spec.sources.get(v.figure.source, {}).get("tier", "?")
            tiers[t] = tiers.get(t, 0) + 1
    row["tier_summary"] = " ".join(f"{t}:{n}" for t, n in sorted(tiers.items())) or None
    return row


def _cite(sources: dict[str, dict], cited_by: str, srcs: dict) -> None:
    """Add one spec's (or price file's) sources to the sources table, each recorded once."""
    for src in srcs.values():
        sid = source_id(src["url"])
        entry = sources.setdefault(sid, {
            "source_id": sid, "title": src.get("title"), "publisher": src.get("publisher"),
            "url": src["url"], "published_date": src.get("published"), "source_version": src.get("version"),
            "accessed_date": src.get("accessed"),
            "tier": src.get("tier"), "archive_url": src.get("archive_url"), "_cited": set(),
        })
        entry["_cited"].add(cited_by)


def _claim_rows(s: Spec) -> list[dict]:
    out = []
    for i, c in enumerate(s.claims, start=1):
        src = s.sources.get(c.get("source"), {})
        out.append({"claim_id": f"{s.id}#{i}", "accelerator_id": s.id, "claim": c.get("claim"),
                    "compared_to": c.get("compared_to"),
                    "source_id": source_id(src["url"]) if src.get("url") else None,
                    "source_url": src.get("url"), "tier": src.get("tier"), "locator": c.get("locator")})
    return out


def _price_columns(row: dict, cheapest: dict) -> None:
    """The accelerator's lowest USD on-demand price per accelerator-hour and BF16 per dollar-hour."""
    best = cheapest.get(row["accelerator_id"])
    row["cloud_price_min_usd_per_hour"] = best["price_per_accelerator"] if best else None
    row["cloud_price_min_price_id"] = best["price_id"] if best else None
    row["bf16_tflops_per_dollar_hour"] = ratio(row.get("bf16_tflops"), row["cloud_price_min_usd_per_hour"])


def build_tables(specs: list[Spec], price_files=(), *, consume: bool = False) -> dict:
    """The dataset tables as DataFrames, from specs (and price files) that validated without errors.

    With ``consume`` the specs are taken out of ``specs`` (the list is left empty) and each one is
    let go as soon as its rows are made, so a build of thousands of specs never holds every parsed
    spec and every row at once (`accel build` does this; its caller keeps no other reference)."""
    from harness.dataset.prices import cheapest_usd_hour, price_rows

    pending = sorted(specs, key=lambda s: s.id, reverse=True)  # popped from the end: ascending ids
    if consume:
        specs.clear()
    prices = price_rows(list(price_files))
    cheapest = cheapest_usd_hour(prices)
    accelerators, values, claims = [], [], []
    sources: dict[str, dict] = {}
    s = None
    while pending:
        s = pending.pop()
        row = _accelerator_row(s)
        _price_columns(row, cheapest)
        accelerators.append(row)
        values.extend(_value_rows(s))
        _cite(sources, s.id, s.sources)
        claims.extend(_claim_rows(s))
    s = None  # the last spec goes too
    for pf in price_files:
        _cite(sources, f"prices/{pf.provider}", pf.sources)
    for entry in sources.values():
        entry["cited_by"] = listcol.join(sorted(entry.pop("_cited")))
    from harness.dataset.completeness import completeness_rows
    from harness.dataset.derived import derived_rows, is_disputed

    for v in values:
        v["is_disputed"] = is_disputed(v)

    per_sku, per_field = completeness_rows(accelerators, values, list(registry().value_fields))
    derived = derived_rows(accelerators, values, prices, registry())
    rows = {"accelerators": accelerators, "spec_values": values, "sources": list(sources.values()),
            "claims": claims, "prices": prices, "derived_values": derived, "completeness": per_sku,
            "field_completeness": per_field}
    del accelerators, values, sources, claims, prices, derived, per_sku, per_field
    tables = {}
    for name in list(rows):  # each table's rows let go once its frame is made; in key order, so
        tables[name] = coerce(name, _key_order(name, rows.pop(name)))  # writing need not sort a copy
    return tables


def _key_order(table: str, rows: list[dict]) -> list[dict]:
    """Rows sorted by the table's key as `tables.sort_rows` sorts (stable, nulls last)."""
    key = registry().tables[table].key
    if key:
        rows.sort(key=lambda r: tuple((r.get(k) is None, r.get(k)) for k in key))
    return rows
