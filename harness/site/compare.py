"""The compare page: 2 to 8 SKUs and a baseline, laid out as `accel compare` lays them out.

One code path: every cell text, row label, ratio and note on the page is produced here by
`harness.views.table.Comparison` (`grid`, `ratio`, `notes`), the class behind `accel compare`,
over all SKUs at once; the page's script (compare.js) only picks the chosen columns and the
chosen preset's rows, and lists the markers and sources those cells use, in the order
`Comparison.sources` gives them. Ratio rows depend on the baseline, so each baseline's ratios
are a small script of their own (compare/ratios/<sku>.js), loaded when it is chosen: a script
element works from file://, where fetching a JSON file does not.

The one rule the script applies itself is `Comparison.is_numeric` for the chosen columns: a
field with a unit always gets a ratio row; one without (dies, TPP) only when a chosen SKU has a
number for it. The selection lives in the URL's hash (ids, baseline, preset), so a comparison is
a link.
"""

from __future__ import annotations

import json

from harness.site.cells import Tips, split_markers
from harness.site.html import esc, href, json_script, page
from harness.site.names import slug
from harness.views import fields as F
from harness.views.data import Atlas
from harness.views.table import LEGEND, Comparison


class CachedAtlas:
    """An Atlas whose cells are computed once: the ratios of every pair read each cell 80 times."""

    def __init__(self, atlas: Atlas):
        self._atlas, self._cells = atlas, {}

    def cell(self, acc_id: str, fld: str):
        key = (acc_id, fld)
        if key not in self._cells:
            self._cells[key] = self._atlas.cell(acc_id, fld)
        return self._cells[key]

    def __getattr__(self, name):
        return getattr(self._atlas, name)


def presets(atlas: Atlas) -> dict[str, list[str]]:
    """Each preset's rows, chosen as `accel compare --preset NAME` chooses them."""
    return {name: F.select(atlas.columns, preset=name) for name in F.PRESETS}


def build(atlas: Atlas, ids: list[str], tips: Tips) -> tuple[dict, dict[str, str]]:
    """(the page's data, {file name under compare/ratios/: script}) for SKUs ``ids``."""
    cached = CachedAtlas(atlas)
    rows_by_preset = presets(atlas)
    fields = list(dict.fromkeys(f for rows in rows_by_preset.values() for f in rows))
    cmp = Comparison(cached, ids, fields)
    headers, grid = cmp.grid(width=None)
    src_ids = list(dict.fromkeys(s for f in fields for a in ids for s in cached.cell(a, f).source_ids))
    src_index = {s: i for i, s in enumerate(src_ids)}
    cells = {}
    for fld, row in zip(fields, grid, strict=True):
        cells[fld] = [[text, [src_index[s] for s in cached.cell(a, fld).source_ids],
                       1 if cached.cell(a, fld).value is not None else 0, tips.for_cell(cached.cell(a, fld)),
                       len(split_markers(cached.cell(a, fld), text)[1]) if cached.cell(a, fld).state == "known" else 0]
                      for a, text in zip(ids, row[1:], strict=True)]
    sources = []
    for s in src_ids:
        r = atlas.source_by_id.get(s, {"source_id": s})
        sources.append([r.get("title") or s, r.get("tier"), r.get("url") if href(r.get("url")) else None])
    data = {
        "skus": [{"id": a, "name": n, "slug": slug(a), "vendor": atlas.by_id[a].get("vendor")}
                 for a, n in zip(ids, headers[1:], strict=True)],
        "fields": [{"f": f, "label": row[0], "unit": F.unit(f) is not None}
                   for f, row in zip(fields, grid, strict=True)],
        "presets": rows_by_preset,
        "notes": {name: Comparison(cached, [], rows).notes() for name, rows in rows_by_preset.items()},
        "cells": cells, "sources": sources, "legend": [[m, t] for m, t in LEGEND.items()],
    }
    ratios = {}
    numeric = [f for f in fields if cmp.is_numeric(f)]
    for b in ids:
        _, brows = Comparison(cached, ids, numeric, baseline=b).grid(width=None)
        pairs = dict(zip(numeric, zip(brows[0::2], brows[1::2], strict=True), strict=True))
        doc = {"baseline": b, "label": brows[1][0] if brows else "",
               "rows": {f: ratio_row[1:] for f, (_, ratio_row) in pairs.items()}}
        text = json.dumps(doc, ensure_ascii=True, separators=(",", ":"))
        ratios[f"{slug(b)}.js"] = f"accelAtlasRatios({text});\n"
    return data, ratios


def render(atlas: Atlas, ids: list[str]) -> tuple[str, dict[str, str]]:
    tips = Tips(atlas)
    data, ratios = build(atlas, ids, tips)
    vendors: dict[str, list] = {}
    for k, s in enumerate(data["skus"]):
        vendors.setdefault(s["vendor"] or "", []).append((k, s))
    opts = "".join(f'<optgroup label="{esc(v)}">' + "".join(f'<option value="{esc(s["id"])}">{esc(s["name"])}</option>'
                                                            for _, s in items) + "</optgroup>"
                   for v, items in vendors.items())
    pre = "".join(f'<option value="{esc(p)}">{esc(p)}</option>' for p in data["presets"])
    body = f"""<h1>Compare accelerators</h1>
<p class="lede">Pick 2 to 8 accelerators and, if you like, a baseline: the table is the one
<code>accel compare</code> prints (same rows, presets, markers and ratio rules). The selection is in the
address, so the link shares the comparison.</p>
<form class="picker" id="picker" aria-label="Choose accelerators">
<label>Accelerator <select id="add-sku">{opts}</select></label>
<button type="button" id="add">Add</button>
<label>Baseline <select id="baseline"><option value="">none</option></select></label>
<label>Rows <select id="preset">{pre}</select></label>
</form>
<ul id="chosen" class="chips" aria-label="Chosen accelerators"></ul>
<p id="cmp-status" role="status" aria-live="polite"></p>
<div class="scroll"><table id="cmp" class="grid cmp"></table></div>
<ul id="cmp-legend" class="legend"></ul><div id="cmp-notes"></div>
<h2>Sources</h2><ol id="cmp-sources"></ol>
<p class="small">Share this comparison: <a id="share" href="compare.html">link</a>. The same table in a
terminal: <code id="cmd"></code></p>"""
    html = page("Compare", body, active="compare.html", scripts=("compare.js",),
                data=json_script("cmp-data", data) + json_script("tips", tips.data()))
    return html, ratios
