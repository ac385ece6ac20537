"""Figures: roofline, peak throughput per precision, and an announce/release timeline.

Only this module imports matplotlib, with the Agg backend, and only when a plot is drawn. Every
figure leaves out what it cannot place (an unknown bandwidth, a missing date) and names what it
left out on the figure itself, so a missing bar is never read as zero. Reported and estimated
inputs are drawn hatched or hollow, and the figure says so.
"""

from __future__ import annotations

import datetime as dt

from harness.views import fields as F
from harness.views.data import Atlas
from harness.views.table import fmt_number

KINDS = ("roofline", "peaks", "timeline")
PRECISIONS = ("fp64_tensor_tflops", "fp32_tflops", "tf32_tflops", "bf16_tflops", "fp16_tflops", "fp8_tflops",
              "fp6_tflops", "fp4_tflops", "int8_tops")
STATE_TEXT = {"unknown": "?", "undisclosed": "n/d", "unsupported": "n/s"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _left_out_note(fig, left_out: list[str], y: float = 0.01):
    if not left_out:
        return
    import textwrap

    text = "Left out (unknown input): " + "; ".join(left_out)
    fig.text(0.01, y, textwrap.fill(text, 150), fontsize=7.5, color="#a33", va="bottom", ha="left")


def _name(atlas: Atlas, a: str) -> str:
    return atlas.name(a)


def roofline(atlas: Atlas, ids: list[str]):
    """Dense BF16 attainable TFLOPS against arithmetic intensity, log-log, with each ridge point."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 6.5))
    left_out, drawn = [], []
    for a in ids:
        peak, bw = atlas.cell(a, "bf16_tflops"), atlas.cell(a, "memory_bandwidth_tbps")
        missing = [f"{F.LABELS[c.field]} {STATE_TEXT[c.state]}" for c in (peak, bw) if c.numeric is None]
        if missing:
            left_out.append(f"{_name(atlas, a)} ({', '.join(missing)})")
            continue
        drawn.append((a, peak, bw))
    if drawn:
        ridges = [p.numeric / b.numeric for _, p, b in drawn]
        lo, hi = min(ridges) / 20, max(ridges) * 20
        xs = [lo * (hi / lo) ** (i / 200) for i in range(201)]
        cmap = plt.get_cmap("tab10")
        for i, (a, p, b) in enumerate(drawn):
            ys = [min(p.numeric, b.numeric * x) for x in xs]
            weak = p.tier != "official" or b.tier != "official"
            color = cmap(i % 10)
            r = p.numeric / b.numeric
            ax.plot(xs, ys, color=color, lw=2, ls="--" if weak else "-",
                    label=f"{_name(atlas, a)}: {fmt_number(p.numeric)} TFLOPS{' *' if p.from_sparse else ''}, "
                    f"{fmt_number(b.numeric)} TB/s, ridge {fmt_number(r)} FLOP/B")
            ax.plot([r], [p.numeric], "o", color=color, ms=6)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(lo, hi)
        ax.set_ylim(min(b.numeric * lo for _, _, b in drawn) * 0.8,
                    max(p.numeric for _, p, _ in drawn) * 2.5)
        ax.legend(fontsize=8, loc="upper left", framealpha=0.9)
    else:
        ax.text(0.5, 0.5, "no accelerator has both a known BF16 peak and a known memory bandwidth",
                ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("arithmetic intensity (FLOP per byte of memory traffic)")
    ax.set_ylabel("attainable dense BF16 (TFLOPS)")
    ax.set_title("Roofline: dense BF16 peak vs memory bandwidth (dots: ridge points)")
    ax.grid(True, which="both", alpha=0.25)
    fig.text(0.99, 0.01, "dashed: an input is reported/estimated, not official; *: dense derived from a sparse figure",
             fontsize=7, ha="right", va="bottom", color="#555")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _left_out_note(fig, left_out, y=0.03)
    return fig, left_out


def peaks(atlas: Atlas, ids: list[str]):
    """Grouped bars of dense peak throughput per precision, log scale; missing bars are labelled."""
    plt = _pyplot()
    import numpy as np
    from matplotlib.patches import Patch

    precs = [p for p in PRECISIONS if any(atlas.cell(a, p).numeric is not None for a in ids)] or list(PRECISIONS)
    fig, ax = plt.subplots(figsize=(max(9, 1.3 * len(precs) + 0.4 * len(ids)), 6.5))
    width = 0.8 / max(len(ids), 1)
    cmap = plt.get_cmap("tab10")
    left_out, handles = [], []
    for i, a in enumerate(ids):
        cells = [atlas.cell(a, p) for p in precs]
        if all(c.numeric is None for c in cells):
            left_out.append(f"{_name(atlas, a)} (no known peak)")
        xs = np.arange(len(precs)) + (i - (len(ids) - 1) / 2) * width
        for x, c in zip(xs, cells, strict=True):
            if c.numeric is None:
                ax.text(x, 1.1, STATE_TEXT[c.state], ha="center", va="bottom", fontsize=7.5, color="#555",
                        rotation=90)
                continue
            official = c.tier == "official"
            ax.bar(x, c.numeric, width * 0.92, color=cmap(i % 10) if official else "white",
                   edgecolor=cmap(i % 10), hatch=None if official else "///", lw=1)
        handles.append(Patch(facecolor=cmap(i % 10), edgecolor=cmap(i % 10), label=_name(atlas, a)))
    ax.set_yscale("log")
    top = max([c.numeric for a in ids for p in precs if (c := atlas.cell(a, p)).numeric is not None], default=10)
    ax.set_ylim(1, top * 2)
    ax.set_xticks(range(len(precs)))
    ax.set_xticklabels([F.LABELS[p] + ("\n(TOPS)" if p.endswith("_tops") else "") for p in precs])
    ax.set_ylabel("dense peak (TFLOPS; INT8 in TOPS), log scale")
    ax.set_title("Dense peak throughput per precision")
    ax.grid(True, axis="y", which="both", alpha=0.25)
    ax.legend(handles=handles, fontsize=8, ncol=2, loc="upper left")
    fig.text(0.99, 0.01, "solid: official source; hatched: reported/estimated; ? unknown, n/d not disclosed, "
             "n/s not supported", fontsize=7, ha="right", va="bottom", color="#555")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _left_out_note(fig, left_out, y=0.03)
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
    rows, left_out = [], []
    for a in ids:
        ann = parse_date(atlas.by_id[a].get("announced_date"))
        rel = parse_date(atlas.by_id[a].get("released_date"))
        if not ann and not rel:
            left_out.append(f"{_name(atlas, a)} (no dates)")
            continue
        rows.append((min(d[0] for d in (ann, rel) if d), a, ann, rel))
    rows.sort()
    fig, ax = plt.subplots(figsize=(10, max(3, 0.42 * len(rows) + 1.8)))
    china = "#c0392b"
    for y, (_, a, ann, rel) in enumerate(rows):
        color = china if atlas.by_id[a].get("market") == "china-specific" else "#1f4e79"
        if ann and rel:
            ax.plot([ann[0], rel[0]], [y, y], color=color, lw=1.5, alpha=0.6)
        for d, marker in ((ann, "o"), (rel, "^")):
            if d:
                ax.plot([d[0]], [y], marker, ms=8, color=color, mfc=color if d[1] == "day" else "white", mew=1.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_name(atlas, a) for _, a, _, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_title("Announcement (●) and release (▲) dates; red: China-specific parts")
    fig.text(0.99, 0.01, "hollow marker: only year (placed at 1 July) or month (placed on the 15th) is known",
             fontsize=7, ha="right", va="bottom", color="#555")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _left_out_note(fig, left_out, y=0.03)
    return fig, left_out


def draw(kind: str, atlas: Atlas, ids: list[str]):
    return {"roofline": roofline, "peaks": peaks, "timeline": timeline}[kind](atlas, ids)
