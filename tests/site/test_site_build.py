"""`accel site` and `accel serve` without a browser: what is written, its page weight and build
time, the one code path with `accel compare` and `accel readiness`, checked downloads, hostile
data kept inert, folders accel did not write left alone, and a bounded server."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

INDEX_BUDGET_GZIP = 500_000


def _data(html: str, element_id: str):
    m = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_writes_every_page_in_seconds_within_the_weight_budget(site, record_property):
    from harness import load

    folder, report = site
    acc = load("accelerators")
    assert report["pages"] == len(acc) + 5
    for name in ("index.html", "compare.html", "readiness.html", "plots.html", "downloads.html", "CITATION.cff"):
        assert (folder / name).is_file(), name
    raw, packed = report["index_weight"]
    record_property("index_weight_raw_bytes", raw)
    record_property("index_weight_gzip_bytes", packed)
    assert packed < INDEX_BUDGET_GZIP, f"index page {packed} bytes gzipped, over the {INDEX_BUDGET_GZIP} budget"
    assert report["seconds"] < 60
    assert json.loads((folder / "accel-manifest.json").read_text())["kind"] == "site"
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', text.replace('href="https://creativecommons', ""))  # no CDN


def test_each_sku_page_has_its_row_as_json_and_csv(site):
    import csv

    from harness.site.names import slug
    from harness.views.data import Atlas, clean

    atlas = Atlas()
    for a in atlas.by_id:
        s = site[0] / "sku" / slug(a)
        row = json.loads(s.with_suffix(".json").read_text(encoding="utf-8"))
        table_row = atlas.acc[atlas.acc["accelerator_id"] == a].iloc[0]
        assert row == {k: clean(v) for k, v in table_row.items()}
        with open(s.with_suffix(".csv"), encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 1 and rows[0]["accelerator_id"] == a and list(rows[0]) == list(atlas.acc.columns)
        assert s.with_suffix(".html").is_file()


def test_compare_data_is_the_grid_of_accel_compare(site):
    from harness.views import fields as F
    from harness.views.data import Atlas
    from harness.views.table import Comparison

    atlas = Atlas()
    data = _data((site[0] / "compare.html").read_text(encoding="utf-8"), "cmp-data")
    ids = [s["id"] for s in data["skus"]]
    pick = ["nvidia/b200", "amd/mi355x", "huawei/ascend-910c"]
    for preset in F.PRESETS:
        rows = F.select(atlas.columns, preset=preset)
        assert data["presets"][preset] == rows
        _, grid = Comparison(atlas, pick, rows).grid(width=None)
        assert [[data["fields"][[f["f"] for f in data["fields"]].index(f)]["label"]]
                + [data["cells"][f][ids.index(a)][0] for a in pick] for f in rows] == grid
        assert data["notes"][preset] == Comparison(atlas, pick, rows).notes()
    script = (site[0] / "compare" / "ratios" / "amd--mi355x.js").read_text()
    ratios = json.loads(script[len("accelAtlasRatios("):-3])
    _, grid = Comparison(atlas, pick, ["bf16_tflops", "memory_bandwidth_tbps"], "amd/mi355x").grid(width=None)
    assert ratios["label"] == grid[1][0] == "↳ ratio to Instinct MI355X"
    assert [ratios["rows"]["bf16_tflops"][ids.index(a)] for a in pick] == grid[1][1:]
    assert [ratios["rows"]["memory_bandwidth_tbps"][ids.index(a)] for a in pick] == grid[3][1:]


def test_readiness_page_shows_the_counts_of_accel_readiness_json(site, accel):
    code, out, err = accel("readiness", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    html = (site[0] / "readiness.html").read_text(encoding="utf-8")
    stacks = re.findall(r'<section class="stack" id="stack-([^"]+)"', html)
    assert stacks[0] == "cuda" and set(stacks) == set(doc)
    for stack, rep in doc.items():
        section = html.split(f'id="stack-{stack}"')[1].split('<section class="stack"')[0]
        for r in rep["op_coverage"]:
            if r["dtype"] == "*" and r["device_scope"] == "*" and r["coverage_state"] != "undocumented":
                n, total = r["n_declared_supported"], r["n_reference_ops"]
                assert f"{n} / {total} ({100 * n / total:.1f}%)" in section, (stack, r["reference_set"])
    kunlun = html.split('id="stack-kunlun-xpu"')[1]
    assert "https://github.com/PaddlePaddle/Paddle/blob/0ab6998c22c7f4ea942b2437353f34c257e868d6/" in kunlun


def test_downloads_list_the_manifest_files_with_their_hashes(site):
    html = (site[0] / "downloads.html").read_text(encoding="utf-8")
    for sub in ("dataset", "coverage"):
        files = json.loads((site[0] / "data" / sub / "accel-manifest.json").read_text())["files"]
        assert files.keys() == json.loads((ROOT / "results" / sub / "accel-manifest.json").read_text())["files"].keys()
        for name, meta in files.items():
            assert meta["sha256"] in html and f'href="data/{sub}/{name}"' in html
            copy = site[0] / "data" / sub / name
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == meta["sha256"]
    assert "CC-BY-4.0" in html and "Apache-2.0" in html and "cff-version" in html


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A site built from tables whose strings are hostile HTML and whose URLs are javascript:."""
    import pandas as pd

    from harness import manifest
    from harness.site import build

    root = tmp_path_factory.mktemp("hostile")
    data = root / "results" / "dataset"
    shutil.copytree(ROOT / "results" / "dataset", data)
    acc = pd.read_parquet(data / "accelerators.parquet")
    acc.loc[acc["accelerator_id"] == "nvidia/h20", "name"] = "H20 " + HOSTILE
    acc.loc[acc["accelerator_id"] == "nvidia/h20", "form_factor"] = HOSTILE
    acc.to_parquet(data / "accelerators.parquet")
    vals = pd.read_parquet(data / "spec_values.parquet")
    mask = (vals["accelerator_id"] == "nvidia/h20") & (vals["field"] == "bf16_tflops")
    vals.loc[mask, "locator"] = "<b onmouseover=alert(3)>" + HOSTILE
    vals.loc[mask, "note"] = "</script><script>alert(4)</script>"
    sid = vals.loc[mask, "source_id"].iloc[0]
    vals.to_parquet(data / "spec_values.parquet")
    src = pd.read_parquet(data / "sources.parquet")
    src.loc[src["source_id"] == sid, "url"] = "javascript:alert(5)"
    src.loc[src["source_id"] == sid, "title"] = "</script><script>alert(6)</script>" + HOSTILE
    src.to_parquet(data / "sources.parquet")
    (data / "accel-manifest.json").unlink()
    manifest.write(data, "dataset")
    out = root / "site"
    build(out, results_dir=root / "results", coverage_dir=ROOT / "results" / "coverage")
    return out


