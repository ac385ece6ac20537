"""Derived metrics against published worked examples (export-control figures are informational)."""

from __future__ import annotations

import pytest

from harness.dataset import metrics
from harness.dataset.registry import registry

BITS = {k: f.bits for k, f in registry().peak_fields.items()}


def _all_unsupported_but(**known):
    states = {k: "unsupported" for k in BITS}
    states.update({k: "known" for k in known})
    return known, states


def test_h100_sxm_worked_example():
    row, states = _all_unsupported_but(bf16_tflops=989.4, fp8_tflops=1978.9, fp16_tflops=989.4, fp64_tflops=34)
    t, complete = metrics.tpp(row, states, BITS)
    assert t == pytest.approx(15830, abs=2) and complete
    pd_ = metrics.performance_density(t, 814)
    assert pd_ == pytest.approx(19.4, abs=0.05)
    assert metrics.classify_3a090_2023(t, complete, pd_) == "3A090.a"
    assert metrics.classify_3a090_2022(t, complete, 900) == "3A090"


def test_a100_worked_example():
    row, states = _all_unsupported_but(bf16_tflops=312, int8_tops=624)
    t, complete = metrics.tpp(row, states, BITS)
    assert t == pytest.approx(4992)
    assert metrics.performance_density(t, 826) == pytest.approx(6.04, abs=0.01)
    assert metrics.classify_3a090_2023(t, complete, metrics.performance_density(t, 826)) == "3A090.a"


def test_h20_worked_example_is_neither_a_nor_b():
    row, states = _all_unsupported_but(bf16_tflops=148, fp8_tflops=296)
    t, complete = metrics.tpp(row, states, BITS)
    assert t == pytest.approx(2368)
    pd_ = metrics.performance_density(t, 814)
    assert pd_ == pytest.approx(2.9, abs=0.05)
    assert metrics.classify_3a090_2023(t, complete, pd_) == "not-3A090"


def test_unknown_inputs_are_indeterminate_never_guessed():
    # Kunlun P800-like: no throughput published
    row, states = {}, {k: "unknown" for k in BITS}
    t, complete = metrics.tpp(row, states, BITS)
    assert t is None and metrics.classify_3a090_2023(t, complete, None) == "indeterminate"
    # a known low precision with another precision unknown: TPP is only a lower bound
    t, complete = metrics.tpp({"bf16_tflops": 100}, {"bf16_tflops": "known"}, BITS)
    assert t == 1600 and not complete
    assert metrics.classify_3a090_2023(t, complete, 10) == "indeterminate"
    # a complete TPP with unknown die area: only the PD test is open
    assert metrics.classify_3a090_2023(3000, True, None) == "indeterminate"
    assert metrics.classify_3a090_2023(1000, True, None) == "not-3A090"
    assert metrics.classify_3a090_2022(5000, True, None) == "indeterminate"


@pytest.mark.parametrize("t,pd_,expected", [
    (4800, 1.0, "3A090.a"), (1600, 5.92, "3A090.a"), (3000, 2.0, "3A090.b"), (1700, 3.5, "3A090.b"),
    (2300, 2.0, "not-3A090"), (1599, 10.0, "not-3A090"),
])
def test_2023_thresholds(t, pd_, expected):
    assert metrics.classify_3a090_2023(t, True, pd_) == expected


def test_ratios_never_from_unknowns():
    assert metrics.ratio(None, 2) is None and metrics.ratio(2, None) is None and metrics.ratio(1, 0) is None
    assert metrics.ratio(3, 2) == 1.5


def test_shipped_h100_tpp_matches_worked_example():
    from harness import load

    acc = load("accelerators").set_index("accelerator_id")
    if "nvidia/h100-sxm5" not in acc.index:
        pytest.skip("H100 SXM5 not in the shipped dataset")
    assert acc.loc["nvidia/h100-sxm5", "tpp"] == pytest.approx(15830, abs=3)
    assert acc.loc["nvidia/h100-sxm5", "eccn_3a090_2023"] == "3A090.a"
