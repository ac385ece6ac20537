import json
from collections import Counter
from pathlib import Path

import pytest

from harness import paths
from harness.readiness.errors import InputError
from harness.readiness.importers import mlperf

from .conftest import FIXTURES

MAPS = FIXTURES / "specs" / "oplists" / "mappings"
MAP = MAPS / "mlperf-inference-v4.1.yaml"
MAP61 = MAPS / "mlperf-inference-v6.1.yaml"
RESULTS = FIXTURES / "mlperf" / "summary_results.json"
RESULTS61 = FIXTURES / "mlperf" / "summary_v6.1.json"


def test_join_states():
    rows = {r["mlperf_result_id"]: r for r in mlperf.result_rows(RESULTS, mlperf.load_mapping(MAP))}
    amd = rows["v4.1-0001/llama2-70b-99/Offline"]
    key = ("mapped_accelerator_id", "mapping_status", "accelerators_per_node", "mlperf_round")
    assert tuple(amd[k] for k in key) == ("amd/mi300x", "mapped", 1, "v4.1")
    cpu = rows["v4.1-0100/resnet/Server"]
    assert tuple(cpu[k] for k in key) == (None, "unmapped", None, "v4.1")
    tpu = rows["v4.1-0200/stable-diffusion-xl/Server"]
    assert tpu["mapping_status"] == "unreviewed" and tpu["mapped_accelerator_id"] is None
    h200 = rows["v4.1-0049/3d-unet-99/Offline"]
    assert h200["power_result"] == 4613.6 and h200["source_url"].endswith("/3d-unet-99/Offline")
    assert h200["locator"] == "summary_results.json record 1 (ID v4.1-0049)"


def test_v61_records_kept_as_published():
    rows = {r["mlperf_result_id"]: r for r in mlperf.result_rows(RESULTS61, mlperf.load_mapping(MAP61))}
    assert len(rows) == 5
    gb = rows["v6.1/closed/NVIDIA/GB300-NVL72_GB300-288GB_aarch64x72_TRT/deepseek-r1/Offline"]
    assert (gb["mapped_accelerator_id"], gb["accelerators_per_node"], gb["n_nodes"]) == ("nvidia/gb300", 4, 18)
    assert gb["mapping_note"] == "GPUs counted, 4 per node" and gb["mlperf_category"] == "datacenter"
    assert gb["source_url"] == ("https://github.com/mlcommons/inference_results_v6.1/tree/10ecdffd/closed/NVIDIA/"
                                "results/GB300-NVL72_GB300-288GB_aarch64x72_TRT/deepseek-r1/Offline/performance/run_1")
    assert gb["locator"] == 'summary.json record "0"' and gb["is_inferred"] is False
    dell = rows["v6.1/closed/Dell/XE9780-B300-SXM-270GBx8_TRT/llama3_1-8b/Server"]
    assert dell["mapped_accelerator_id"] == "nvidia/b300" and dell["mlperf_model"] == "llama3_1-8b"
    cpu = rows["v6.1/closed/Intel/1-node-2S-GNR_128C/whisper/Offline"]
    assert (cpu["accelerator_name"], cpu["mapping_status"], cpu["accelerators_per_node"]) == (None, "unmapped", 0)
    assert cpu["mlperf_notes"] is None
    rubin = rows["v6.1/closed/NVIDIA/VR-NVL72_VR-288GB_aarch64x72_TRT/deepseek-r1/Interactive"]
    assert rubin["mapping_status"] == "unreviewed" and rubin["mapped_accelerator_id"] is None
    assert rubin["is_inferred"] is True and rubin["mlperf_availability"] == "preview"
    thor = rows["v6.1/closed/NVIDIA/Jetson-Thor/llama3.1-8b-edge/singlestream"]
    assert thor["mlperf_scenario"] == "singlestream" and thor["mapping_status"] == "unmapped"


