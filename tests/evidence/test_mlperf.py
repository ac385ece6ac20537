import json
from pathlib import Path

import pytest

from harness.evidence.errors import InputError
from harness.evidence.importers import mlperf

from .conftest import FIXTURES, real

MAP = FIXTURES / "specs" / "oplists" / "mappings" / "mlperf-accelerators.yaml"
RESULTS = FIXTURES / "mlperf" / "summary_results.json"


def test_join_states():
    rows = {r["mlperf_result_id"]: r for r in mlperf.result_rows(RESULTS, mlperf.load_mapping(MAP))}
    amd = rows["v4.1-0001/llama2-70b-99/Offline"]
    key = ("mapped_accelerator_id", "mapping_status", "accelerators_per_node")
    assert tuple(amd[k] for k in key) == ("amd/mi300x", "mapped", 1)
    cpu = rows["v4.1-0100/resnet/Server"]
    assert tuple(cpu[k] for k in key) == (None, "unmapped", None)
    tpu = rows["v4.1-0200/stable-diffusion-xl/Server"]
    assert tpu["mapping_status"] == "unreviewed" and tpu["mapped_accelerator_id"] is None
    h200 = rows["v4.1-0049/3d-unet-99/Offline"]
    assert h200["power_result"] == 4613.6 and h200["source_url"].endswith("/3d-unet-99/Offline")


def test_summary_lists_ids_without_results(tmp_path: Path):
    mapping = mlperf.load_mapping(MAP)
    rows = mlperf.result_rows(RESULTS, mapping)
    ids = mlperf.known_ids(tmp_path, mapping)
    summary = {r["accelerator_id"]: r for r in mlperf.summary_rows(rows, ids, mapping["round"])}
    assert summary["nvidia/h20"]["benchmark_status"] == "no public result"
    assert summary["amd/mi300x"]["result_count"] == 1
    assert summary["nvidia/h200-sxm"]["benchmark_status"] == "has public result"


def test_bad_mapping_id(tmp_path: Path):
    bad = tmp_path / "m.yaml"
    bad.write_text(MAP.read_text(encoding="utf-8").replace("amd/mi300x}", "AMD MI300X}", 1), encoding="utf-8")
    with pytest.raises(InputError, match="is not an accelerator id") as exc:
        mlperf.load_mapping(bad)
    assert str(exc.value).startswith(f"{bad}:3:")


def test_real_map_reviews_every_name():
    """Every accelerator name in the real results is mapped or listed as unmapped, once."""
    from harness import paths

    names = {r["Accelerator"] for r in json.loads(real("mlperf/inference_v4.1_summary_results.json").read_text())}
    mapping = mlperf.load_mapping(paths.SPECS / mlperf.MAPPING)
    assert names == set(mapping["mapped"]) | set(mapping["unmapped"])
    assert set(mapping["mapped"]) <= names, "a mapped name no longer occurs in the results"
