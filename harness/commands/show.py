"""Show everything the dataset knows about one accelerator, with where each number comes from.

Every value field is listed with its state (known / undisclosed / unsupported / unknown), tier,
the figure as printed and how the build converted it, the source's title and URL, the locator in
the source and any alternative figures from other sources. Then the derived metrics (the
export-control ones are informational, not a legal determination) and the comparison claims.

examples:
  accel show h100-sxm5
  accel show "昆仑芯 P800"
  accel show ascend-910c --format json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from harness.views import formats

FORMATS = ("plain", "json")
EXPORT_LABEL = "informational, not a legal determination"


def configure(parser):
    parser.add_argument("accelerator", metavar="ID", help="id, id tail, name or alias")
    formats.add_option(parser, *FORMATS, command="accel show")
    parser.add_argument("--results", type=Path, metavar="DIR", help="read the dataset from DIR")


def collect(atlas, acc_id: str) -> dict:
    """Everything about one accelerator as plain data (what --format json prints)."""
    from harness.views import fields as F
    from harness.views.data import clean

    ident = {k: atlas.by_id[acc_id].get(k) for k in F.IDENTITY}
    values = []
    for fld in atlas.value_fields:
        c = atlas.cell(acc_id, fld)
        r = c.row
        src = atlas.source_by_id.get(r.get("source_id"), {}) if r else {}
        values.append({
            "field": fld, "unit": F.unit(fld), "state": c.state, "value": c.value, "value_text": c.text,
            "tier": c.tier, "value_printed": r.get("value_printed"), "unit_printed": r.get("unit_printed"),
            "basis": r.get("basis"), "is_derived": c.is_derived, "derivation": r.get("derivation"),
            "direction": r.get("direction"), "granularity": r.get("granularity"),
            "source_id": r.get("source_id"), "source_title": src.get("title"), "source_url": r.get("source_url"),
            "locator": r.get("locator"), "note": r.get("note"),
            "alternatives": json.loads(r["alternatives"]) if r.get("alternatives") else [],
        })
    derived = []
    for fld in F.DERIVED:
        if fld not in atlas.by_id[acc_id]:
            continue
        c = atlas.cell(acc_id, fld)
        derived.append({"field": fld, "unit": F.unit(fld), "value": c.value, "value_text": c.text,
                        "tier": c.tier, "is_lower_bound": c.lower_bound,
                        "informational": EXPORT_LABEL if fld in F.EXPORT_FIELDS else None})
    claims = []
    cl = atlas.claims
    for r in cl[cl["accelerator_id"] == acc_id].to_dict("records"):
        r = {k: clean(v) for k, v in r.items()}
        src = atlas.source_by_id.get(r.get("source_id"), {})
        claims.append({"claim": r["claim"], "compared_to": r.get("compared_to"), "tier": r.get("tier"),
                       "source_title": src.get("title"), "source_url": r.get("source_url"),
                       "locator": r.get("locator")})
    cited = {v["source_url"] for v in values if v["source_url"]} | {c["source_url"] for c in claims if c["source_url"]}
    cited |= {a.get("source_url") for v in values for a in v["alternatives"] if a.get("source_url")}
    sources = {s["url"]: {k: clean(s.get(k)) for k in ("title", "publisher", "tier", "published_date",
                                                        "source_version", "accessed_date")}
               for s in atlas.source_by_id.values() if s.get("url") in cited}
    return {"accelerator_id": acc_id, **ident, "values": values, "derived": derived, "claims": claims,
            "sources": sources}


def render_plain(doc: dict) -> str:
    import textwrap

    from tabulate import tabulate

    from harness.views import fields as F
    from harness.views.table import fmt_number

    out = [f"{doc['name']}  ({doc['accelerator_id']})", ""]
    for k in F.IDENTITY:
        if k != "name" and doc.get(k) is not None:
            shown = {True: "yes", False: "no"}.get(doc[k], doc[k]) if isinstance(doc[k], bool) else doc[k]
            out.append(f"  {F.LABELS.get(k, k.replace('_', ' ')).lower() + ':':<24}{shown}")
    sources: dict[str, int] = {}

    def cite(url, title) -> str:
        if not url:
            return ""
        n = sources.setdefault(url, len(sources) + 1)
        titles[n] = (title, url)
        return f"[{n}]"

    titles: dict[int, tuple] = {}
    rows, unknown, details = [], [], []
    for v in doc["values"]:
        if v["state"] == "unknown":
            unknown.append(v["field"])
            continue
        if v["state"] == "known":
            shown = fmt_number(v["value"]) if v["value"] is not None else v["value_text"]
            shown = f"{shown} {v['unit']}" if v["unit"] else shown
        else:
            shown = {"undisclosed": "not disclosed", "unsupported": "not supported"}[v["state"]]
        printed = ""
        if v["is_derived"]:
            printed = f"{v['value_printed']} {v['unit_printed'] or ''}".strip()
            printed = v["derivation"] if v["derivation"].startswith(printed) else f"{printed}; {v['derivation']}"
        elif v["basis"] == "sparse":
            printed = "sparse"
        rows.append([v["field"], textwrap.shorten(shown, 40), v["tier"] or "", cite(v["source_url"], v["source_title"]),
                     printed])
        extra = []
        if v["locator"]:
            extra.append(f"at: {v['locator']}")
        if v["note"]:
            extra.append(f"note: {v['note']}")
        for a in v["alternatives"]:
            alt = f"{a.get('value')} {a.get('unit') or ''}".strip()
            extra.append(f"alternative: {alt} ({a.get('tier')}) {cite(a.get('source_url'), None)}"
                         + (f" at {a['locator']}" if a.get("locator") else "")
                         + (f"; {a['note']}" if a.get("note") else ""))
        if extra:
            details.append((v["field"], extra))
    out += ["", "Values (dense peaks, canonical units):"]
    out.append(tabulate(rows, ["field", "value", "tier", "source", "as printed -> converted"], tablefmt="simple",
                        disable_numparse=True))
    if details:
        out += ["", "Where each value stands in its source:"]
        for fld, extra in details:
            out.append(f"  {fld}")
            out += [textwrap.fill(e, 110, initial_indent="    ", subsequent_indent="      ") for e in extra]
    if unknown:
        out += ["", textwrap.fill("Unknown (no source found): " + ", ".join(unknown), 110, subsequent_indent="  ")]
    out += ["", "Derived metrics:"]
    drows = []
    for d in doc["derived"]:
        if d["value"] is None and d["value_text"] is None:
            shown = "?"
        elif d["value"] is not None:
            shown = ("≥" if d["is_lower_bound"] else "") + fmt_number(d["value"])
            shown += f" {d['unit']}" if d["unit"] else ""
        else:
            shown = d["value_text"]
        drows.append([d["field"], shown, d["tier"] or "", "informational, not a legal determination"
                      if d["informational"] else ""])
    out.append(tabulate(drows, ["metric", "value", "weakest input tier", ""], tablefmt="simple", disable_numparse=True))
    if doc["claims"]:
        out += ["", "Claims (comparisons as the source makes them, never turned into numbers):"]
        for c in doc["claims"]:
            vs = f" [vs {c['compared_to']}]" if c["compared_to"] else ""
            out.append(textwrap.fill(f"- \"{c['claim']}\"{vs} ({c['tier']}) {cite(c['source_url'], c['source_title'])}"
                                     + (f" at {c['locator']}" if c["locator"] else ""), 110, subsequent_indent="  "))
    out += ["", "Sources:"]
    for n in sorted(titles):
        title, url = titles[n]
        meta = doc.get("sources", {}).get(url, {})
        when = [f"{k} {meta[key]}" for k, key in (("published", "published_date"), ("version", "source_version"),
                                                   ("read", "accessed_date")) if meta.get(key)]
        tail = f" ({meta['tier']}; {', '.join(when)})" if meta.get("tier") else ""
        out.append(f"[{n}] {title + ' ' if title else ''}{url}{tail}")
    return "\n".join(out) + "\n"


def run(args) -> int:
    from harness.resolve import Resolver
    from harness.views.data import Atlas

    atlas = Atlas(args.results)
    acc_id = Resolver(atlas.acc).resolve(args.accelerator)
    doc = collect(atlas, acc_id)
    if args.format == "json":
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        sys.stdout.write(render_plain(doc))
    return 0
