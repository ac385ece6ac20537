"""Figures: roofline, peak throughput per precision, and an announce/release timeline.

Only this module imports matplotlib, with the Agg backend, and only when a plot is drawn. Every
figure leaves out what it cannot place (an unknown bandwidth, a missing date) and names what it
left out on the figure itself, so a missing bar is never read as zero. Reported and estimated
inputs are drawn dashed or hollow, and the figure says so.

Decisions, for figures of 80 parts as much as of 4:
- Parts are labelled directly (roofline: a label column at the right with a leader to each
  line's plateau; peaks and timeline: one row per part, named at its start), never by a legend
  laid over the data. The only legend left is the precisions' (at most nine), above the axes.
- Colours never repeat within a figure: the roofline gives each part its own colour (tab10,
  tab20, then hues spaced by the golden angle); peaks colour precisions, not parts.
- Margins are fixed in inches and the figure grows with the number of parts and of footer
  lines, so labels and the "left out" note never overlap the axes or each other.
- Chinese names need a CJK-capable font: a CJK family found on the system (fontconfig's list,
  which matplotlib's cache may predate) is added as a fallback after DejaVu Sans; with none,
  CJK characters are dropped from labels (the Latin part of the name stays) rather than drawn
  as empty boxes.
- Each part's artists carry an SVG id `part<i>_<what>`, ``i`` its position in ``ids``, so the
  web explorer can highlight a part in the drawn SVG without a second plotting code path.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap

from harness.views import fields as F
from harness.views.data import Atlas
from harness.views.table import fmt_number

KINDS = ("roofline", "peaks", "timeline")
PRECISIONS = ("fp64_tensor_tflops", "fp32_tflops", "tf32_tflops", "bf16_tflops", "fp16_tflops", "fp8_tflops",
              "fp6_tflops", "fp4_tflops", "int8_tops")
STATE_TEXT = {"unknown": "?", "undisclosed": "n/d", "unsupported": "n/s"}
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Droid Sans Fallback", "Microsoft YaHei", "PingFang SC", "SimHei")
_CJK_FILE = re.compile(r"cjk|wqy|wenquan|droidsansfallback|sourcehan|notosanssc", re.I)
_CJK_CHAR = re.compile("[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
LINE_IN = 0.15       # one footer line at 7.5 pt, in inches
LABEL_IN = 0.13      # one direct label at 7 pt, in inches
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*", "h")
GREY = "#555555"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@functools.lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """A font family that draws Chinese, or None when the system has none."""
    from matplotlib import font_manager as fm

    have = {f.name for f in fm.fontManager.ttflist}
    if not any(f in have for f in CJK_FAMILIES):
        try:
            for path in fm.findSystemFonts():
                if _CJK_FILE.search(path):
                    fm.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # an unreadable font file: draw without it
            pass
        have = {f.name for f in fm.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in have), None)


def _fonts() -> dict:
    """rc settings for a figure: DejaVu Sans, then a CJK family where there is one."""
    cjk = cjk_family()
    return {"font.family": ["DejaVu Sans"] + ([cjk] if cjk else [])}


def shown_name(atlas: Atlas, a: str, limit: int = 44) -> str:
    """The part's name as the figure can draw it: CJK dropped when no font has it, shortened."""
    name = atlas.name(a)
    if cjk_family() is None and _CJK_CHAR.search(name):
        name = re.sub(r"\(\s*\)", "", _CJK_CHAR.sub(" ", name))
        name = " ".join(name.split()) or a.split("/")[-1]
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def palette(n: int) -> list[tuple]:
    """``n`` colours, all different: tab10 up to 10, tab20 up to 20, then golden-angle hues."""
    import colorsys

    from matplotlib import colormaps

    if n <= 10:
        return [colormaps["tab10"](i) for i in range(n)]
    if n <= 20:
        return [colormaps["tab20"](i) for i in range(n)]
    out = []
    for i in range(n):
        hue = (i * 0.6180339887) % 1.0
        light = 0.5 if i % 2 or 0.1 < hue < 0.45 else 0.8  # yellows and greens only in the darker shade
        out.append((*colorsys.hsv_to_rgb(hue, 0.9, light), 1.0))
    return out