def test_hostile_strings_stay_text(hostile_site):
    for page in hostile_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b onmouseover" not in text, page
        assert 'href="javascript:' not in text, page
        for m in re.finditer(r'<script type="application/json" id="[^"]+">(.*?)</script>', text, re.S):
            json.loads(m.group(1))  # each block is whole: no string closed it early
    for svg in hostile_site.rglob("*.svg"):
        assert "<script" not in svg.read_text(encoding="utf-8")


def test_hostile_strings_stay_text_in_the_browser(tab, hostile_site):
    from tests.site.conftest import url

    for page in ("index.html", "sku/nvidia--h20.html", "compare.html#ids=nvidia/h20,nvidia/h100-sxm5",
                 "plots.html#q=h20"):
        tab.goto(url(hostile_site, page))
        tab.wait_for_load_state("load")
        assert tab.evaluate("document.querySelectorAll('main script, main img[src=x], b[onmouseover]').length") == 0
    tab.goto(url(hostile_site, "index.html"))
    tab.locator('#atlas tbody tr:has(th a[href="sku/nvidia--h20.html"]) td[data-col=bf16_tflops] .c').hover()
    tip = tab.locator("#tip")
    assert "<script>alert(6)</script>" in tip.inner_text() and tip.locator("a").count() == 0  # no javascript: link
    assert HOSTILE in tab.inner_text('#atlas tbody th a[href="sku/nvidia--h20.html"]')


def test_accel_site_replaces_only_a_folder_it_wrote(accel, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    code, _, err = accel("site", "--out", mine)
    assert code == 2 and "refusing to replace" in err and "Traceback" not in err
    assert (mine / "notes.txt").read_text() == "keep me" and len(list(mine.iterdir())) == 1
    code, _, err = accel("site", "--out", tmp_path / "s", "--coverage-dir", tmp_path / "nope")
    assert code == 2 and "--coverage-dir" in err and not (tmp_path / "s").exists()


def test_accel_site_prints_the_page_weight(accel, tmp_path):
    code, _, err = accel("site", "--out", tmp_path / "s")
    assert code == 0, err
    assert re.search(r"index page with its CSS and JS: \d+ kB, \d+ kB gzipped", err)
    code, _, err = accel("site", "--out", tmp_path / "s")  # its own folder: replaced
    assert code == 0, err


def test_serve_is_bounded_to_the_site_folder(tmp_path):
    from harness.site import server

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    (site / "sub").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("outside")
    (site / "leak.txt").symlink_to(secret)
    srv = server.start(site, 0)
    try:
        base = server.url(srv)
        assert server.HOST == "127.0.0.1" and base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "index.html", timeout=5) as r:
            assert r.status == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
        for path in ("leak.txt", "sub/", "../secret.txt", "%2e%2e/secret.txt"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(base + path, timeout=5)
            assert info.value.code == 404, path
    finally:
        server.stop(srv)


def test_accel_serve_runs_for_a_bounded_time_and_checks_its_folder(accel, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    code, _, err = accel("serve", site, "--port", "0", "--for", "0.3")
    assert code == 0 and "serving" in err and "http://127.0.0.1:" in err
    code, _, err = accel("serve", tmp_path, "--port", "0", "--for", "0.3")
    assert code == 2 and "not a built site" in err
    code, _, err = accel("serve", site, "--port", "70000")
    assert code == 2 and "--port" in err


def test_the_readme_shows_the_site_and_the_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Web explorer")[1].split("\n## ")[0]
    assert "accel site --out" in section and "python -m harness.site.screenshot docs/site-index.png" in section
    assert "docs/site-index.png" in section
    png = ROOT / "docs" / "site-index.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Path(png).stat().st_size > 20_000


def test_readiness_page_opens_with_the_scorecard_of_accel_readiness(site, accel):
    code, out, err = accel("readiness", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    html = (site[0] / "readiness.html").read_text(encoding="utf-8")
    card = html.split('<section id="scorecard">')[1].split("</section>")[0]
    assert card.index(">cuda<") < card.index(">cann<")  # CUDA first, as the baseline
    for stack in ("cuda", "cann", "kunlun-xpu"):
        for label, cell in doc[stack]["scorecard"].items():
            assert html_escape(label) in card and html_escape(cell) in card, (stack, label)


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
