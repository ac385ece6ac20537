from pathlib import Path

import pytest

from harness.readiness.errors import InputError
from harness.readiness.importers import ppu
from harness.readiness.registry import Context

from .conftest import FIXTURES

SPEC = FIXTURES / "specs" / "stacks" / "ppu-sdk-cuda-api.yaml"


def test_recomputed_and_flagged():
    rows = {(r["api_family"], r["sdk_version"]): r for r in ppu.summary_rows(SPEC)}
    rt = rows[("cuda-runtime", "2.1")]
    assert (rt["n_supported"], rt["n_total"]) == (175, 261)
    assert rt["coverage_share"] == pytest.approx(0.670498, abs=1e-5)
    assert rt["stated_percent_matches"] is True
    assert rt["compared_against"] == "CUDA 12.3" and rt["target_library"] == "PPU SDK 2.1"
    old = rows[("cuda-driver", "1.5")]
    assert old["coverage_share"] == pytest.approx(0.816456, abs=1e-5)
    assert old["stated_percent_matches"] is False  # the v1.5 page prints 84.49 % for 387/474
    bl = rows[("cublas", "1.7")]
    assert (bl["n_supported"], bl["compared_against"], bl["stated_percent_matches"]) == (89, "cuBLAS 11.9.2", True)


@pytest.mark.parametrize("stated, computed, ok", [(72.3, 72.25, True), (67.05, 67.0498, True),
                                                  (74.57, 65.9004, False), (30.7, 30.6897, True), (31, 30.69, True)])
def test_percent_matches_at_printed_precision(stated, computed, ok):
    assert ppu.percent_matches(stated, computed) is ok


@pytest.mark.parametrize("old, new, message", [
    ("    unsupported: 86\n", "    unsuported: 86\n", "unknown key 'unsuported' \\(did you mean 'unsupported'\\?\\)"),
    ("    total: 290\n    supported: 89\n", "    total: 290\n    supported: 300\n", "counts do not fit"),
    ("    unsupported: 86\n", "    unsupported: 86\n    supported: 100\n", "!= total 261"),
    ("tier: official, locator", "tier: offical, locator", "tier 'offical'"),
])
def test_bad_entries_point_at_the_line(tmp_path: Path, old, new, message):
    bad = tmp_path / "ppu-sdk-cuda-api.yaml"
    bad.write_text(SPEC.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        ppu.summary_rows(bad)
    assert str(exc.value).startswith(f"{bad}:")


def test_skipped_until_the_spec_exists(tmp_path: Path):
    from harness.readiness.registry import load_all, missing_inputs

    imp = load_all()["ppu"]
    assert missing_inputs(imp, Context(upstream=tmp_path, specs=tmp_path))


def test_committed_spec():
    from harness import paths

    spec = paths.STACK_SPECS / ppu.SPEC_NAME  # committed: its absence is a regression, not a skip
    assert spec.is_file(), f"{spec} is missing"
    rows = ppu.summary_rows(spec)
    v15 = [r for r in rows if r["sdk_version"] == "1.5"]
    assert v15 and all(r["stated_percent_matches"] is False for r in v15)