def spread(ys: list[float], gap: float, lo: float = 0.0, hi: float = 1.0) -> list[float]:
    """Label positions as near ``ys`` as can be, at least ``gap`` apart, inside [lo, hi], order kept."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    pos = [min(max(ys[i], lo), hi) for i in order]
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + gap)
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - gap)
    if pos and pos[0] < lo:  # more labels than room: share it evenly
        pos = [lo + k * (hi - lo) / max(len(pos) - 1, 1) for k in range(len(pos))]
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


def _figure(plt, *, width: float, plot_h: float, left: float, right: float, notes, top: float = 0.5,
            bottom: float = 0.55):
    """A figure whose axes sit at fixed margins (inches), with a footer tall enough for ``notes``
    (``(text, colour)`` pairs, wrapped to the width) below the x-axis label."""
    per_line = int((width - 0.2) * 16)
    wrapped = [(line, colour) for text, colour in notes if text for line in textwrap.wrap(text, per_line)]
    foot = 0.1 + LINE_IN * len(wrapped)
    height = top + plot_h + bottom + foot
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((left / width, (bottom + foot) / height, (width - left - right) / width, plot_h / height))
    for k, (line, colour) in enumerate(reversed(wrapped)):
        fig.text(0.1 / width, (0.08 + k * LINE_IN) / height, line, fontsize=7.5, color=colour, ha="left",
                 va="bottom")
    return fig, ax


def _left_out(left_out: list[str]) -> tuple[str, str]:
    return ("Left out (unknown input): " + "; ".join(left_out) if left_out else "", "#a33333")


def roofline(atlas: Atlas, ids: list[str]):
    """Dense BF16 attainable TFLOPS against arithmetic intensity, log-log, with each ridge point."""
    plt = _pyplot()
    left_out, drawn = [], []
    for i, a in enumerate(ids):
        peak, bw = atlas.cell(a, "bf16_tflops"), atlas.cell(a, "memory_bandwidth_tbps")
        missing = [f"{F.LABELS[c.field]} {STATE_TEXT[c.state]}" for c in (peak, bw) if c.numeric is None]
        if missing:
            left_out.append(f"{atlas.name(a)} ({', '.join(missing)})")
            continue
        drawn.append((i, a, peak, bw))
    drawn.sort(key=lambda d: -d[2].numeric)
    texts = {a: f"{shown_name(atlas, a, 34)}{' *' if p.from_sparse else ''}  {fmt_number(p.numeric)} TF, "
                f"{fmt_number(b.numeric)} TB/s" for _, a, p, b in drawn}
    label_w = min(4.6, 0.75 + 0.056 * max((len(t) for t in texts.values()), default=10))
    notes = [("dashed: an input is reported/estimated, not official; *: dense derived from a sparse figure; "
              "labels: dense BF16 peak and memory bandwidth", GREY), _left_out(left_out)]
    with plt.rc_context(_fonts()):
        fig, ax = _figure(plt, width=8.4 + label_w, plot_h=max(4.6, LABEL_IN * len(drawn) + 0.4), left=0.85,
                          right=label_w, notes=notes)
        if drawn:
            ridges = [p.numeric / b.numeric for _, _, p, b in drawn]
            lo, hi = min(ridges) / 20, max(ridges) * 20
            ylo, yhi = min(b.numeric * lo for *_, b in drawn) * 0.8, max(p.numeric for _, _, p, _ in drawn) * 2.5
            colours = palette(len(drawn))
            import math

            frac = [(math.log(p.numeric) - math.log(ylo)) / (math.log(yhi) - math.log(ylo)) for _, _, p, _ in drawn]
            gap = LABEL_IN / (fig.get_figheight() * ax.get_position().height)
            at = spread(frac, gap)
            for (i, a, p, b), colour, y in zip(drawn, colours, at, strict=True):
                r = p.numeric / b.numeric
                weak = p.tier != "official" or b.tier != "official"
                ax.plot([lo, r, hi], [b.numeric * lo, p.numeric, p.numeric], color=colour, lw=1.6,
                        ls="--" if weak else "-", gid=f"part{i}_line",
                        label=f"{atlas.name(a)}: {fmt_number(p.numeric)} TFLOPS{' *' if p.from_sparse else ''}, "
                        f"{fmt_number(b.numeric)} TB/s, ridge {fmt_number(r)} FLOP/B")
                ax.plot([r], [p.numeric], "o", color=colour, ms=5, gid=f"part{i}_ridge")
                ax.annotate(texts[a], xy=(hi, p.numeric), xycoords="data", xytext=(1.07, y),
                            textcoords="axes fraction", fontsize=7, va="center", ha="left", color=colour,
                            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6, "alpha": 0.8,
                                        "shrinkA": 1, "shrinkB": 0, "relpos": (0, 0.5)},
                            annotation_clip=False, gid=f"part{i}_label")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlim(lo, hi)
            ax.set_ylim(ylo, yhi)
        else:
            ax.text(0.5, 0.5, "no accelerator has both a known BF16 peak and a known memory bandwidth",
                    ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel("arithmetic intensity (FLOP per byte of memory traffic)")
        ax.set_ylabel("attainable dense BF16 (TFLOPS)")
        ax.set_title("Roofline: dense BF16 peak vs memory bandwidth (dots: ridge points)", fontsize=11)
        ax.grid(True, which="both", alpha=0.25)
    return fig, left_out


def peaks(atlas: Atlas, ids: list[str]):
    """Dense peak throughput per precision: one row per part (named at its start), one marker per
    precision on a log axis; a precision the part does not have is named (n/d, n/s) at the row's end."""
    plt = _pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    precs = [p for p in PRECISIONS if any(atlas.cell(a, p).numeric is not None for a in ids)] or list(PRECISIONS)
    rows, left_out = [], []
    for i, a in enumerate(ids):
        cells = {p: atlas.cell(a, p) for p in precs}
        if all(c.numeric is None for c in cells.values()):
            why = [f"{s} " + ", ".join(F.LABELS[p] for p, c in cells.items() if c.state == st)
                   for st, s in (("undisclosed", "n/d"), ("unsupported", "n/s"))
                   if any(c.state == st for c in cells.values())]
            left_out.append(f"{atlas.name(a)} (no known peak{'; ' + '; '.join(why) if why else ''})")
        else:
            rows.append((i, a, cells))
    colours = dict(zip(precs, palette(len(precs)), strict=True))
    marks = dict(zip(precs, MARKERS, strict=False))
    names = {a: shown_name(atlas, a, 40) for _, a, _ in rows}
    states = {}
    for _, a, cells in rows:
        parts = [f"{s} " + ", ".join(F.LABELS[p] for p, c in cells.items() if c.state == st)
                 for st, s in (("undisclosed", "n/d"), ("unsupported", "n/s"))
                 if any(c.state == st for c in cells.values())]
        states[a] = " · ".join(parts)
    left = min(3.4, 0.35 + 0.062 * max((len(n) for n in names.values()), default=8))
    right = max(0.3, min(3.0, 0.25 + 0.05 * max((len(s) for s in states.values()), default=0)))
    notes = [("filled: official source; hollow: reported/estimated; a precision with no marker is unknown, "
              "unless the row ends with n/d (not disclosed) or n/s (not supported)", GREY), _left_out(left_out)]
    with plt.rc_context(_fonts()):
        fig, ax = _figure(plt, width=7.0 + left + right, plot_h=max(2.0, 0.24 * len(rows) + 0.3), left=left,
                          right=right, notes=notes, top=0.75)
        by_y = blended_transform_factory(ax.transAxes, ax.transData)
        known = [c.numeric for _, _, cells in rows for c in cells.values() if c.numeric is not None]
        for y, (i, a, cells) in enumerate(rows):
            if y % 2 == 0:
                ax.axhspan(y - 0.5, y + 0.5, color="#f1f3f5", lw=0, zorder=0)
            for k, (p, c) in enumerate(cells.items()):
                if c.numeric is None:
                    continue
                dy = (k - (len(precs) - 1) / 2) * 0.5 / max(len(precs), 1)  # equal values stay apart
                ax.plot([c.numeric], [y + dy], marks[p], color=colours[p], ms=6, ls="none", zorder=3,
                        mfc=colours[p] if c.tier == "official" else "white", mew=1.3, gid=f"part{i}_{p}")
            ax.text(-0.01, y, names[a], transform=by_y, ha="right", va="center", fontsize=8, gid=f"part{i}_name")
            if states[a]:
                ax.text(1.01, y, states[a], transform=by_y, ha="left", va="center", fontsize=7, color=GREY,
                        gid=f"part{i}_states")
        ax.set_xscale("log")
        if known:
            ax.set_xlim(min(known) / 1.6, max(known) * 1.6)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks([])
        ax.set_xlabel("dense peak (TFLOPS; INT8 in TOPS), log scale")
        ax.grid(True, axis="x", which="both", alpha=0.25)
        handles = [Line2D([], [], marker=marks[p], color=colours[p], ls="none", ms=6,
                          label=F.LABELS[p] + (" (TOPS)" if p.endswith("_tops") else "")) for p in precs]
        top = ax.get_position().y1
        fig.legend(handles=handles, loc="lower center", ncol=len(precs), fontsize=8, frameon=False,
                   bbox_to_anchor=(0.5, top + 0.01 / fig.get_figheight()), handletextpad=0.2, columnspacing=1.0)
        fig.text(0.5, 1 - 0.06 / fig.get_figheight(), "Dense peak throughput per precision", ha="center", va="top",
                 fontsize=11)
    return fig, left_out


