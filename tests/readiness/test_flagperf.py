import re
import shutil
from pathlib import Path

import pytest

from harness import paths
from harness.readiness.errors import InputError
from harness.readiness.importers import flagperf

from .conftest import FIXTURES

TREE = FIXTURES / "flagperf" / "tree"
MAPS = FIXTURES / "flagperf" / "maps"
REAL = paths.UPSTREAM / "flagperf"


@pytest.fixture(scope="module")
def scanned():
    chips = flagperf.load_chips(MAPS / "flagperf-chips.yaml")
    ops = flagperf.load_ops(MAPS / "flagperf-ops.yaml")
    op_rows, training_rows, skipped = flagperf.scan(TREE, chips, ops)
    return ({r["flagperf_result_id"]: r for r in op_rows},
            {r["flagperf_result_id"]: r for r in training_rows}, dict(skipped))


def test_operator_layout_with_correctness(scanned):
    ops, _, _ = scanned
    r = ops["operation/benchmarks/mm/nvidia/A100_40_SXM/BF16_README.md#flaggems"]
    assert (r["measured_dtype"], r["implementation"], r["mapped_accelerator_id"]) == \
        ("bfloat16", "flaggems", "nvidia/a100-sxm4-40gb")
    assert r["correctness_printed"] == "True" and r["mean_relative_error"] is None
    assert (r["cputime_tflops"], r["flops_utilisation_cputime_share"], r["latency_warm_us"]) == (250.5, 0.8029, 560.1)
    assert (r["card_power_avg_w"], r["card_tdp_w"]) == (395.0, 400.0)
    assert r["aten_op_packets"] == "mm" and r["readiness_tier"] == "published-measured"
    assert r["operator_library_version"].endswith("Commit ID: 0123456789abcdef")
    native = ops["operation/benchmarks/mm/nvidia/A100_40_SXM/BF16_README.md#nativetorch"]
    assert native["correctness_printed"] == ": False" and native["card_power_avg_w"] == 390.5
    assert native["locator"].endswith("核心评测结果 line 20; 其他评测结果 line 27; 能耗监控结果 line 33")


def test_operator_layout_with_relative_error_and_missing_cells(scanned):
    ops, _, _ = scanned
    gems = ops["operation/benchmarks/mm/iluvatar/BI150/README.md#flaggems"]
    assert gems["measured_dtype"] is None  # the file name does not say
    assert (gems["mean_relative_error"], gems["relative_error_std"]) == (1.5e-4, 2.0e-6)
    assert gems["kerneltime_tflops"] is None and gems["flops_utilisation_kerneltime_share"] is None  # '/'
    native = ops["operation/benchmarks/mm/iluvatar/BI150/README.md#nativetorch"]
    assert native["mean_relative_error"] == 0.0  # printed 0.00E+00: a value, not a gap
    for col in ("cputime_tflops", "flops_utilisation_cputime_share", "cputime_us", "latency_cold_us",
                "card_power_avg_w"):
        assert native[col] is None, col  # empty cells and no power table: null, never 0
    c550 = ops["operation/benchmarks/sum/metax/C550_64/README.md#nativetorch"]
    assert c550["cputime_tflops"] is None and c550["flops_utilisation_cputime_share"] == 0.02
    assert c550["aten_op_packets"] is None and c550["op_mapping_note"] == "left out of the test map on purpose"


def test_chip_not_in_the_map_is_unreviewed(scanned):
    ops, train, _ = scanned
    r = ops["operation/benchmarks/mm/newvendor/X9/FP16_README.md#nativetorch"]
    assert (r["mapping_status"], r["mapped_accelerator_id"], r["measured_dtype"]) == ("unreviewed", None, "float16")
    assert flagperf.unreviewed_in(list(ops.values())) == ["X9"]
    h800 = [t for t in train.values() if t["accelerator_name"] == "H800"]
    assert [(t["mapping_status"], t["mapping_note"]) for t in h800] == [("unmapped", "form factor not printed")]


