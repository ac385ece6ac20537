"""One page per SKU: every value with its source, locator, alternatives and claims; the derived
metrics with their inputs; the readiness scorecard of its stacks; its row as JSON and CSV.

A value that is not known says which of the three it is in words ("not disclosed", "not
supported", "unknown"), never a blank or a zero. Derived metrics link to the rows they are
computed from; the export-control ones are labelled informational, not a legal determination.
The scorecard is the SKU's stacks as `accel readiness <id> --format json` reports them.
"""

from __future__ import annotations

import csv
import io
import json

from harness.safetext import csv_cell
from harness.site import readiness as site_readiness
from harness.site.cells import Tips, cell_html, value_fields
from harness.site.html import esc, json_script, link, page, table
from harness.site.names import slug
from harness.views import fields as F
from harness.views.data import Atlas, clean
from harness.views.table import display

EXPORT_LABEL = "informational, not a legal determination"


def row_files(atlas: Atlas, acc_id: str) -> tuple[str, str]:
    """The SKU's row of the accelerators table as JSON and as CSV (formula-safe text cells)."""
    row = {k: clean(v) for k, v in atlas.acc[atlas.acc["accelerator_id"] == acc_id].iloc[0].items()}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(row), lineterminator="\n")
    w.writeheader()
    w.writerow({k: "" if v is None else csv_cell(v) for k, v in row.items()})
    return json.dumps(row, ensure_ascii=False, indent=1, default=str) + "\n", buf.getvalue()


class _Cites:
    """Sources cited on the page, numbered in order of first use."""

    def __init__(self, atlas: Atlas):
        self.atlas, self.order = atlas, {}

    def ref(self, source_id, url=None) -> str:
        if source_id is None and url:
            source_id = next((s for s, r in self.atlas.source_by_id.items() if r.get("url") == url), None)
        if source_id is None:
            return ""
        n = self.order.setdefault(source_id, len(self.order) + 1)
        title = (self.atlas.source_by_id.get(source_id) or {}).get("title") or source_id
        return f'<a href="#src-{n}" title="{esc(title)}">[{n}]</a>'

    def html(self) -> str:
        items = []
        for sid, n in self.order.items():
            s = self.atlas.source_by_id.get(sid) or {}
            when = ", ".join(f"{k} {esc(s[key])}" for k, key in (("published", "published_date"),
                             ("version", "source_version"), ("read", "accessed_date")) if s.get(key))
            items.append(f'<li id="src-{n}">{link(s.get("url"), s.get("title") or sid)}'
                         f'{" — " + esc(s["publisher"]) if s.get("publisher") else ""} ({esc(s.get("tier"))}'
                         f'{"; " + when if when else ""})</li>')
        return "<ol>" + "".join(items) + "</ol>"


def _value_rows(atlas: Atlas, acc_id: str, tips: Tips, cites: _Cites) -> tuple[list, list]:
    rows, unknown = [], []
    for fld in value_fields(atlas):
        c = atlas.cell(acc_id, fld)
        if c.state == "unknown":
            unknown.append(F.label(fld))
            continue
        r = c.row
        unit = F.unit(fld)
        shown = cell_html(c, tips, words=True) + (f" {esc(unit)}" if c.state == "known" and unit and c.value is not None
                                                  else "")
        printed = f"{r.get('value_printed') or ''} {r.get('unit_printed') or ''}".strip()
        how = "; ".join(x for x in (printed, f"basis {r['basis']}" if r.get("basis") else "",
                                    r.get("derivation") or "") if x)
        alts = "".join(
            f"<li>{esc(a.get('value'))} {esc(a.get('unit') or '')} ({esc(a.get('tier'))}) "
            f"{cites.ref(a.get('source_id'), a.get('source_url'))}"
            f"{' at ' + esc(a['locator']) if a.get('locator') else ''}{'; ' + esc(a['note']) if a.get('note') else ''}"
            "</li>" for a in (json.loads(r["alternatives"]) if r.get("alternatives") else []))
        extra = (f'<ul class="alts">{alts}</ul>' if alts else "") + (f"<p>{esc(r['note'])}</p>" if r.get("note")
                                                                        else "")
        cite = cites.ref(r.get("source_id"), r.get("source_url"))
        rows.append((fld, [esc(F.label(fld)), shown, esc(c.tier or ""), cite, esc(r.get("locator") or ""), esc(how),
                           extra]))
    return rows, unknown


