"""The explorer in a real browser (system Chromium through Playwright), from file:// and over
`accel serve`: filters, sort, search, the SKU page's states, a comparison shared as a link and
checked against `accel compare --format json`, tooltips with sources, no console errors, phone
width and keyboard use. Each page's screenshot is kept as a test artefact."""

from __future__ import annotations

import json

import pytest

from tests.site.conftest import url

P800 = "sku/baidu--kunlun-p800.html"


@pytest.fixture(scope="module")
def acc():
    from harness import load

    return load("accelerators")


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("#atlas tbody tr:not([hidden]) th a",
                                     "els => els.map(e => e.getAttribute('href'))")


def test_index_lists_every_sku_from_file_url(tab, site, acc, shots):
    tab.goto(url(site[0], "index.html"))
    assert tab.locator("#atlas tbody tr").count() == len(acc)
    assert tab.inner_text("#count") == f"{len(acc)} of {len(acc)} accelerators"
    shots(tab, "index")


def test_filter_china_specific_matches_the_table(tab, site, acc, shots):
    tab.goto(url(site[0], "index.html"))
    tab.select_option("#f-market", "china-specific")
    n = int((acc["market"] == "china-specific").sum())
    assert n > 0 and len(visible_ids(tab)) == n
    assert tab.inner_text("#count") == f"{n} of {len(acc)} accelerators"
    assert "market=china-specific" in tab.url  # the filtered view is a link
    tab.reload()
    assert len(visible_ids(tab)) == n
    shots(tab, "index-china-specific")


def test_search_finds_chinese_names_and_aliases(tab, site, acc):
    from harness.resolve import normalise

    tab.goto(url(site[0], "index.html"))
    for query in ("昆仑芯", "kunlun p800", "曦云"):
        tab.fill("#q", query)
        q = normalise(query)
        expected = [a for a, name, aliases in zip(acc["accelerator_id"], acc["name"], acc["aliases"], strict=True)
                    if any(q in normalise(w) for w in [a, a.split("/")[1], name, *(str(aliases or "").split(" | "))])]
        assert expected and len(visible_ids(tab)) == len(expected), query
    tab.fill("#q", "昆仑芯 P800")
    assert visible_ids(tab) == ["sku/baidu--kunlun-p800.html"]


def test_sort_by_bf16_orders_values_and_puts_unknowns_last(tab, site, acc):
    tab.goto(url(site[0], "index.html"))
    tab.click("th[data-col=bf16_tflops] button")
    assert tab.get_attribute("th[data-col=bf16_tflops]", "aria-sort") == "descending"
    got = tab.eval_on_selector_all("#atlas tbody tr td[data-col=bf16_tflops]", "els => els.map(e => e.dataset.v)")
    known = [float(v) for v in got if v]
    assert known == sorted(known, reverse=True)
    assert got[: len(known)] == [v for v in got if v] and not any(got[len(known):])  # unknowns last
    expected = acc.dropna(subset=["bf16_tflops"]).sort_values("bf16_tflops", ascending=False, kind="stable")
    assert known == list(expected["bf16_tflops"])
    tab.click("th[data-col=bf16_tflops] button")
    got = tab.eval_on_selector_all("#atlas tbody tr td[data-col=bf16_tflops]", "els => els.map(e => e.dataset.v)")
    assert [float(v) for v in got if v] == sorted(known)


def test_columns_can_be_chosen(tab, site):
    tab.goto(url(site[0], "index.html"))
    assert not tab.is_visible("th[data-col=die_area_mm2]")
    tab.click(".cols summary")
    tab.check(".cols input[data-col=die_area_mm2]")
    assert tab.is_visible("th[data-col=die_area_mm2]")
    shown = tab.locator("#atlas tbody td[data-col=die_area_mm2]:visible").count()
    assert shown == tab.locator("#atlas tbody tr").count()
    tab.reload()  # the choice is in the link
    assert tab.is_visible("th[data-col=die_area_mm2]")


