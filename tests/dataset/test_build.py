"""`accel build`: conversions and derivations, determinism, atomicity, and the committed dataset."""

from __future__ import annotations

import filecmp
import json
import textwrap

import pandas as pd
import pytest

from tests.conftest import ROOT

SPEC = textwrap.dedent("""\
    id: demo/x1
    name: Demo X1
    vendor: demo
    status: shipping
    market: global
    aliases: [X1]
    sources:
      ds: {title: Demo datasheet, url: "https://example.com/x1", accessed: "2026-11-28", tier: official}
      press: {title: Demo review, url: "https://example.com/review", accessed: "2026-11-28", tier: reported}
    values:
      bf16_tflops: {value: 2, unit: PFLOPS, basis: sparse, source: ds, locator: "Table 1*"}
      fp8_tflops: {value: 16, unit: PFLOPS, basis: dense, aggregate_of: 4, source: ds, locator: "system table"}
      memory_capacity_gb: {value: 96, unit: GiB, source: ds, locator: "Table 1"}
      memory_bandwidth_tbps: {value: 4000, unit: GB/s, source: ds, locator: "Table 1"}
      scaleup_bandwidth_gbps: {value: 450, unit: GB/s, direction: per-direction, source: ds, locator: "Table 1"}
      tdp_w:
        value: 1
        unit: kW
        source: ds
        locator: "Table 1"
        alternatives: [{value: 1200, unit: W, source: press, locator: "para 3", note: "liquid"}]
      die_area_mm2: {disclosed: false, source: ds, note: "not published"}
      fp4_tflops: {supported: false, source: ds, locator: "Table 1"}
    claims:
      - {claim: "as fast as two of its predecessors", source: press, locator: "para 2"}
    """)


@pytest.fixture
def demo_specs(tmp_path):
    d = tmp_path / "specs" / "accelerators" / "demo"
    d.mkdir(parents=True)
    (d / "x1.yaml").write_text(SPEC)
    return tmp_path / "specs"


def test_conversions_and_derivations(accel, demo_specs, tmp_path):
    out = tmp_path / "out"
    code, _, err = accel("build", "--specs", demo_specs, "--out", out, "--dataset-only")
    assert code == 0, err
    acc = pd.read_parquet(out / "accelerators.parquet").iloc[0]
    assert acc["bf16_tflops"] == pytest.approx(1000)           # 2 PFLOPS sparse -> 1000 dense
    assert acc["fp8_tflops"] == pytest.approx(4000)            # 16 PFLOPS over 4 units
    assert acc["memory_capacity_gb"] == pytest.approx(96 * 2**30 / 1e9)
    assert acc["memory_bandwidth_tbps"] == pytest.approx(4.0)
    assert acc["scaleup_bandwidth_gbps"] == pytest.approx(900)  # per-direction doubled
    assert acc["scaleup_bandwidth_per_direction_gbps"] == pytest.approx(450)
    assert acc["tdp_w"] == pytest.approx(1000)
    assert pd.isna(acc["die_area_mm2"]) and pd.isna(acc["fp4_tflops"]) and pd.isna(acc["fp64_tflops"])
    assert acc["machine_balance_flop_per_byte"] == pytest.approx(250)
    assert acc["tpp"] == pytest.approx(32000)                  # fp8 4000 x 8
    assert acc["eccn_3a090_2023"] == "3A090.a"

    vals = pd.read_parquet(out / "spec_values.parquet").set_index("field")
    assert vals.loc["bf16_tflops", "basis"] == "sparse" and vals.loc["bf16_tflops", "value_printed"] == "2"
    assert bool(vals.loc["bf16_tflops", "is_derived"]) and "sparse / 2" in vals.loc["bf16_tflops", "derivation"]
    assert vals.loc["die_area_mm2", "state"] == "undisclosed" and pd.isna(vals.loc["die_area_mm2", "value"])
    assert vals.loc["fp4_tflops", "state"] == "unsupported"
    alts = json.loads(vals.loc["tdp_w", "alternatives"])
    assert alts[0]["value_canonical"] == 1200 and alts[0]["tier"] == "reported"

    sources = pd.read_parquet(out / "sources.parquet")
    assert sorted(sources["url"]) == ["https://example.com/review", "https://example.com/x1"]
    claims = pd.read_parquet(out / "claims.parquet")
    assert claims.iloc[0]["claim"].startswith("as fast") and claims.iloc[0]["tier"] == "reported"


