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
    from harness.views.plots import roofline

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
    from harness.views.plots import parse_date

    assert parse_date("2023")[0].isoformat() == "2023-07-01"
    assert parse_date("2023-11")[0].isoformat() == "2023-11-15"
    assert parse_date("2022-03-22")[1] == "day"
    assert parse_date(None) is None
