"""The traced LLM reference set: what small decoder blocks dispatch, device-neutral, reproducible."""

import pytest
import yaml

from harness.readiness import llm, reference
from harness.paths import OPLISTS

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def traced():
    return llm.trace()


def test_the_trace_sees_each_block_and_phase(traced):
    # matmuls, attention, the MoE router and scatter, the KV cache, the loss
    for op in ("mm", "_scaled_dot_product_flash_attention", "topk", "index_add_", "cat",
               "_scaled_dot_product_flash_attention_backward", "nll_loss_forward", "embedding_dense_backward"):
        assert op in traced, op
    assert ("deepseek-moe", "prefill") in traced["topk"]
    assert ("llama", "decode") in traced["cat"]                   # the KV cache grows by cat
    assert {b for b, _ in traced["mm"]} == {"llama", "qwen", "deepseek-moe"}
    assert all(ph == "backward" for _, ph in traced["embedding_dense_backward"])


def test_cpu_only_overloads_are_renamed_to_device_neutral_ones(traced):
    from harness.readiness import native

    ops = native.load()
    assert not [op for op in traced if op.endswith("_for_cpu") or "_for_cpu_" in op]
    assert all(target in ops and "CUDA" in ops[target].keys for target in llm.DEVICE_NEUTRAL.values())


def test_the_committed_set_is_what_the_trace_gives_today():
    from harness.readiness import native

    version = native.torch_version()
    path = OPLISTS / "reference" / f"llm-{version}.yaml"
    assert path.exists(), f"run `{llm.COMMAND}`"
    committed = yaml.safe_load(path.read_text(encoding="utf-8"))
    fresh = llm.reference_doc(version)
    assert committed["ops"] == fresh["ops"] and committed["count"] == len(fresh["ops"])


def test_the_llm_set_is_scored_beside_core():
    version, sets = reference.load_sets(OPLISTS)
    assert "llm" in sets and len(sets["llm"]) > 40
    assert set(sets["llm"]) - set(sets["core"])  # not a subset of Core ATen: why it exists