def test_summary_per_id_and_round(tmp_path: Path):
    maps = [mlperf.load_mapping(MAP), mlperf.load_mapping(MAP61)]
    rows = mlperf.result_rows(RESULTS, maps[0]) + mlperf.result_rows(RESULTS61, maps[1])
    ids = mlperf.known_ids(tmp_path, maps)
    summary = {(r["accelerator_id"], r["mlperf_round"]): r
               for m in maps for r in mlperf.summary_rows(rows, ids, m)}
    assert len(summary) == 2 * len(ids)
    assert summary[("nvidia/h20", "v4.1")]["benchmark_status"] == "no public result"
    assert summary[("amd/mi300x", "v4.1")]["n_results"] == 1
    assert summary[("amd/mi300x", "v6.1")]["benchmark_status"] == "no public result"
    assert summary[("nvidia/b300", "v6.1")]["n_results"] == 1
    assert summary[("nvidia/gb300", "v6.1")]["benchmark_suite"] == "MLPerf Inference v6.1"


def test_unreviewed_names_per_round(fixture_tree):
    from harness.readiness.registry import Context

    up, specs = fixture_tree
    assert mlperf.unreviewed(Context(upstream=up, specs=specs)) == {"v4.1": ["TPU v6"], "v6.1": ["NVIDIA Vera Rubin"]}


def test_bad_mapping_id(tmp_path: Path):
    bad = tmp_path / "m.yaml"
    bad.write_text(MAP.read_text(encoding="utf-8").replace("amd/mi300x}", "AMD MI300X}", 1), encoding="utf-8")
    with pytest.raises(InputError, match="is not an accelerator id") as exc:
        mlperf.load_mapping(bad)
    assert str(exc.value).startswith(f"{bad}:5:")


