"""Roofline: attainable dense BF16 TFLOPS against arithmetic intensity, one line per part."""

from __future__ import annotations

from harness.views import fields as F
from harness.views.data import Atlas
from harness.views.plots._common import (
    GREY,
    LABEL_IN,
    STATE_TEXT,
    _figure,
    _fonts,
    _left_out,
    _pyplot,
    palette,
    shown_name,
    spread,
)
from harness.views.table import fmt_number


def draw(atlas: Atlas, ids: list[str]):
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
