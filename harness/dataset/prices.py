"""Price files, `specs/prices/<provider>.yaml`: what an accelerator costs, as sources print it.

One file per provider or price list (a cloud's on-demand prices, a press report's launch prices).
Each price keeps what was printed: the offering (an instance type, an 8-GPU kit, one card), how
many accelerators it includes, region, currency, what the price is per (an hour, a purchase),
the date it applied, and its source with a locator. Decisions:
- Currencies are never converted: a conversion needs a dated rate with a source of its own, and
  none is recorded; USD figures and CNY figures stay apart.
- The build divides by the accelerators in the offering (`price_per_accelerator`); nothing else
  is derived from a price except, per accelerator, the lowest public USD on-demand price per
  accelerator-hour and dense BF16 TFLOPS per such dollar-hour (`harness.dataset.build`).
- A range as printed ("$12,000 to $15,000") is `price` and `price_high`, never a midpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.dataset.specmodel import _Checker, check_sources, is_date
from harness.problems import Problem
from harness.yamlload import Loaded

# what each kind of price is per (the kinds and units themselves are registry enums)
KIND_PER = {"cloud-on-demand": "hour", "launch-list": "unit"}
CURRENCY = re.compile(r"[A-Z]{3}", re.ASCII)

FILE_KEYS: dict[str, tuple[str, bool, str]] = {
    "provider": ("string", True, "provider slug, equal to the file name"),
    "name": ("string", True, "display name"),
    "notes": ("string", False, "remarks"),
    "sources": ("mapping", True, "documents cited, by local key"),
    "prices": ("list", True, "one entry per printed price"),
}
PRICE_KEYS: dict[str, tuple[str, bool, str]] = {
    "accelerator": ("string", True, "accelerator id (specs/accelerators/)"),
    "kind": ("enum:price_kind", True, "what kind of price"),
    "offering": ("string", True, "instance type, or the product as priced"),
    "accelerators": ("integer", True, "accelerators in the priced offering"),
    "region": ("string", False, "cloud region as printed"),
    "price": ("number", True, "the price as printed"),
    "price_high": ("number", False, "the top of a printed range"),
    "currency": ("string", True, "ISO 4217 code as printed"),
    "per": ("enum:price_per", True, "what the price buys"),
    "date": ("date", True, "when the price applied"),
    "source": ("string", True, "key into `sources`"),
    "locator": ("string", True, "where in the source"),
    "note": ("string", False, "remark"),
}


@dataclass
class PriceFile:
    path: str
    loaded: Loaded
    provider: str | None = None
    name: str | None = None
    sources: dict[str, dict] = field(default_factory=dict)
    prices: list[dict] = field(default_factory=list)


def parse_prices(loaded: Loaded, expected_provider: str) -> tuple[PriceFile, list[Problem]]:
    ck = _Checker(loaded)
    pf = PriceFile(loaded.path, loaded)
    if not isinstance(loaded.data, dict):
        ck.add((), "a price file must be a YAML mapping", "yaml-not-mapping", field_="")
        return pf, ck.problems
    doc = ck.mapping(loaded.data, (), FILE_KEYS, "price file")
    ck.text(loaded.data)
    pf.provider, pf.name = doc.get("provider"), doc.get("name")
    if pf.provider not in (None, expected_provider):
        ck.add(("provider",), f"provider '{pf.provider}' does not match the file name (expected "
               f"'{expected_provider}')", "id-path-mismatch")
    raw_sources = doc.get("sources", {})
    pf.sources = check_sources(ck, raw_sources)
    for i, raw in enumerate(doc.get("prices", [])):
        at = ("prices", i)
        p = ck.mapping(raw, at, PRICE_KEYS, "price")
        if not p:
            continue
        if "kind" in p and "per" in p and KIND_PER.get(p["kind"], p["per"]) != p["per"]:
            ck.add(at + ("per",), f"a {p['kind']} price is per {KIND_PER[p['kind']]}", "bad-state", field_="per")
        if "currency" in p and not CURRENCY.fullmatch(p["currency"]):
            ck.add(at + ("currency",), f"currency '{p['currency']}' is not an ISO 4217 code (USD, CNY, EUR)",
                   "bad-unit", field_="currency")
        if "price" in p and not p["price"] > 0:
            ck.add(at + ("price",), "a price must be above 0 (leave out an unknown price)", "out-of-bounds",
                   field_="price")
        if "price_high" in p and "price" in p and not p["price_high"] > p["price"]:
            ck.add(at + ("price_high",), "price_high must be above price (the top of a printed range)",
                   "out-of-bounds", field_="price_high")
        if "accelerators" in p and p["accelerators"] < 1:
            ck.add(at + ("accelerators",), "an offering includes at least 1 accelerator", "out-of-bounds",
                   field_="accelerators")
        if "source" in p and p["source"] not in raw_sources:
            ck.add(at + ("source",), f"source '{p['source']}' is not defined under sources", "dangling-source",
                   field_="source")
        if isinstance(p.get("date"), str) and is_date(p["date"]):
            import datetime as dt

            today = dt.date.today().isoformat()
            if p["date"] > today[: len(p["date"])]:
                ck.add(at + ("date",), f"date {p['date']} is in the future", "future-date", field_="date")
        if not str(p.get("locator", "")).strip():
            ck.add(at, "a price needs a `locator`", "missing-locator", field_="locator")
        p["_line"] = loaded.line(*at)
        pf.prices.append(p)
    return pf, ck.problems


def price_rows(files: list[PriceFile]) -> list[dict]:
    """The `prices` table's rows (valid files only)."""
    from harness.dataset.build import source_id

    rows = []
    for pf in sorted(files, key=lambda f: f.provider or ""):
        for i, p in enumerate(pf.prices, 1):
            src = pf.sources.get(p.get("source"), {})
            n = p["accelerators"]
            rows.append({
                "price_id": f"{pf.provider}#{i}", "provider": pf.provider, "provider_name": pf.name,
                "accelerator_id": p["accelerator"], "price_kind": p["kind"], "offering": p["offering"],
                "n_accelerators": n, "region": p.get("region"), "price": float(p["price"]),
                "price_high": float(p["price_high"]) if p.get("price_high") is not None else None,
                "currency": p["currency"], "price_per": p["per"], "price_date": p["date"],
                "price_per_accelerator": float(p["price"]) / n,
                "price_per_accelerator_high": float(p["price_high"]) / n if p.get("price_high") else None,
                "source_id": source_id(src["url"]) if src.get("url") else None, "source_url": src.get("url"),
                "tier": src.get("tier"), "locator": p.get("locator"), "note": p.get("note"),
            })
    return rows


def cheapest_usd_hour(rows: list[dict]) -> dict[str, dict]:
    """Per accelerator, its lowest public USD on-demand price per accelerator-hour (the row)."""
    best: dict[str, dict] = {}
    for r in rows:
        if r["price_kind"] == "cloud-on-demand" and r["currency"] == "USD":
            cur = best.get(r["accelerator_id"])
            if cur is None or r["price_per_accelerator"] < cur["price_per_accelerator"]:
                best[r["accelerator_id"]] = r
    return best