def test_name_both_mapped_and_unmapped_is_an_error_at_its_line(tmp_path: Path):
    bad = tmp_path / "m.yaml"
    bad.write_text(MAP61.read_text(encoding="utf-8") + '  "NVIDIA GB300": "not in the dataset"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mlperf.load_mapping(bad)
    assert str(exc.value) == f"{bad}:12: 'NVIDIA GB300' is both mapped (line 5) and unmapped"


@pytest.mark.parametrize(("source", "old", "new", "line", "message"), [
    (RESULTS61, '"Model":"whisper",', "", 48, 'record "2": lacks [\'Model\']'),
    (RESULTS61, '"Result":812.3', '"Result":"fast"', 94, "result 'fast' is not a number"),
    (RESULTS61, "/Jetson-Thor/llama3.1-8b-edge/singlestream/", "/Jetson-Thor/llama3.1-8b-edge/Offline/", 94,
     "disagrees with Division/Model/Scenario"),
    (RESULTS61, '"version":"v6.1",\n        "inferred":1,\n        "has_power":false,\n        "Units":"Latency',
     '"version":"v6.0",\n        "inferred":1,\n        "has_power":false,\n        "Units":"Latency', 94,
     "version 'v6.0' is not the map's round 'v6.1'"),
    (RESULTS61, '"Scenario":"Interactive",\n        "Result":99999.0,',
     '"Scenario":"Interactive",\n        "Result":,', 81,
     "invalid JSON"),
    (RESULTS, '"a#": 8.0', '"a#": 8.5', 8, "record 1: count 8.5 is not a whole number"),
])
def test_malformed_results_are_one_error_with_file_and_line(tmp_path: Path, source, old, new, line, message):
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / source.name
    bad.write_text(text.replace(old, new), encoding="utf-8")
    mapping = mlperf.load_mapping(MAP61 if source == RESULTS61 else MAP)
    with pytest.raises(InputError) as exc:
        mlperf.result_rows(bad, mapping)
    assert str(exc.value).startswith(f"{bad}:{line}: ") and message in str(exc.value)


# --- the real rounds (committed files: they must exist) ---

def _real_maps() -> list[dict]:
    maps = [mlperf.load_mapping(p) for p in mlperf.mapping_paths(paths.SPECS)]
    assert [m["round"] for m in maps] == ["v4.1", "v6.1"]
    return maps


def _names(m: dict) -> list[str]:
    data = json.loads((paths.UPSTREAM / m["results"]).read_text(encoding="utf-8"))
    records = data if isinstance(data, list) else list(data.values())
    return [r.get("Accelerator", r.get("accelerator_model_name")) or "" for r in records]


def test_real_maps_review_every_name_once():
    for m in _real_maps():
        names = set(_names(m))
        assert names == set(m["mapped"]) | set(m["unmapped"]), m["round"]
        assert set(m["mapped"]) <= names, f"{m['round']}: a mapped name no longer occurs in the results"


def test_real_maps_target_spec_files_and_agree_across_rounds():
    seen: dict[str, str] = {}
    for m in _real_maps():
        for name, (aid, _) in m["mapped"].items():
            assert (paths.ACCELERATOR_SPECS / f"{aid}.yaml").is_file(), f"{m['round']}: {name!r} -> {aid} has no spec"
            assert seen.setdefault(name, aid) == aid, f"{name!r} maps to {seen[name]} and {aid}"
        for name in m["unmapped"]:
            assert name not in seen, f"{name!r} is mapped in one round and unmapped in another"


def _built():
    from harness.readiness.registry import Context

    return mlperf.run(Context())


def test_real_v61_counts_per_id_computed_from_the_json():
    """Per id, the v6.1 results counted here straight from summary.json by spelling, not by the map."""
    data = json.loads((paths.UPSTREAM / "mlperf" / "inference_v6.1_summary.json").read_text(encoding="utf-8"))
    names = [r["accelerator_model_name"] or "" for r in data.values()]
    single = [n for n in names if "+" not in n and " and " not in n]  # heterogeneous systems stay out
    expected = {
        "nvidia/b300": sum("B300-SXM-270GB" in n and "GB300" not in n for n in single),
        "nvidia/gb300": sum(n == "NVIDIA GB300" for n in single),
        "nvidia/gb200": sum(n == "NVIDIA GB200" for n in single),
        "nvidia/b200": sum(n.startswith("NVIDIA B200") for n in single),
        "nvidia/h200-sxm": sum("H200" in n for n in single),
        "nvidia/rtx-pro-6000-server": sum(n.endswith("RTX PRO 6000 Blackwell Server Edition") for n in single),
        "amd/mi355x": sum("MI355X" in n for n in single),
        "amd/mi350x": sum("MI350X" in n for n in single),
        "amd/mi300x": sum("MI300X" in n for n in single),
        "nvidia/vera-rubin": sum(n in ("NVIDIA Vera Rubin", "NVIDIA VR200") for n in single),
        "nvidia/gb10": sum(n == "NVIDIA GB10" for n in single),
        "amd/mi350p": sum("MI350P" in n for n in single),
        "nvidia/rtx-pro-4500": sum(n.endswith("RTX PRO 4500 Blackwell Server Edition") for n in single),
    }
    assert expected == {"nvidia/b300": 131, "nvidia/gb300": 68, "nvidia/gb200": 38, "nvidia/b200": 17,
                        "nvidia/h200-sxm": 3, "nvidia/rtx-pro-6000-server": 32, "amd/mi355x": 68,
                        "amd/mi350x": 12, "amd/mi300x": 2, "amd/mi350p": 12, "nvidia/rtx-pro-4500": 10,
                        "nvidia/vera-rubin": 8, "nvidia/gb10": 7}
    out = _built()
    res = out["benchmark_results"]
    v61 = res[res["mlperf_round"] == "v6.1"]
    assert len(v61) == len(data) == 492
    got = Counter(v61["mapped_accelerator_id"].dropna())
    assert dict(got) == expected
    n_mapped = sum(expected.values())
    assert Counter(v61["mapping_status"]) == {"mapped": n_mapped, "unmapped": 492 - n_mapped}
    summary = out["benchmark_summary"].set_index(["accelerator_id", "mlperf_round"])
    for aid, n in expected.items():
        assert summary.loc[(aid, "v6.1"), "n_results"] == n
        assert summary.loc[(aid, "v6.1"), "benchmark_status"] == "has public result"


def test_real_stale_v41_mappings_fixed():
    """TPU v6 (Trillium) results count for google/tpu-v6e, no longer 'no public result'."""
    data = json.loads((paths.UPSTREAM / "mlperf" / "inference_v4.1_summary_results.json").read_text(encoding="utf-8"))
    n_v6 = sum(r["Accelerator"] == "TPU v6" for r in data)
    assert n_v6 == 2
    summary = _built()["benchmark_summary"].set_index(["accelerator_id", "mlperf_round"])
    assert summary.loc[("google/tpu-v6e", "v4.1"), "n_results"] == n_v6
    assert summary.loc[("google/tpu-v6e", "v4.1"), "benchmark_status"] == "has public result"
    assert summary.loc[("google/tpu-v6e", "v6.1"), "benchmark_status"] == "no public result"
