"""Announcement and release dates, one row per part."""

from __future__ import annotations

from harness.views.data import Atlas
from harness.views.plots._common import (
    GREY,
    _figure,
    _fonts,
    _left_out,
    _pyplot,
    parse_date,
    shown_name,
)


def draw(atlas: Atlas, ids: list[str]):
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