def parse_date(text) -> tuple[dt.date, str] | None:
    """A partial date placed mid-period: YYYY -> 1 July, YYYY-MM -> the 15th; with its precision."""
    if not text:
        return None
    parts = str(text).split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 7, 1), "year"
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 15), "month"
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), "day"
    except ValueError:
        return None


def timeline(atlas: Atlas, ids: list[str]):
    """Announce (circle) and release (triangle) dates per accelerator; hollow when only the year or month is known."""
    plt = _pyplot()
    from matplotlib.transforms import blended_transform_factory

    rows, left_out = [], []
    for i, a in enumerate(ids):
        ann = parse_date(atlas.by_id[a].get("announced_date"))
        rel = parse_date(atlas.by_id[a].get("released_date"))
        if not ann and not rel:
            left_out.append(f"{atlas.name(a)} (no dates)")
            continue
        rows.append((min(d[0] for d in (ann, rel) if d), i, a, ann, rel))
    rows.sort()
    names = {a: shown_name(atlas, a, 40) for _, _, a, _, _ in rows}
    left = min(3.4, 0.35 + 0.062 * max((len(n) for n in names.values()), default=8))
    notes = [("hollow marker: only year (placed at 1 July) or month (placed on the 15th) is known", GREY),
             _left_out(left_out)]
    china = "#c0392b"
    with plt.rc_context(_fonts()):
        fig, ax = _figure(plt, width=7.5 + left, plot_h=max(2.0, 0.24 * len(rows) + 0.3), left=left, right=0.3,
                          notes=notes, top=0.75)
        by_y = blended_transform_factory(ax.transAxes, ax.transData)
        for y, (_, i, a, ann, rel) in enumerate(rows):
            color = china if atlas.by_id[a].get("market") == "china-specific" else "#1f4e79"
            if y % 2 == 0:
                ax.axhspan(y - 0.5, y + 0.5, color="#f1f3f5", lw=0, zorder=0)
            if ann and rel:
                ax.plot([ann[0], rel[0]], [y, y], color=color, lw=1.5, alpha=0.6, gid=f"part{i}_span")
            for d, marker, what in ((ann, "o", "announced"), (rel, "^", "released")):
                if d:
                    ax.plot([d[0]], [y], marker, ms=7, color=color, mfc=color if d[1] == "day" else "white", mew=1.5,
                            gid=f"part{i}_{what}")
            ax.text(-0.01, y, names[a], transform=by_y, ha="right", va="center", fontsize=8, color=color,
                    gid=f"part{i}_name")
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks([])
        ax.grid(True, axis="x", alpha=0.3)
        ax.tick_params(axis="x", top=True, labeltop=True)  # a tall figure: dates readable at both ends
        ax.set_title("Announcement (●) and release (▲) dates; red: China-specific parts", fontsize=11)
    return fig, left_out


def draw(kind: str, atlas: Atlas, ids: list[str]):
    return {"roofline": roofline, "peaks": peaks, "timeline": timeline}[kind](atlas, ids)
