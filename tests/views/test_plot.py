"""`accel plot`: valid PNG/SVG files, left-out parts named, clean errors."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kind", ["roofline", "peaks", "timeline"])
def test_writes_a_png_and_names_what_it_left_out(accel, dataset, tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    code, _, err = accel("plot", kind, "base-sxm", "base-pcie", "p900", "--out", out)
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    assert "Sino P900" in err.split("left out:")[1]      # no BF16, no bandwidth, no peaks, no dates
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_left_out_parts_are_named_on_the_figure(dataset):
    from harness.views.data import Atlas
    from harness.views.plots.roofline import draw as roofline

    fig, left_out = roofline(Atlas(), ["demo/base-sxm", "sino/p900"])
    texts = " ".join(t.get_text() for t in fig.texts)
    assert left_out == ["Sino P900 (BF16 ?, Memory bandwidth ?)"]
    assert "Left out (unknown input): Sino P900" in texts
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert any(lbl.startswith("Base SXM: 1,000 TFLOPS *, 4 TB/s, ridge 250 FLOP/B") for lbl in labels)


def test_svg(accel, dataset, tmp_path):
    out = tmp_path / "t.svg"
    assert accel("plot", "timeline", "--out", out)[0] == 0
    assert b"<svg" in out.read_bytes()[:500]


@pytest.mark.parametrize("args,message", [
    (("roofln", "--out", "x.png"), "did you mean 'roofline'"),
    (("peaks", "--out", "x.pdf"), ".png or .svg"),
    (("peaks", "nope", "--out", "x.png"), "no accelerator matches"),
])
def test_mistakes(accel, dataset, tmp_path, args, message):
    code, _, err = accel("plot", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_timeline_partial_dates_sit_mid_period():
    from harness.views.plots._common import parse_date

    assert parse_date("2023")[0].isoformat() == "2023-07-01"
    assert parse_date("2023-11")[0].isoformat() == "2023-11-15"
    assert parse_date("2022-03-22")[1] == "day"
    assert parse_date(None) is None


def test_roofline_labels_parts_directly_in_colours_that_never_repeat():
    """All parts (40 and more): no legend over the chart, one label per drawn part, no colour twice."""
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    from harness.views.data import Atlas
    from harness.views.plots.roofline import draw as roofline

    atlas = Atlas()
    ids = sorted(atlas.by_id)
    fig, left_out = roofline(atlas, ids)
    ax = fig.axes[0]
    assert ax.get_legend() is None
    lines = [ln for ln in ax.get_lines() if (ln.get_gid() or "").endswith("_line")]
    assert len(lines) + len(left_out) == len(ids) and len(lines) > 30
    colours = [to_hex(ln.get_color()) for ln in lines]
    assert len(set(colours)) == len(colours)
    labels = [t for t in ax.texts if (t.get_gid() or "").endswith("_label")]
    assert len(labels) == len(lines)
    fig.canvas.draw()  # labels sit in the right margin, none over another
    boxes = sorted((Text.get_window_extent(t) for t in labels), key=lambda b: b.y0)  # the text, not its leader
    assert all(b.x0 >= ax.get_window_extent().x1 for b in boxes)
    assert all(lo.y1 <= hi.y0 + 0.5 for lo, hi in zip(boxes, boxes[1:], strict=False))


def test_peaks_legend_names_precisions_not_left_out_parts():
    from harness.views.data import Atlas
    from harness.views.plots.peaks import draw as peaks

    atlas = Atlas()
    fig, left_out = peaks(atlas, ["nvidia/h100-sxm5", "nvidia/b200", "baidu/kunlun-p800"])
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert "BF16" in legend and not any("Kunlunxin" in t or "H100" in t for t in legend)
    assert left_out == ["Kunlunxin P800 (no known peak; n/d BF16, FP16, INT8)"]
    names = [t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").endswith("_name")]
    assert names == ["H100 SXM5", "B200 (HGX B200)"]  # drawn parts are named on their rows


def test_chinese_names_are_drawn_with_a_cjk_font(recwarn):
    from harness.views.data import Atlas
    from harness.views.plots import _common as plots
    from harness.views.plots.timeline import draw as timeline

    if plots.cjk_family() is None:
        pytest.skip("no CJK font on this system (Debian: apt-get install fonts-noto-cjk)")
    fig, _ = timeline(Atlas(), ["metax/c500", "biren/br104"])
    fig.canvas.draw()
    assert any("曦云" in t.get_text() for t in fig.axes[0].texts)
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_without_a_cjk_font_chinese_is_dropped_not_boxed(monkeypatch):
    from harness.views.data import Atlas
    from harness.views.plots import _common as plots

    monkeypatch.setattr(plots, "cjk_family", lambda: None)
    atlas = Atlas()
    assert plots.shown_name(atlas, "metax/c500") == "C500 (Xiyun C500)"
    assert plots.shown_name(atlas, "biren/br106") == "Biren 106M (BR106 OAM)"


def test_spread_keeps_order_and_gap():
    from harness.views.plots._common import spread

    ys = [0.5, 0.5, 0.51, 0.9, 0.99]
    at = spread(ys, 0.05)
    assert [round(a, 3) for a in sorted(at)] == [round(a, 3) for a in at[:3] + sorted(at[3:])]
    assert all(b - a >= 0.05 - 1e-9 for a, b in zip(sorted(at), sorted(at)[1:], strict=False))
    assert max(at) <= 1.0 and min(at) >= 0.0
    assert len(spread([0.5] * 40, 0.05)) == 40  # more than fit: shared evenly
