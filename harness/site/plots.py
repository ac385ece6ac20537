"""The plots page: roofline, peaks and timeline of every SKU, as SVG drawn by `harness.views.plots`
(the code behind `accel plot`), inlined so that the page's search can highlight a part.

Text stays text in the SVG (`svg.fonttype: none`): the files are small, their words are
searchable and selectable, and the browser draws Chinese names with its own CJK font. Each
part's artists carry the id `part<i>_...` (``i`` its position in the list drawn), which the
page's script uses to dim every other part while a search matches. Output is reproducible
(fixed hash salt, no date). Without matplotlib the page says how to get the plots.
"""

from __future__ import annotations

import io

from harness.site.html import esc, json_script, page
from harness.site.names import search_key, slug
from harness.views.data import Atlas

CAPTIONS = {
    "roofline": "Dense BF16 peak against memory bandwidth: attainable TFLOPS for each arithmetic intensity; "
                "the dot is the ridge point, the label at the right gives peak and bandwidth.",
    "peaks": "Dense peak throughput per precision, one row per accelerator (log scale).",
    "timeline": "Announcement and release dates, oldest first; red names are China-specific parts.",
}


def svgs(atlas: Atlas, ids: list[str]) -> dict[str, tuple[str, list[str]]] | None:
    """{kind: (SVG text, left out)}; None when matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ModuleNotFoundError:
        return None
    from harness.views import plots

    out = {}
    from harness.views.plots._common import _pyplot

    plt = _pyplot()
    for kind in plots.kinds():
        fig, left_out = plots.draw(kind, atlas, ids)
        buf = io.StringIO()
        with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "accelatlas"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
        text = buf.getvalue()
        out[kind] = (text[text.index("<svg"):], left_out)
    return out


def render(atlas: Atlas, ids: list[str], drawn) -> str:
    if drawn is None:
        body = ('<h1>Plots</h1><p>The plots need matplotlib: <code>pip install "accelatlas[plot]"</code>, then '
                "<code>accel site</code> again.</p>")
        return page("Plots", body, active="plots.html")
    parts = [{"i": i, "name": atlas.name(a), "slug": slug(a), "q": search_key(atlas.by_id[a])}
             for i, a in enumerate(ids)]
    figs = []
    for kind, (svg, left_out) in drawn.items():
        lo = (f'<details><summary>Left out of the {esc(kind)} ({len(left_out)}): an input is unknown</summary>'
              f'<p class="small">{esc("; ".join(left_out))}</p></details>') if left_out else ""
        figs.append(f'<figure id="{esc(kind)}" class="plot"><figcaption><h2>{esc(kind.title())}</h2>'
                    f'{esc(CAPTIONS[kind])} <a href="plots/{esc(kind)}.svg">SVG file</a></figcaption>'
                    f'<div class="svg">{svg}</div>{lo}</figure>')
    toc = " · ".join(f'<a href="#{k}">{k}</a>' for k in drawn)
    body = f"""<h1>Plots</h1><p class="lede">Every accelerator the dataset can place; what it cannot place (an
unknown input) is named under each figure. The same figures as <code>accel plot KIND --out FILE.svg</code>.
{toc}</p>
<form class="filters" role="search" aria-label="Highlight accelerators"><label class="q">Highlight
<input type="search" id="plot-q" autocomplete="off" placeholder="name or alias: B200, 昇腾, P800"></label></form>
<p id="plot-hits" role="status" aria-live="polite"></p>{''.join(figs)}"""
    return page("Plots", body, active="plots.html", scripts=("plots.js",), data=json_script("parts", parts))
