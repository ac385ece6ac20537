import pandas as pd

from harness.readiness import summaries
from harness.readiness.build import build_tables


def _support(rows):
    cols = ["stack_id", "inference_engine", "model_name", "model_family", "model_feature", "model_support_status"]
    return pd.DataFrame(rows, columns=cols)


def test_families_by_best_model_status_add_up():
    df = _support([
        ("cann", "vllm-ascend", "Qwen3", "qwen", "model", "experimental"),
        ("cann", "vllm-ascend", "Qwen3", "qwen", "tensor_parallel", "supported"),   # a feature, not the model
        ("cann", "vllm-ascend", "Qwen2", "qwen", "model", "supported"),
        ("cann", "vllm-ascend", "Llama4", "llama", "model", "not-supported"),
        ("cann", "vllm-ascend", "Phi-3", "phi", "model", "experimental"),
        ("cann", "vllm-ascend", "Mixed (A/B)", None, "model", "supported"),
        ("kunlun-xpu", "vllm-kunlun", "Llama3", "llama", "model", "untested"),
    ])
    out = summaries.model_families(df).set_index("stack_id")
    cann = out.loc["cann"]
    assert (cann["n_models"], cann["n_models_without_family"], cann["n_families"]) == (5, 1, 3)
    splits = ("n_families_supported", "n_families_experimental", "n_families_not_supported")
    assert tuple(cann[c] for c in splits) == (1, 1, 1)
    assert cann[[c for c in out.columns if c.startswith("n_families_")]].sum() == cann["n_families"]
    assert out.loc["kunlun-xpu", "n_families_untested"] == 1
    assert summaries.supported_families(df) == {"cann": ["qwen"]}


def test_mlperf_results_by_round_from_the_fixture_build(fixture_tree):
    up, specs = fixture_tree
    tables = build_tables(upstream=up, specs=specs)
    ms = tables["model_support"]
    assert len(ms[ms["inference_engine"] == "vllm-ascend"]) == 19
    assert len(ms[ms["inference_engine"] == "vllm-kunlun"]) == 2 * 7  # 2 models x 7 mark columns
    sgl = ms[ms["inference_engine"] == "sglang"]  # 2 models x A2, A3; llama's A3 cell is blank
    assert len(sgl) == 4 and sorted(sgl["model_support_status"]) == ["supported"] * 3 + ["unknown"]
    wide = summaries.mlperf_results_by_round(tables["benchmark_summary"])
    assert list(wide.columns) == ["v4.1", "v6.1"]
    assert wide.loc["nvidia/gb300"].tolist() == [0, 1] and wide.loc["amd/mi300x"].tolist() == [1, 0]
    fam = summaries.model_families(tables["model_support"]).set_index("stack_id")
    assert fam.loc["cann", "n_families"] == 4 and fam.loc["cann", "n_models_without_family"] == 2
    assert fam.loc["kunlun-xpu", "n_families"] == 2 and fam.loc["kunlun-xpu", "n_families_supported"] == 2