def test_build_is_byte_identical(accel, demo_specs, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert accel("build", "--specs", demo_specs, "--out", a, "--dataset-only")[0] == 0
    assert accel("build", "--specs", demo_specs, "--out", b, "--dataset-only")[0] == 0
    names = sorted(p.name for p in a.iterdir())
    assert names and names == sorted(p.name for p in b.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert not mismatch and not errors


def test_failed_build_leaves_previous_results(accel, demo_specs, tmp_path):
    out = tmp_path / "out"
    assert accel("build", "--specs", demo_specs, "--out", out, "--dataset-only")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    spec = demo_specs / "accelerators" / "demo" / "x1.yaml"
    spec.write_text(spec.read_text().replace("unit: GB/s, source: ds,", "unit: GB, source: ds,", 1))
    code, _, err = accel("build", "--specs", demo_specs, "--out", out, "--dataset-only")
    assert code == 2 and "[bad-unit]" in err and "nothing was written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_committed_dataset_equals_fresh_build(accel, tmp_path):
    committed = ROOT / "results" / "dataset"
    if not committed.exists():
        pytest.fail("results/dataset/ is missing: run `accel build`")
    out = tmp_path / "fresh"
    code, _, err = accel("build", "--out", out, "--dataset-only")
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in committed.iterdir())
    for name in names:
        if name.endswith(".parquet"):  # parquet bytes embed the writer's version: compare content
            pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(committed / name))
        else:
            assert (out / name).read_bytes() == (committed / name).read_bytes(), f"{name} is stale: run accel build"


def test_shipped_specs_validate_clean(accel):
    code, out, err = accel("validate")
    assert code == 0, out + err


def test_committed_readiness_tables_equal_fresh_build():
    """results/coverage/ is generated too: each committed table equals what the builders make now."""
    from harness.readiness import build as readiness

    committed = ROOT / "results" / "coverage"
    assert readiness.left_out() == {}  # every upstream input is in the repository (specs/upstream/)
    fresh = readiness.build_tables()
    assert fresh, "no readiness tables built"
    assert sorted(p.stem for p in committed.glob("*.parquet")) == sorted(fresh)
    from harness.dataset.tables import sort_rows

    for name, df in fresh.items():
        pd.testing.assert_frame_equal(sort_rows(name, df).reset_index(drop=True),
                                      pd.read_parquet(committed / f"{name}.parquet"), check_dtype=False)


def test_out_folder_with_foreign_files_is_never_replaced(accel, demo_specs, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    code, _, err = accel("build", "--specs", demo_specs, "--out", out, "--dataset-only")
    assert code == 2 and "refusing to replace" in err
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]
    # a folder that holds only built tables is replaced, as a rebuild must
    fresh = tmp_path / "fresh"
    assert accel("build", "--specs", demo_specs, "--out", fresh, "--dataset-only")[0] == 0
    assert accel("build", "--specs", demo_specs, "--out", fresh, "--dataset-only")[0] == 0


def test_unwritable_out_is_one_clean_error(accel, demo_specs, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = accel("build", "--specs", demo_specs, "--out", blocker / "sub", "--dataset-only")
    assert code == 2 and err.startswith("accel build: error:") and "Traceback" not in err


def test_build_without_the_upstream_copies_keeps_the_committed_evidence_tables(accel, tmp_path, monkeypatch):
    """A trimmed checkout without specs/upstream/: `accel build` must not drop or shrink the
    evidence tables it cannot rebuild, and says which it kept."""
    import shutil

    from harness import paths

    results = tmp_path / "results"
    shutil.copytree(ROOT / "results" / "coverage", results / "coverage")
    before = {p.name: p.read_bytes() for p in (results / "coverage").iterdir()}
    monkeypatch.setattr(paths, "RESULTS", results)
    monkeypatch.setattr(paths, "DATASET", results / "dataset")
    monkeypatch.setattr(paths, "UPSTREAM", tmp_path / "no-upstream")
    code, _, err = accel("build", "--specs", paths.SPECS, "--out", results / "dataset")
    assert code == 0, err
    assert "kept the committed tables" in err and "an input is absent" in err
    after = {p.name: p.read_bytes() for p in (results / "coverage").iterdir()}
    assert set(after) == set(before)
    from harness.readiness.build import table_names

    for name in table_names():
        assert after[f"{name}.parquet"] == before[f"{name}.parquet"], name
