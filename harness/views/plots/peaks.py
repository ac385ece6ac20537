"""Peak dense throughput per precision, one row of bars per part."""

from __future__ import annotations

from harness.views import fields as F
from harness.views.data import Atlas
from harness.views.plots._common import (
    GREY,
    MARKERS,
    _figure,
    _fonts,
    _left_out,
    _pyplot,
    palette,
    shown_name,
)


def draw(atlas: Atlas, ids: list[str]):
    """Dense peak throughput per precision: one row per part (named at its start), one marker per
    precision on a log axis; a precision the part does not have is named (n/d, n/s) at the row's end."""
    plt = _pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    precs = [p for p in F.PRECISION_PEAKS if any(atlas.cell(a, p).numeric is not None for a in ids)] or \
        list(F.PRECISION_PEAKS)
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
