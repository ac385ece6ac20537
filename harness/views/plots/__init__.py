"""Figures: roofline, peak throughput per precision, and an announce/release timeline.

Only this package imports matplotlib, with the Agg backend, and only when a plot is drawn. Every
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

A plot kind is a module of this package with ``draw(atlas, ids) -> (figure, left_out)``; the
folder is the registry (`harness.plugins`), so adding a kind is adding a module.
"""

from __future__ import annotations

PACKAGE = "harness.views.plots"


def kinds() -> tuple[str, ...]:
    from harness import plugins

    return plugins.names(PACKAGE)


def draw(kind: str, atlas, ids: list[str]):
    from harness import plugins

    return plugins.load(PACKAGE, kind, "plot").draw(atlas, ids)