def test_training_layout_config_table(scanned):
    _, train, _ = scanned
    rows = [r for k, r in train.items() if k.startswith("training/kunlunxin/glm-pytorch/")]
    assert [r["configuration"] for r in rows] == ["R300单机单卡（1x1）", "R300单机8卡（1x8）", "R300两机8卡（2x8）"]
    one, eight, two = rows
    assert one["has_published_result"] is False and one["throughput_value"] is None and one["accuracy_printed"] is None
    assert (eight["throughput_metric"], eight["throughput_value"], eight["accuracy_printed"]) == \
        ("p_core", 22.5, "80.52%")
    assert (eight["n_nodes"], eight["accelerators_per_node"], eight["mapped_accelerator_id"]) == \
        (1, 8, "baidu/kunlun-r300")
    assert (eight["card_model"], eight["driver_version"], eight["flagperf_model"]) == \
        ("昆仑芯AI加速卡R300", "4.0.25", "glm")
    assert (two["throughput_metric"], two["throughput_value"], two["n_nodes"]) == ("p_whole", 40.1, 2)
    assert eight["locator"] == "training/kunlunxin/glm-pytorch/README.md: results table at line 25, row line 28"


def test_training_layout_resources_table(scanned):
    _, train, _ = scanned
    rows = [r for k, r in train.items() if k.startswith("training/kunlunxin/resnet50-pytorch/")]
    assert [(r["accelerator_name"], r["n_nodes"], r["accelerators_per_node"]) for r in rows] == \
        [("R300", 1, 1), ("R300", 1, 8)]  # chip and size from the config file name
    assert (rows[1]["throughput_value"], rows[1]["accuracy_printed"], rows[1]["accuracy_target_printed"]) == \
        (1200.5, "0.76", "目标精度=0.75")
    assert rows[0]["has_published_result"] is False


def test_training_sections_variants_and_mfu(scanned):
    _, train, _ = scanned
    rows = [r for k, r in train.items() if k.startswith("training/nvidia/llama2_7b-deepspeed/")]
    a800, h800 = rows
    assert a800["case_variant"] == "LLaMA-7B" and a800["mfu_share"] == 0.455
    assert (a800["card_model"], a800["framework_version"]) == ("NVIDIA_A800-SXM4-80GB", "deepspeed 0.10.0")
    assert (h800["accelerator_name"], h800["n_nodes"], h800["card_model"]) == ("H800", 4, "NVIDIA_H800-80GB")
    assert h800["has_published_result"] is False  # 'doing*' is a status, not a measurement
    assert (a800["flagperf_model"], a800["flagperf_framework"]) == ("llama2_7b", "deepspeed")


def test_readme_without_results_is_skipped_with_reason(scanned):
    _, _, skipped = scanned
    assert set(skipped) == {"training/nvidia/llama3_70B-flagscale/README.md"}
    assert "no results table" in skipped["training/nvidia/llama3_70B-flagscale/README.md"]


@pytest.mark.parametrize("rel,old,new,line", [
    ("training/kunlunxin/glm-pytorch/README.md", "| 3000     |", "| 3000  | 7 |", 28),
    ("operation/benchmarks/mm/iluvatar/BI150/README.md", "| 90.5TFLOPS ", "| 90.5GB/s ", 22),
    ("operation/benchmarks/mm/nvidia/A100_40_SXM/BF16_README.md", "| flaggems | True", "| gems | True", 19),
])
def test_broken_table_is_one_error_naming_file_and_line(tmp_path: Path, rel, old, new, line):
    root = tmp_path / "flagperf"
    shutil.copytree(TREE, root)
    f = root / rel
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        flagperf.scan(root, flagperf.load_chips(MAPS / "flagperf-chips.yaml"),
                      flagperf.load_ops(MAPS / "flagperf-ops.yaml"))
    assert str(exc.value).startswith(f"{f}:{line}:")


