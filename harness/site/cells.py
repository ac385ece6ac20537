"""A value as the explorer shows it: the terminal's display text and markers, plus a tooltip.

The text of a cell is `harness.views.table.display` (the same markers as `accel compare`:
† reported, ~ estimated, * from a sparse figure, ° basis unstated, ‡ disputed, ≥ lower bound,
n/d, n/s, ?), so the site and the terminal cannot disagree. Each cell points at one tooltip
record (`Tips`): the field, the state, the tier, the source's title, locator and access date,
and a link, or for a derived metric its inputs and their sources. Records are deduplicated and
shipped once per page as JSON; the page's script renders them with textContent.

A cell is keyboard-focusable only when it carries a marker or a not-disclosed / not-supported
state; a plain official value or an unknown one is reachable by hover (and its row's SKU page
lists every source), so a table of 80 rows does not become a thousand tab stops.
"""

from __future__ import annotations

from harness.site.html import esc, href
from harness.views import fields as F
from harness.views.data import Atlas, Cell
from harness.views.table import LEGEND, STATE_MARK, display, markers

STATE_WORDS = {"known": "known", "unknown": "unknown: no source found",
               "undisclosed": "not disclosed by the vendor", "unsupported": "not supported by the part"}


def value_fields(atlas: Atlas) -> list[str]:
    """The value fields of the wide table: `Atlas.value_fields` less the bookkeeping columns the
    table also carries (`<field>__state`, `<field>__tier`, the price row's `_id`)."""
    return [f for f in atlas.value_fields if "__" not in f and not f.endswith("_id")]


def marker_meanings(cell: Cell) -> list[str]:
    """The legend lines for a known cell's markers (read from its flags, not from its text)."""
    marks = markers(cell) + ("≥" if cell.lower_bound else "")
    return [f"{m} {LEGEND[m]}" for m in LEGEND if len(m) == 1 and m in marks]


class Tips:
    """Tooltip records for one page, deduplicated; a cell refers to its record by number, and a
    record to its sources by number in a list of their own (a title is written once per page)."""

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self.records: list[dict] = []
        self.sources: list[list] = []
        self._index: dict[str, int] = {}
        self._source_index: dict[str, int] = {}

    def add(self, record: dict) -> int:
        import json

        key = json.dumps(record, sort_keys=True, default=str)
        if key not in self._index:
            self._index[key] = len(self.records)
            self.records.append(record)
        return self._index[key]

    def source_line(self, source_id: str | None, locator=None, tier=None) -> list:
        """[source number, locator, tier]; the source is [title, url, tier, date read]."""
        if source_id not in self._source_index:
            s = self.atlas.source_by_id.get(source_id) or {}
            self._source_index[source_id] = len(self.sources)
            self.sources.append([s.get("title") or source_id, s.get("url") if href(s.get("url")) else None,
                                 s.get("tier"), s.get("accessed_date")])
        return [self._source_index[source_id], locator, tier or self.sources[self._source_index[source_id]][2]]

    def data(self) -> dict:
        """What the page embeds as its `tips` JSON."""
        return {"t": self.records, "s": self.sources}

    def for_cell(self, cell: Cell) -> int:
        text = display(cell, width=None)
        rec: dict = {"h": f"{F.label(cell.field)}: {text}", "state": STATE_WORDS.get(cell.state, cell.state),
                     "marks": marker_meanings(cell) if cell.state == "known" else [], "src": []}
        if cell.tier:
            rec["tier"] = cell.tier
        if cell.field in F.DERIVED:
            ins = [i for i in F.DERIVED[cell.field] if i != F.PRICE]
            rec["from"] = "derived from " + ", ".join(F.LABELS.get(i, i) for i in ins) + \
                (" and the lowest cloud price" if F.PRICE in F.DERIVED[cell.field] else "") + \
                "; its tier is the weakest of its inputs'"
            rec["src"] = [self.source_line(s) for s in cell.source_ids]
            if cell.field in F.EXPORT_FIELDS:
                rec["note"] = "informational, not a legal determination"
        elif cell.row:
            r = cell.row
            rec["src"] = [self.source_line(r.get("source_id"), r.get("locator"), r.get("tier"))]
            if r.get("note"):
                rec["note"] = r["note"]
            if r.get("is_derived") and r.get("derivation"):
                rec["from"] = str(r["derivation"])
        return self.add(rec)


STATE_SHORT_WORDS = {"undisclosed": "not disclosed (n/d)", "unsupported": "not supported (n/s)",
                     "unknown": "unknown (?)"}


def split_markers(cell: Cell, text: str) -> tuple[str, str]:
    """(value text, marker suffix) of a known cell's display text."""
    m = markers(cell)
    return (text[: -len(m)], m) if m and text.endswith(m) else (text, "")


def cell_html(cell: Cell, tips: Tips, *, words: bool = False) -> str:
    """The cell's display text, markers in their own span, with its tooltip number; ``words``
    spells a state out ("not disclosed (n/d)") where a table cell would show the mark alone."""
    text = display(cell, width=None)
    tip = tips.for_cell(cell)
    if cell.state != "known":
        focus = ' tabindex="0"' if cell.state in ("undisclosed", "unsupported") else ""
        shown = STATE_SHORT_WORDS[cell.state] if words else STATE_MARK[cell.state]
        return f'<span class="c st st-{esc(cell.state)}" data-tip="{tip}"{focus}>{esc(shown)}</span>'
    base, marks = split_markers(cell, text)
    focus = ' tabindex="0"' if marks or cell.lower_bound else ""
    mk = f'<span class="mk">{esc(marks)}</span>' if marks else ""
    return f'<span class="c" data-tip="{tip}"{focus}>{esc(base)}{mk}</span>'


def sort_key(cell: Cell) -> str:
    """A number to sort by (unknown and absent states sort last, as an empty key)."""
    if cell.state == "known" and cell.value is not None:
        return repr(float(cell.value))
    return ""