def _derived_rows(atlas: Atlas, acc_id: str, tips: Tips) -> tuple[list, list]:
    """(other derived metrics, export-control metrics), each row with the inputs it is made of."""
    rows, export = [], []
    for fld in sorted(F.DERIVED, key=lambda f: F.label(f).casefold()):
        if fld not in atlas.by_id[acc_id]:
            continue
        c = atlas.cell(acc_id, fld)
        ins = []
        for i in F.DERIVED[fld]:
            if i == F.PRICE:
                ins.append("lowest cloud price")
                continue
            ic = atlas.cell(acc_id, i)
            ins.append(f'<a href="#v-{esc(i)}">{esc(F.LABELS.get(i, i))}</a> {esc(display(ic, width=None))}')
        (export if fld in F.EXPORT_FIELDS else rows).append(
            [esc(F.label(fld)), cell_html(c, tips), esc(c.tier or ""), ", ".join(ins)])
    return rows, export


def render(atlas: Atlas, acc_id: str, stack_docs: dict, upstream: dict, stacks: list[str]) -> str:
    tips, cites = Tips(atlas), _Cites(atlas)
    r = atlas.by_id[acc_id]
    name, s = atlas.name(acc_id), slug(acc_id)
    facts = []
    for k in F.IDENTITY:
        v = r.get(k)
        if k == "name" or v is None:
            continue
        v = {True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v
        facts.append(f"<dt>{esc(F.LABELS.get(k, k.replace('_', ' ').capitalize()))}</dt><dd>{esc(v)}</dd>")
    vrows, unknown = _value_rows(atlas, acc_id, tips, cites)
    vhead = ["field", "value", "tier", "source", "where in the source", "as printed → converted",
             "alternatives, notes"]
    vbody = "".join(f'<tr id="v-{esc(fld)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
                    for fld, cells in vrows)
    values = ('<div class="scroll"><table class="grid values"><thead><tr>'
              + "".join(f'<th scope="col">{esc(h)}</th>' for h in vhead) + f"</tr></thead><tbody>{vbody}</tbody>"
              "</table></div>")
    unknown_html = (f"<p><b>Unknown</b> (no source found): {esc(', '.join(unknown))}.</p>" if unknown else "")
    plain, export = _derived_rows(atlas, acc_id, tips)
    head = ["metric", "value", "weakest input tier", "computed from"]
    derived = table(head, plain) + (f'<h3 id="export">Export-control metrics: {EXPORT_LABEL}</h3>'
                                    '<p class="small">US export-control figures of the October 2022 and 2023 rules, '
                                    "computed from the figures above. Whether a part is designed or marketed for data "
                                    "centres is an input, not derived.</p>" + table(head, export) if export else "")
    cl = atlas.claims
    claims = [[esc(c.get("claim")), esc(clean(c.get("compared_to")) or ""), esc(c.get("tier")),
               cites.ref(clean(c.get("source_id")), clean(c.get("source_url"))), esc(clean(c.get("locator")) or "")]
              for c in cl[cl["accelerator_id"] == acc_id].to_dict("records")]
    claims_html = ("<h2>Claims</h2><p>Comparisons as the source makes them, never turned into numbers.</p>"
                   + table(["claim", "compared to", "tier", "source", "where"], claims)) if claims else ""
    known = set(atlas.by_id)
    score = "".join(site_readiness.stack_section(st, stack_docs[st], upstream, known, full=False, up="../")
                    for st in stacks if st in stack_docs)
    if not score:
        score = ("<p>Its spec names no software stack.</p>" if not stacks else
                 f"<p>No readiness data for {esc(', '.join(stacks))} in this build.</p>")
    body = f"""<p class="crumbs"><a href="../index.html">Accelerators</a> › {esc(r.get('vendor') or '')}</p>
<h1>{esc(name)}</h1><p class="id"><code>{esc(acc_id)}</code> · this row as
<a href="{esc(s)}.json">JSON</a> · <a href="{esc(s)}.csv">CSV</a> ·
<a href="../compare.html#ids={esc(acc_id)}">compare with others</a></p>
<dl class="facts">{''.join(facts)}</dl>
<h2>Values</h2><p class="small">Dense peaks, canonical units. Markers as in the terminal (see the
<a href="../index.html#legend">legend</a>); hover or focus a value for its source.</p>{values}{unknown_html}
<h2>Derived metrics</h2><p class="small">Computed by the build, never typed; each carries the weakest tier of
its inputs. Export-control metrics (TPP, performance density, 3A090) are {EXPORT_LABEL}.</p>{derived}
{claims_html}<h2>Software readiness</h2>{score}<h2>Sources</h2>{cites.html()}"""
    return page(name, body, depth=1, data=json_script("tips", tips.data()),
                description=f"{name}: specifications with sources")
