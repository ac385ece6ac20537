"""The comparison table: fields as rows, one column per accelerator, ratio rows under numeric fields.

Fields run down the side because six SKUs fit across a terminal while twelve fields do not; the
ratio to the baseline sits in its own row directly under each numeric field, in the same column
as the value it divides, so no extra columns are needed. A ratio is computed only from two known
values (never from unknown, undisclosed or unsupported ones) and is blank otherwise.

Marked formats (plain, github, latex, html) show markers for tier and state with a legend and the
numbered list of cited sources under the table; csv and json carry raw numbers and states only.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass

from harness.dataset.metrics import EXPORT_DISCLAIMER, ratio
from harness.errors import UserError
from harness.safetext import csv_cell
from harness.views import fields as F
from harness.views import formats
from harness.views.data import Atlas, Cell

MARKED = ("plain", "github", "latex", "html")
FORMATS = formats.FORMATS  # the one vocabulary: harness/views/formats.py
EXTENSIONS = {".md": "github", ".markdown": "github", ".tex": "latex", ".html": "html", ".htm": "html",
              ".csv": "csv", ".json": "json", ".txt": "plain"}

# marker -> meaning, in the order the legend lists them
LEGEND = {
    "†": "reported (press or third party)",
    "~": "estimated (analyst estimate)",
    "*": "dense value derived from a sparse (2:4) figure",
    "°": "basis not stated by the source: dense or sparse (left out of TPP)",
    "‡": "disputed: another source gives a different value (`accel show`)",
    "≥": "lower bound: an unknown precision could raise it",
    "?": "unknown: no source found",
    "n/d": "not disclosed by the vendor",
    "n/s": "not supported by the part",
}
STATE_MARK = {"unknown": "?", "undisclosed": "n/d", "unsupported": "n/s"}
TIER_MARK = {"reported": "†", "estimated": "~"}
TEXT_WIDTH = 28


def fmt_number(v: float) -> str:
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        s = f"{v:.1f}"
    elif a >= 1:
        s = f"{v:.2f}"
    elif a == 0:
        return "0"
    else:
        s = f"{v:.3g}"
    return s.rstrip("0").rstrip(".") if "." in s and "e" not in s else s


def fmt_ratio(r: float) -> str:
    return f"{r:.2f}×" if r < 100 else f"{r:,.0f}×"


def markers(cell: Cell) -> str:
    m = ("*" if cell.from_sparse else "") + ("°" if cell.basis_unstated else "") + TIER_MARK.get(cell.tier or "", "")
    return m + ("‡" if cell.disputed else "")


def display(cell: Cell, *, width: int | None = TEXT_WIDTH) -> str:
    if cell.state != "known":
        return STATE_MARK[cell.state]
    if cell.value is not None:
        s = fmt_number(cell.value)
    else:
        s = cell.text or ""
        if width and len(s) > width:
            s = s[: width - 1].rstrip() + "…"
    return ("≥" if cell.lower_bound else "") + s + markers(cell)


@dataclass
class Comparison:
    atlas: Atlas
    ids: list[str]
    fields: list[str]
    baseline: str | None = None

    def cell(self, acc_id: str, fld: str) -> Cell:
        return self.atlas.cell(acc_id, fld)

    def ratio(self, acc_id: str, fld: str) -> float | None:
        if self.baseline is None:
            return None
        return ratio(self.cell(acc_id, fld).numeric, self.cell(self.baseline, fld).numeric)

    def is_numeric(self, fld: str) -> bool:
        if fld in F.IDENTITY:
            return False
        return F.unit(fld) is not None or any(self.cell(a, fld).value is not None for a in self.ids)

    def sources(self) -> list[str]:
        """Source ids cited by the shown cells, in order of first appearance (row by row)."""
        seen: dict[str, None] = {}
        for fld in self.fields:
            for a in self.ids:
                for s in self.cell(a, fld).source_ids:
                    seen.setdefault(s, None)
        return list(seen)

    def source_uses(self) -> dict[str, str]:
        """Source id -> what it backs, e.g. "H20: BF16, FP8; H800 SXM: FP8" (derived metrics left out)."""
        uses: dict[str, dict[str, list[str]]] = {}
        for a in self.ids:
            for fld in self.fields:
                if fld in F.DERIVED:
                    continue
                for s in self.cell(a, fld).source_ids:
                    uses.setdefault(s, {}).setdefault(self.atlas.name(a), []).append(F.LABELS.get(fld, fld))
        return {s: "; ".join(f"{n}: {', '.join(fs)}" for n, fs in per.items()) for s, per in uses.items()}

    # --- marked formats -------------------------------------------------------------------------
    def grid(self, *, width: int | None = TEXT_WIDTH) -> tuple[list[str], list[list[str]]]:
        base_name = self.atlas.name(self.baseline) if self.baseline else None
        headers = ["field"] + [self.atlas.name(a) for a in self.ids]
        rows = []
        for fld in self.fields:
            rows.append([F.label(fld)] + [display(self.cell(a, fld), width=width) for a in self.ids])
            if self.baseline and self.is_numeric(fld):
                rs = [self.ratio(a, fld) for a in self.ids]
                rows.append([f"↳ ratio to {base_name}"] + ["" if r is None else fmt_ratio(r) for r in rs])
        return headers, rows

    def used_markers(self, rows) -> list[str]:
        text = " ".join(c for r in rows for c in r[1:])
        return [m for m in LEGEND if m in text.split() or (len(m) == 1 and m in text)]

    def notes(self) -> list[str]:
        out = []
        if any(f in F.EXPORT_FIELDS for f in self.fields):
            out.append(EXPORT_DISCLAIMER + " Derived from the figures above; whether a part is designed or "
                       "marketed for data centres is an input, not derived.")
        if any(f in F.DERIVED for f in self.fields):
            out.append("Derived metrics carry the weakest tier of their inputs.")
        return out

    def render(self, fmt: str) -> str:
        if fmt == "csv":
            return self.to_csv()
        if fmt == "json":
            return self.to_json()
        if fmt not in MARKED:
            raise UserError(f"unknown format '{fmt}'")
        from tabulate import tabulate

        headers, rows = self.grid(width={"html": None, "plain": 16}.get(fmt, TEXT_WIDTH))
        legend = [(m, LEGEND[m]) for m in self.used_markers(rows)]
        srcs = [self.atlas.source_by_id.get(s, {"source_id": s}) for s in self.sources()]
        uses = self.source_uses()
        colalign = ["left"] + ["right"] * len(self.ids)
        if fmt == "plain":
            import textwrap

            table = tabulate(rows, headers, tablefmt="simple", colalign=colalign, disable_numparse=True,
                             maxheadercolwidths=[None] + [12] * len(self.ids))
            lines = [table, ""]
            if legend:
                lines += pack([f"{m} {t}" for m, t in legend], 110)
            lines += [w for n in self.notes() for w in textwrap.wrap(n, 110)]
            lines.append("Sources:")
            for i, s in enumerate(srcs, 1):
                lines.append(f"[{i}] {s.get('title')} ({s.get('tier')}) {s.get('url')}")
                if uses.get(s["source_id"]):
                    lines += textwrap.wrap(f"for {uses[s['source_id']]}", 110, initial_indent="     ",
                                           subsequent_indent="     ")
            return "\n".join(lines) + "\n"
        if fmt == "github":
            table = tabulate(rows, headers, tablefmt="github", colalign=colalign, disable_numparse=True)
            lines = [table, ""]
            if legend:
                lines += ["Legend: " + "; ".join(f"`{m}` {t}" for m, t in legend), ""]
            lines += [n + "\n" for n in self.notes()]
            lines.append("Sources:")
            lines.append("")
            for i, s in enumerate(srcs, 1):
                lines.append(f"{i}. [{_md(s.get('title'))}]({s.get('url')}) ({s.get('tier')})"
                             + (f" — {_md(uses[s['source_id']])}" if uses.get(s["source_id"]) else ""))
            return "\n".join(lines) + "\n"
        if fmt == "latex":
            table = tabulate(rows, headers, tablefmt="latex_booktabs", colalign=colalign, disable_numparse=True)
            lines = ["% generated by `accel compare`; markers need a Unicode engine (xelatex, lualatex)", table]
            foot = ["; ".join(f"{m} {t}" for m, t in legend)] if legend else []
            foot += self.notes()
            foot += [f"[{i}] {s.get('title')} ({s.get('tier')}) \\url{{{s.get('url')}}}" for i, s in enumerate(srcs, 1)]
            lines.append("\\begin{flushleft}\\footnotesize")
            lines += [_tex(x) + r" \\" if not x.startswith("[") else _tex_cite(x) + r" \\" for x in foot]
            lines.append("\\end{flushleft}")
            return "\n".join(lines) + "\n"
        # html
        table = tabulate(rows, headers, tablefmt="html", colalign=colalign, disable_numparse=True)
        parts = [table]
        if legend:
            parts.append("<p>" + "; ".join(f"<code>{html.escape(m)}</code> {html.escape(t)}" for m, t in legend)
                         + "</p>")
        parts += [f"<p>{html.escape(n)}</p>" for n in self.notes()]
        parts.append("<ol>" + "".join(
            f'<li><a href="{html.escape(s.get("url") or "")}">{html.escape(str(s.get("title")))}</a> '
            f'({html.escape(str(s.get("tier")))})</li>' for s in srcs) + "</ol>")
        return "\n".join(parts) + "\n"

    # --- raw formats ----------------------------------------------------------------------------
    RAW_COLUMNS = ("accelerator_id", "name", "field", "unit", "state", "value", "value_text", "tier", "basis",
                   "is_derived", "is_lower_bound", "source_id", "source_url", "baseline_id", "ratio_to_baseline")

    def records(self) -> list[dict]:
        out = []
        for fld in self.fields:
            for a in self.ids:
                c = self.cell(a, fld)
                out.append({
                    "accelerator_id": a, "name": self.atlas.name(a), "field": fld, "unit": F.unit(fld),
                    "state": c.state, "value": c.value, "value_text": c.text, "tier": c.tier,
                    "basis": c.row.get("basis"), "is_derived": c.is_derived, "is_lower_bound": c.lower_bound,
                    "source_id": ";".join(c.source_ids) or None,
                    "source_url": c.row.get("source_url"), "baseline_id": self.baseline,
                    "ratio_to_baseline": self.ratio(a, fld),
                })
        return out

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=self.RAW_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in self.records():
            w.writerow({k: "" if v is None else csv_cell(v) for k, v in r.items()})
        return buf.getvalue()

    def to_json(self) -> str:
        srcs = [self.atlas.source_by_id.get(s, {"source_id": s}) for s in self.sources()]
        doc = {
            "baseline": self.baseline,
            "accelerators": [{"accelerator_id": a, "name": self.atlas.name(a)} for a in self.ids],
            "fields": [{"field": f, "label": F.label(f, with_unit=False), "unit": F.unit(f)} for f in self.fields],
            "values": self.records(),
            "sources": [{k: s.get(k) for k in ("source_id", "title", "publisher", "url", "tier")} for s in srcs],
            "notes": self.notes(),
        }
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def pack(items: list[str], width: int, sep: str = "   ") -> list[str]:
    """Join items into lines of at most ``width`` characters without breaking an item."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(sep) + len(item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
        "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(text: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in text)


def _tex_cite(text: str) -> str:
    head, _, url = text.rpartition("\\url{")
    return _tex(head) + "\\url{" + url if url else _tex(text)


def format_for(fmt: str | None, out) -> str:
    """The output format: --format, else the --out file's extension, else plain."""
    from harness.problems import did_you_mean

    if fmt is None:
        if out is not None:
            return EXTENSIONS.get(str(out)[str(out).rfind("."):].lower(), "plain") if "." in str(out) else "plain"
        return "plain"
    if fmt not in FORMATS:
        raise UserError(f"unknown format '{fmt}'{did_you_mean(fmt, FORMATS)}; use one of {', '.join(FORMATS)}")
    return fmt
