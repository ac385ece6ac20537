"""The web explorer: a static site generated from the built tables (`accel site --out DIR`).

Static on purpose: no server, nothing fetched from another host, and every page works from
file://, from `python -m http.server` (`accel serve`) and on GitHub Pages, because links are
relative and data travels inside the pages (or, for one baseline's ratios, as a script file).
Pages are rendered in Python from the same view code as the CLI (`harness.views`), so the site
cannot disagree with `accel compare`, `accel show` or `accel readiness`; the small scripts in
`assets/` filter, sort, pick and lay out, and never compute a figure.

Layout of a built site:
    index.html, compare.html, readiness.html, plots.html, downloads.html
    sku/<vendor>--<sku>.html, .json, .csv     one page and the table row per SKU
    compare/ratios/<vendor>--<sku>.js         ratios to that baseline, loaded when chosen
    plots/<kind>.svg                           the figures as files
    data/dataset/, data/coverage/              the built tables, checked against their manifests
    assets/                                    CSS and JS (no third-party code)
The folder is written with `harness.atomic.atomic_dir` as kind "site", so accel only ever
replaces a folder it wrote itself.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
INDEX_ASSETS = ("site.css", "common.js", "index.js")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page_weight(site: Path, page: str = "index.html", assets=INDEX_ASSETS) -> tuple[int, int]:
    """(raw bytes, gzip bytes) of a page with the CSS and JS it loads."""
    files = [site / page] + [site / "assets" / a for a in assets]
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), compresslevel=9, mtime=0)) for f in files)
    return raw, packed


def build(out, *, results_dir=None, coverage_dir=None) -> dict:
    """Write the site to ``out``; returns what was written (pages, files, bytes, index weight, seconds)."""
    from harness import listcol, paths
    from harness.atomic import atomic_dir
    from harness.dataset import find_table
    from harness.errors import UserError
    from harness.site import compare, downloads, index, plots, readiness, sku
    from harness.site.names import slug
    from harness.views.data import Atlas

    t0 = time.monotonic()
    atlas = Atlas(results_dir)
    ids = sorted(atlas.by_id)
    dataset_dir = find_table("accelerators", results_dir).parent
    if coverage_dir is None:
        try:
            coverage_dir = find_table("op_coverage", results_dir).parent
        except UserError:
            coverage_dir = None
    stacks = {a: listcol.split(atlas.by_id[a].get("stacks")) for a in ids}
    docs, upstream = readiness.load(Path(coverage_dir) if coverage_dir else None,
                                    sorted({s for ss in stacks.values() for s in ss}))
    drawn = plots.svgs(atlas, ids)
    citation = paths.ROOT / "CITATION.cff"
    cff = citation.read_text(encoding="utf-8") if citation.is_file() else None
    with atomic_dir(out, "site") as tmp:
        tmp = Path(tmp)
        for asset in sorted(ASSETS.iterdir()):
            if asset.suffix in (".css", ".js"):
                _write(tmp / "assets" / asset.name, asset.read_text(encoding="utf-8"))
        _write(tmp / "index.html", index.render(atlas, ids))
        html, ratios = compare.render(atlas, ids)
        _write(tmp / "compare.html", html)
        for name, script in ratios.items():
            _write(tmp / "compare" / "ratios" / name, script)
        _write(tmp / "readiness.html", readiness.render(docs, upstream, set(ids)))
        _write(tmp / "plots.html", plots.render(atlas, ids, drawn))
        for kind, (svg, _) in (drawn or {}).items():
            _write(tmp / "plots" / f"{kind}.svg", svg)
        for a in ids:
            s = slug(a)
            _write(tmp / "sku" / f"{s}.html", sku.render(atlas, a, docs, upstream, stacks[a]))
            row_json, row_csv = sku.row_files(atlas, a)
            _write(tmp / "sku" / f"{s}.json", row_json)
            _write(tmp / "sku" / f"{s}.csv", row_csv)
        groups = [("Dataset", "data/dataset", downloads.copy_tables(dataset_dir, tmp / "data" / "dataset"))]
        if coverage_dir and (Path(coverage_dir) / "accel-manifest.json").is_file():
            groups.append(("Readiness (coverage)", "data/coverage",
                           downloads.copy_tables(Path(coverage_dir), tmp / "data" / "coverage")))
        if cff:
            _write(tmp / "CITATION.cff", cff)
        _write(tmp / "downloads.html", downloads.render(groups, cff))
        files = [p for p in tmp.rglob("*") if p.is_file()]
        report = {"pages": sum(p.suffix == ".html" for p in files), "skus": len(ids), "files": len(files),
                  "bytes": sum(p.stat().st_size for p in files), "index_weight": page_weight(tmp)}
    report["seconds"] = time.monotonic() - t0
    return report