def test_hover_a_marker_shows_its_source(tab, site):
    from harness.views.data import Atlas

    atlas = Atlas()
    tab.goto(url(site[0], "index.html"))
    h20 = tab.locator('#atlas tbody tr:has(th a[href="sku/nvidia--h20.html"]) td[data-col=bf16_tflops]')
    h20.locator(".mk").hover()
    tip = tab.locator("#tip")
    assert tip.is_visible()
    cell = atlas.cell("nvidia/h20", "bf16_tflops")
    source = atlas.source_by_id[cell.row["source_id"]]
    text = tip.inner_text()
    assert source["title"] in text and "reported" in text and source["accessed_date"] in text
    assert cell.row["locator"] in text
    assert tip.locator("a").first.get_attribute("href") == source["url"]
    tip.hover()  # the tooltip stays while the pointer is on it (its link can be clicked)
    tab.wait_for_timeout(500)
    assert tip.is_visible()


def test_kunlun_p800_says_not_disclosed_never_zero(tab, site, shots):
    from harness.site.cells import value_fields
    from harness.views.data import Atlas

    atlas = Atlas()
    tab.goto(url(site[0], P800))
    undisclosed = [f for f in value_fields(atlas) if atlas.cell("baidu/kunlun-p800", f).state == "undisclosed"]
    assert "bf16_tflops" in undisclosed
    for f in undisclosed:
        value = tab.inner_text(f"#v-{f} td:nth-child(2)")
        assert value == "not disclosed (n/d)", (f, value)
    zeros = tab.eval_on_selector_all("table.values td:nth-child(2)", "els => els.map(e => e.innerText)")
    assert not [z for z in zeros if z.strip().split(" ")[0] in ("0", "0.0")]
    assert "informational, not a legal determination" in tab.inner_text("main")
    assert tab.locator("#stack-kunlun-xpu").count() == 1  # the readiness scorecard of its stack
    shots(tab, "sku-kunlun-p800")
    tab.click("text=JSON")
    row = json.loads(tab.inner_text("body"))
    assert row["accelerator_id"] == "baidu/kunlun-p800" and row["bf16_tflops__state"] == "undisclosed"


def _table(page) -> tuple[list[str], list[tuple[str, list[str]]]]:
    heads = page.eval_on_selector_all("#cmp thead th", "els => els.map(e => e.innerText)")
    rows = page.eval_on_selector_all(
        "#cmp tbody tr", "els => els.map(r => [r.dataset.field || '', Array.from(r.cells).map(c => c.innerText)])")
    return heads, [(f, cells) for f, cells in rows]


