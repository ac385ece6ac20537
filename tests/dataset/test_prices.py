"""Price files: the model refuses what would mislead, the build divides and never converts."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from tests.conftest import DATA

PRICES = textwrap.dedent("""\
    provider: acme
    name: ACME Cloud
    sources:
      page: {title: ACME pricing, url: "https://acme.example/pricing", accessed: "2026-11-28", tier: official}
      press: {title: A report, url: "https://news.example/a", accessed: "2026-11-28", tier: reported}
    prices:
      - {accelerator: test/a, kind: cloud-on-demand, offering: a8.big, accelerators: 8, region: us-1, price: 40,
         currency: USD, per: hour, date: "2026-10", source: page, locator: "table, row a8.big"}
      - {accelerator: test/a, kind: cloud-on-demand, offering: a1.small, accelerators: 1, price: 6,
         currency: USD, per: hour, date: "2026-10", source: page, locator: "table, row a1.small"}
      - {accelerator: test/a, kind: cloud-on-demand, offering: a1.cn, accelerators: 1, price: 20,
         currency: CNY, per: hour, date: "2026-10", source: page, locator: "table, row a1.cn"}
      - {accelerator: test/a, kind: launch-list, offering: one card, accelerators: 1, price: 12000,
         price_high: 15000, currency: USD, per: unit, date: "2024-01", source: press, locator: "para 3"}
    """)


@pytest.fixture
def specs(tmp_path):
    d = tmp_path / "specs" / "accelerators" / "test"
    d.mkdir(parents=True)
    src = (DATA / "bad_specs_multi" / "tier-conflict" / "accelerators" / "test" / "a.yaml").read_text()
    (d / "a.yaml").write_text(src.replace("tdp_w: {value: 700", 'bf16_tflops: {value: 400, unit: TFLOPS, basis: '
                                          'dense, source: ds, locator: "Table 1"}\n  tdp_w: {value: 700'))
    (tmp_path / "specs" / "prices").mkdir()
    (tmp_path / "specs" / "prices" / "acme.yaml").write_text(PRICES)
    return tmp_path / "specs"


def test_prices_build_per_accelerator_and_cheapest_usd_hour(accel, specs, tmp_path):
    out = tmp_path / "out"
    code, _, err = accel("build", "--specs", specs, "--out", out, "--dataset-only")
    assert code == 0, err
    prices = pd.read_parquet(out / "prices.parquet").set_index("price_id")
    assert prices.loc["acme#1", "price_per_accelerator"] == 5.0  # 40 / 8
    assert prices.loc["acme#4", "price_per_accelerator_high"] == 15000.0 and prices.loc["acme#3", "currency"] == "CNY"
    acc = pd.read_parquet(out / "accelerators.parquet").iloc[0]
    # the cheapest USD hour is the 8-GPU instance's 5 $/h; the CNY price is never converted or compared
    assert acc["cloud_price_min_usd_per_hour"] == 5.0 and acc["cloud_price_min_price_id"] == "acme#1"
    assert acc["bf16_tflops_per_dollar_hour"] == 80.0
    srcs = pd.read_parquet(out / "sources.parquet")
    assert "prices/acme" in " ".join(srcs["cited_by"])


def test_compare_cost_preset_marks_a_reported_price(accel, specs, tmp_path):
    out = tmp_path / "out"
    text = (specs / "prices" / "acme.yaml").read_text().replace("price: 40,", "price: 4,").replace(
        "source: page, locator: \"table, row a8.big\"", "source: press, locator: \"para 1\"")
    (specs / "prices" / "acme.yaml").write_text(text)
    assert accel("build", "--specs", specs, "--out", out, "--dataset-only")[0] == 0
    code, stdout, _ = accel("compare", "test/a", "--preset", "cost", "--results", out)
    assert code == 0
    line = next(ln for ln in stdout.splitlines() if ln.startswith("Cloud price"))
    assert "0.5†" in line  # 4 / 8, from a reported source: marked


@pytest.mark.parametrize("old,new,rule", [
    ("kind: cloud-on-demand, offering: a8.big", "kind: rental, offering: a8.big", "bad-enum"),
    ("price: 40,\n     currency: USD, per: hour", "price: 40,\n     currency: USD, per: unit", "bad-state"),
    ("currency: CNY", "currency: yuan", "bad-unit"),
    ("price: 6,", "price: 0,", "out-of-bounds"),
    ("price_high: 15000", "price_high: 9000", "out-of-bounds"),
    ("accelerators: 8", "accelerators: 0", "out-of-bounds"),
    ("accelerator: test/a, kind: launch-list", "accelerator: test/zz, kind: launch-list", "dangling-accelerator"),
    ("source: press", "source: pres", "dangling-source"),
    ('locator: "para 3"', 'locator: " "', "missing-locator"),
    ('date: "2024-01"', 'date: "2099-01"', "future-date"),
    ("provider: acme", "provider: acme-cloud", "id-path-mismatch"),
    ("price: 6,", "price: 6, rebate: 1,", "unknown-key"),
])
def test_a_bad_price_is_refused_with_its_line(accel, specs, tmp_path, old, new, rule):
    f = specs / "prices" / "acme.yaml"
    text = f.read_text()
    assert old in text
    f.write_text(text.replace(old, new, 1))
    code, out, _ = accel("validate", "--no-tables", specs)
    assert code == 2 and f"[{rule}]" in out and "acme.yaml:" in out, out
    line = next(ln for ln in out.splitlines() if f"[{rule}]" in ln)
    reported = int(line.split("acme.yaml:")[1].split(":")[0])
    edited = [i for i, ln in enumerate(f.read_text().splitlines(), 1)
              if any(part.strip() in ln for part in new.split("\n"))]
    assert reported in edited or reported in [e - 1 for e in edited], (reported, edited)


def test_the_shipped_prices_validate_and_name_their_tier():
    from harness.dataset.validate import validate_paths
    from tests.conftest import ROOT

    report = validate_paths([ROOT / "specs"], stack_dir=ROOT / "specs" / "stacks")
    assert report.prices and not [p for p in report.errors if "prices" in p.path]
    for pf in report.prices:
        assert all(pf.sources[p["source"]]["tier"] in ("official", "reported", "estimated") for p in pf.prices)


def test_completeness_shares_are_their_counts(accel):
    from harness import load

    sku = load("completeness")
    for r in sku.itertuples():
        assert r.n_known + r.n_undisclosed + r.n_unsupported + r.n_unknown == r.n_fields
        assert r.known_share == pytest.approx(r.n_known / r.n_fields)
        assert r.official_share is None or pd.isna(r.official_share) or \
            r.official_share == pytest.approx(r.n_official / r.n_known)
    fld = load("field_completeness")
    assert set(fld["n_accelerators"]) == {len(sku)}
    values = load("spec_values")
    for r in fld.itertuples():
        assert r.n_known == int(((values["field"] == r.field) & (values["state"] == "known")).sum())


def test_readme_completeness_block_is_current(accel):
    code, _, err = accel("completeness", "--check")
    assert code == 0, err


def test_completeness_formats(accel):
    for by in ("vendor", "sku", "field"):
        for fmt in ("plain", "github", "csv", "json"):
            code, out, err = accel("completeness", "--by", by, "--format", fmt)
            assert code == 0 and out.strip(), (by, fmt, err)
