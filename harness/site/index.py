"""The index page: every SKU in one table, filtered, sorted and searched in the browser.

The table is rendered here, whole, so the page reads without JavaScript and the script only
hides rows, reorders them and hides columns (index.js). Every row carries what the filters
compare (vendor, market, status, grouped form factor, year, search key) as data attributes;
every numeric cell carries its canonical value in `data-v`, so sorting never parses display text.
Columns not shown by default are in the page too (hidden), so choosing columns needs no fetch.
"""

from __future__ import annotations

from harness.site import names
from harness.site.cells import Tips, cell_html, sort_key, value_fields
from harness.site.html import esc, json_script, page
from harness.views import fields as F
from harness.views.data import Atlas
from harness.views.table import LEGEND

SHOWN = ("name", "vendor", "market", "status", "year", "bf16_tflops", "fp8_tflops", "memory_capacity_gb",
         "memory_bandwidth_tbps", "tdp_w")
FILTERS = (("vendor", "Vendor"), ("market", "Market"), ("status", "Status"), ("ff", "Form factor"),
           ("year", "Year"))


def columns(atlas: Atlas) -> list[tuple[str, str, str]]:
    """(key, label, kind) for every column the index can show; kind: text or num."""
    cols = [("name", "Name", "text"), ("vendor", "Vendor", "text"), ("market", "Market", "text"),
            ("status", "Status", "text"), ("form_factor", "Form factor", "text"), ("year", "Year", "text")]
    for fld in value_fields(atlas) + [f for f in atlas.columns if f in F.DERIVED]:
        numeric = F.unit(fld) is not None or any(atlas.cell(a, fld).value is not None for a in atlas.by_id)
        cols.append((fld, F.label(fld), "num" if numeric else "text"))
    return cols


def _row(atlas: Atlas, acc_id: str, cols, tips: Tips) -> str:
    r = atlas.by_id[acc_id]
    yr, yr_text = names.year(r)
    attrs = {"vendor": r.get("vendor"), "market": r.get("market"), "status": r.get("status"),
             "ff": names.form_group(r.get("form_factor")), "year": yr, "q": names.search_key(r)}
    tds = []
    for key, _, kind in cols:
        hidden = "" if key in SHOWN else " hidden"
        if key == "name":
            link = f'<a href="sku/{esc(names.slug(acc_id))}.html">{esc(atlas.name(acc_id))}</a>'
            tds.append(f'<th scope="row" data-col="name">{link}</th>')
        elif key == "year":
            note = ' title="announced; no release date in the data"' if "ann." in yr_text else ""
            tds.append(f'<td data-col="year"{hidden}{note}>{esc(yr_text)}</td>')
        elif key in ("vendor", "market", "status", "form_factor"):
            text = r.get(key) or ""
            tds.append(f'<td data-col="{key}"{hidden} title="{esc(text)}">{esc(text)}</td>' if key == "form_factor"
                       else f'<td data-col="{key}"{hidden}>{esc(text)}</td>')
        else:
            cell = atlas.cell(acc_id, key)
            v = f' data-v="{sort_key(cell)}"' if kind == "num" else ""
            tds.append(f'<td data-col="{esc(key)}" class="{kind}"{v}{hidden}>{cell_html(cell, tips)}</td>')
    data = "".join(f' data-{k}="{esc(v)}"' for k, v in attrs.items())
    return f"<tr{data}>" + "".join(tds) + "</tr>"


def _select(key: str, label: str, values: list[str], counts: dict) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(v)} ({counts[v]})</option>' for v in values)
    return (f'<label>{esc(label)} <select id="f-{key}" data-filter="{key}"><option value="">all</option>{opts}'
            "</select></label>")


def render(atlas: Atlas, ids: list[str]) -> str:
    tips = Tips(atlas)
    cols = columns(atlas)
    rows = [_row(atlas, a, cols, tips) for a in ids]
    values: dict[str, dict] = {k: {} for k, _ in FILTERS}
    for a in ids:
        r = atlas.by_id[a]
        for k, v in (("vendor", r.get("vendor")), ("market", r.get("market")), ("status", r.get("status")),
                     ("ff", names.form_group(r.get("form_factor"))), ("year", names.year(r)[0])):
            if v:
                values[k][v] = values[k].get(v, 0) + 1
    selects = "".join(_select(k, label, sorted(values[k], reverse=(k == "year")), values[k]) for k, label in FILTERS)
    heads = "".join(
        f'<th scope="col" data-col="{esc(k)}" data-type="{kind}" aria-sort="none"'
        + ("" if k in SHOWN else " hidden") + f'><button type="button">{esc(label)}</button></th>'
        for k, label, kind in cols)
    boxes = "".join(f'<label><input type="checkbox" data-col="{esc(k)}"' + (" checked" if k in SHOWN else "")
                    + (" disabled" if k == "name" else "") + f"> {esc(label)}</label>" for k, label, _ in cols)
    legend = "".join(f"<li><b>{esc(m)}</b> {esc(t)}</li>" for m, t in LEGEND.items())
    body = f"""<h1>AI accelerators</h1>
<p class="lede">{len(ids)} accelerators, every value with its source. Hover or focus a value for its
source, tier, locator and access date; open a name for everything known about it.</p>
<form class="filters" id="filters" role="search" aria-label="Filter accelerators">
<label class="q">Search <input type="search" id="q" autocomplete="off"
 placeholder="name or alias: H100, 昆仑芯, Ascend"></label>{selects}
<button type="button" id="reset">Reset</button>
<details class="cols"><summary>Columns</summary><fieldset><legend>Columns shown</legend>{boxes}</fieldset></details>
</form>
<p id="count" role="status" aria-live="polite">{len(ids)} of {len(ids)} accelerators</p>
<div class="scroll"><table id="atlas" class="grid sortable">
<caption class="sr">Accelerators; column headers sort</caption>
<thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>
<h2 id="legend">Markers</h2><ul class="legend">{legend}</ul>
<p class="small">Throughput columns are dense peaks. A ratio, sum or comparison is never made from a value
that is unknown (?), not disclosed (n/d) or not supported (n/s).</p>"""
    return page("Accelerators", body, active="index.html", scripts=("index.js",),
                data=json_script("tips", tips.data()),
                description="AI accelerator specifications, every number with its source")
