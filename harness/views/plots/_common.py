"""What every figure shares: matplotlib on the Agg backend (imported only when a plot is drawn),
CJK-capable fonts, colours that never repeat, label spreading, figures with margins in inches,
and the "left out" note (see the package docstring for the decisions)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap

from harness.views.data import Atlas

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