def test_bad_map_entry(tmp_path: Path):
    bad = tmp_path / "m.yaml"
    bad.write_text('mapped:\n  "R300": {accelerator_id: Kunlun R300}\n', encoding="utf-8")
    with pytest.raises(InputError, match="is not an accelerator id"):
        flagperf.load_chips(bad)


def test_summary_per_accelerator(scanned):
    ops, train, _ = scanned
    s = {r["accelerator_id"]: r for r in flagperf.summary_rows(list(ops.values()), list(train.values()))}
    bi150 = s["iluvatar/tiangai-150"]
    assert (bi150["n_ops_measured"], bi150["median_fu_flaggems_share"], bi150["median_fu_native_share"]) == \
        (1, 0.4525, None)
    assert bi150["max_mean_relative_error"] == 1.5e-4
    r300 = s["baidu/kunlun-r300"]
    assert (r300["n_training_cases_listed"], r300["n_training_cases_run"], r300["n_training_results"]) == (2, 2, 3)
    assert s["nvidia/a100-sxm4-40gb"]["max_mean_relative_error"] is None  # correctness printed, no error figure


# ---- the real copies (specs/upstream/flagperf/, committed: these fail, never skip, if removed)

def _real():
    return flagperf.scan(REAL, flagperf.load_chips(paths.SPECS / flagperf.CHIPS),
                         flagperf.load_ops(paths.SPECS / flagperf.OPS))


def test_real_counts_match_an_independent_count():
    op_rows, training_rows, skipped = _real()
    readmes = sorted(REAL.glob("operation/benchmarks/*/*/*/*README.md"))
    # each operator README has one core-results row per implementation, counted here by grep
    core_rows = 0
    for p in readmes:
        lines = p.read_text(encoding="utf-8").splitlines()
        start = next(i for i, s in enumerate(lines) if "TFLOPS(cpu wall clock)" in s)
        block = lines[start + 2:]
        block = block[:next((i for i, s in enumerate(block) if not s.startswith("|")), len(block))]
        core_rows += sum(1 for s in block if re.match(r"\|\s*(flaggems|nativetorch)\s*\|", s))
    assert len(op_rows) == core_rows == 408
    assert len({r["flagperf_op"] for r in op_rows}) == len({p.parts[-4] for p in readmes}) == 52
    cases = [p for p in REAL.glob("training/*/*/README.md") if p.parts[-3] != "benchmarks"]
    assert len(cases) == 155
    with_table = [p for p in cases if re.search(r"^\s*\|\s*(配置|训练资源)\s*\|", p.read_text(encoding="utf-8"), re.M)]
    assert len(skipped) == len(cases) - len(with_table) == 18
    assert {r["source_path"] for r in training_rows} == {p.relative_to(REAL).as_posix() for p in with_table}
    assert len(training_rows) == 400


def test_real_map_reviews_every_label():
    op_rows, training_rows, _ = _real()
    assert flagperf.unreviewed_in(op_rows + training_rows) == []
    assert flagperf.unreviewed() == [] and len(flagperf.skipped()) == 18
    chips = flagperf.load_chips(paths.SPECS / flagperf.CHIPS)
    ids = {aid for aid, _ in chips["mapped"].values()}
    missing = sorted(i for i in ids if not (paths.ACCELERATOR_SPECS / f"{i}.yaml").exists())
    assert not missing, f"mapped to ids with no spec file: {missing}"
    wanted = {"baidu/kunlun-r300", "iluvatar/tiangai-150", "metax/c550"}
    assert wanted <= {r["mapped_accelerator_id"] for r in op_rows + training_rows}


def test_real_op_map_names_aten_packets():
    torch = pytest.importorskip("torch")
    ops = flagperf.load_ops(paths.SPECS / flagperf.OPS)
    bad = [a for names, _ in ops["mapped"].values() for a in names if not hasattr(torch.ops.aten, a)]
    assert not bad