def test_comparison_built_in_the_ui_is_a_link_and_matches_accel_compare(tab, site, accel, shots):
    from harness.views import fields as F
    from harness.views.data import Atlas
    from harness.views.table import Comparison, fmt_number, fmt_ratio

    ids = ["nvidia/h100-sxm5", "nvidia/h20", "baidu/kunlun-p800", "huawei/ascend-910c"]
    tab.goto(url(site[0], "compare.html"))
    for a in ids:
        tab.select_option("#add-sku", a)
        tab.click("#add")
    tab.select_option("#baseline", "nvidia/h100-sxm5")
    tab.select_option("#preset", "memory")
    tab.wait_for_selector("#cmp tr.ratio")
    heads, rows = _table(tab)
    shared = tab.url
    assert "ids=" in shared and "baseline=" in shared and "preset=memory" in shared
    shots(tab, "compare")

    other = tab.context.new_page()
    other.goto(shared)
    other.wait_for_selector("#cmp tr.ratio")
    assert _table(other) == (heads, rows)
    other.close()

    # the same table as `accel compare --format json` (numbers and states) ...
    code, out, err = accel("compare", *ids, "--baseline", "nvidia/h100-sxm5", "--preset", "memory", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert heads[1:] == [a["name"] for a in doc["accelerators"]]
    values = [r for r in rows if r[0]]
    assert [f for f, _ in values] == [f["field"] for f in doc["fields"]]
    ratio_rows = {}
    for k, (f, cells) in enumerate(rows):
        if not f:
            ratio_rows[rows[k - 1][0]] = cells[1:]
    col = {a["accelerator_id"]: i for i, a in enumerate(doc["accelerators"])}
    shown = dict(values)
    for rec in doc["values"]:
        text = shown[rec["field"]][1 + col[rec["accelerator_id"]]]
        if rec["state"] != "known":
            assert text == {"unknown": "?", "undisclosed": "n/d", "unsupported": "n/s"}[rec["state"]]
        elif rec["value"] is not None:
            assert text.lstrip("≥").startswith(fmt_number(rec["value"])), (rec, text)
        else:
            assert text.startswith(str(rec["value_text"])[:20]), (rec, text)
        r = rec["ratio_to_baseline"]
        if r is not None:
            assert ratio_rows[rec["field"]][col[rec["accelerator_id"]]] == fmt_ratio(r)
        elif rec["field"] in ratio_rows:
            assert ratio_rows[rec["field"]][col[rec["accelerator_id"]]] == ""
    # ... and cell for cell the grid `accel compare` prints
    atlas = Atlas()
    g_heads, g_rows = Comparison(atlas, ids, F.select(atlas.columns, preset="memory"), "nvidia/h100-sxm5").grid(
        width=None)
    assert heads == g_heads and [cells for _, cells in rows] == g_rows


def test_compare_from_a_typed_link_puts_the_baseline_first(tab, site):
    tab.goto(url(site[0], "compare.html#ids=nvidia/h20,nope/unknown&baseline=nvidia/b200"))
    tab.wait_for_selector("#cmp tr.ratio")
    assert _table(tab)[0] == ["field", "B200 (HGX B200)", "H20"]


def test_no_console_errors_on_any_page(browser, site, shots):
    from tests.site.conftest import _open

    pages = ["index.html", "compare.html#ids=nvidia/h100-sxm5,nvidia/b200&baseline=nvidia/h100-sxm5",
             "readiness.html", "plots.html", "downloads.html"]
    pages += sorted(f"sku/{p.name}" for p in (site[0] / "sku").glob("*.html"))
    ctx, page = _open(browser)
    try:
        for name in pages:
            page.goto(url(site[0], name))
            page.wait_for_load_state("load")
            if not name.startswith("sku/") or name == P800:
                stem = name.split(".")[0].replace("/", "-")
                shots(page, stem if stem != "sku-baidu--kunlun-p800" else "sku-page")
        assert not page.problems, page.problems
    finally:
        ctx.close()


def test_plots_highlight_a_searched_part(tab, site, shots):
    tab.goto(url(site[0], "plots.html"))
    assert tab.locator(".plot svg").count() == 3
    tab.fill("#plot-q", "B200")
    assert "B200" in tab.inner_text("#plot-hits")
    dimmed = tab.eval_on_selector_all(".plot svg.dimmed", "els => els.length")
    assert dimmed == 3 and tab.locator(".plot svg .hit").count() > 0
    assert "昆仑芯" not in tab.inner_text("#plot-hits")
    shots(tab, "plots")


def test_served_over_http_by_accel_serve(tab, site):
    from harness.site import server

    srv = server.start(site[0], 0)
    try:
        tab.goto(server.url(srv) + "index.html")
        tab.select_option("#f-market", "global")
        assert tab.locator("#atlas tbody tr:not([hidden])").count() > 0
        tab.goto(server.url(srv) + "compare.html#ids=nvidia/h100-sxm5,nvidia/h20&baseline=nvidia/h20")
        tab.wait_for_selector("#cmp tr.ratio")
    finally:
        server.stop(srv)


@pytest.mark.parametrize("page_name", ["index.html", P800, "compare.html#ids=nvidia/h100-sxm5,nvidia/h20",
                                       "readiness.html", "plots.html", "downloads.html"])
def test_phone_width_has_no_page_wide_scrolling(phone, site, shots, page_name):
    phone.goto(url(site[0], page_name))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"{page_name} is {width}px wide on a 390px screen"
    if page_name == "index.html":
        shots(phone, "index-phone")


def test_keyboard_reaches_the_filters_and_a_source(tab, site):
    tab.goto(url(site[0], "index.html"))
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip"
    focusable = tab.locator('#atlas [data-tip][tabindex="0"]:visible').first
    focusable.focus()
    assert tab.is_visible("#tip")
    tab.keyboard.press("Enter")  # into the tooltip, onto its source link
    assert tab.evaluate("document.activeElement.closest('#tip') !== null")
    tab.keyboard.press("Escape")
    assert not tab.is_visible("#tip")
