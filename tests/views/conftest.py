"""A three-SKU dataset built from hand-written specs, and ACCELATLAS_RESULTS pointing at it."""

from __future__ import annotations

import textwrap

import pytest

SRC = textwrap.dedent("""\
    sources:
      ds: {title: "Base datasheet", url: "https://example.com/%(sku)s-ds", accessed: "2026-11-28", tier: official}
      press: {title: "Press report", url: "https://example.com/%(sku)s-press", accessed: "2026-11-28", tier: reported}
      est: {title: "Analyst estimate", url: "https://example.com/%(sku)s-est", accessed: "2026-11-28", tier: estimated}
    """)

SPECS = {
    "demo/base-sxm": """\
        id: demo/base-sxm
        name: Base SXM
        vendor: demo
        status: shipping
        market: global
        announced: "2022-03-22"
        aliases: [Base, "Demo Base 80GB HBM3"]
        %(src)s
        values:
          bf16_tflops: {value: 2000, unit: TFLOPS, basis: sparse, source: ds, locator: "Table 1*"}
          memory_bandwidth_tbps: {value: 4000, unit: GB/s, source: ds, locator: "Table 1"}
          memory_capacity_gb: {value: 80, unit: GB, source: ds, locator: "Table 1"}
          tdp_w: {value: 700, unit: W, source: press, locator: "Table 1"}
          fp4_tflops: {supported: false, source: ds, locator: "Table 1"}
        """,
    "demo/base-pcie": """\
        id: demo/base-pcie
        name: Base PCIe
        vendor: demo
        status: shipping
        market: global
        released: "2023"
        %(src)s
        values:
          bf16_tflops: {value: 750, unit: TFLOPS, basis: dense, source: press, locator: "Table 1"}
          memory_bandwidth_tbps: {value: 2, unit: TB/s, source: est, locator: "Table 1"}
          memory_capacity_gb: {value: 94, unit: GB, source: ds, locator: "Table 1"}
          die_area_mm2: {disclosed: false, source: ds, note: "not published"}
        """,
    "sino/p900": """\
        id: sino/p900
        name: Sino P900
        vendor: sino
        status: reported
        market: china-specific
        aliases: ["昆仑芯 P900", "Kunlun P900"]
        %(src)s
        values:
          memory_capacity_gb: {value: 96, unit: GB, source: press, locator: "Table 1"}
          tdp_w: {value: 400, unit: W, source: ds, locator: "Table 1"}
        """,
}


@pytest.fixture(scope="session")
def results(tmp_path_factory):
    from harness.cli import main

    root = tmp_path_factory.mktemp("views")
    for acc_id, body in SPECS.items():
        sku = acc_id.split("/")[1]
        src = textwrap.indent(SRC % {"sku": sku}, "        ").strip()
        path = root / "specs" / "accelerators" / f"{acc_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body % {"src": src}), encoding="utf-8")
    out = root / "dataset"
    assert main(["build", "--specs", str(root / "specs"), "--out", str(out), "--dataset-only"]) == 0
    return out


@pytest.fixture
def dataset(results, monkeypatch):
    """Point every reader (the CLI included) at the small dataset."""
    monkeypatch.setenv("ACCELATLAS_RESULTS", str(results))
    return results
