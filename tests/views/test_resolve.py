"""Name resolution: ids, tails, names, aliases (Chinese included), ambiguity and misses."""

from __future__ import annotations

import pytest

from harness.errors import UserError
from harness.resolve import match_device_name, normalise, resolve, resolve_many


@pytest.mark.parametrize("query", ["sino/p900", "p900", "Sino P900", "昆仑芯 P900", "昆仑芯P900", "kunlun p900",
                                   "KUNLUN-P900", "sino p9"])
def test_every_spelling_of_one_part(dataset, query):
    assert resolve(query) == "sino/p900"


def test_exact_beats_prefix(dataset):
    # "base" is an alias of base-sxm and a prefix of base-pcie: the exact key wins
    assert resolve("base") == "demo/base-sxm"
    assert resolve("base-pcie") == "demo/base-pcie"


def test_ambiguity_lists_the_candidates(dataset):
    with pytest.raises(UserError) as exc:
        resolve("demo/base")
    assert "demo/base-pcie" in str(exc.value) and "demo/base-sxm" in str(exc.value)


def test_miss_suggests(dataset):
    with pytest.raises(UserError, match="did you mean 'p900'"):
        resolve("p990")


def test_resolve_many_keeps_order_and_drops_repeats(dataset):
    assert resolve_many(["p900", "base-pcie", "昆仑芯 P900"]) == ["sino/p900", "demo/base-pcie"]


def test_normalise_ignores_case_width_and_separators():
    assert normalise("Ｋunlun_P-800 ") == normalise("kunlunp800")


def test_device_names(dataset):
    assert match_device_name("DEMO Base 80GB HBM3") == "demo/base-sxm"
    assert match_device_name("NVIDIA Base PCIe") == "demo/base-pcie"
    assert match_device_name("NVIDIA GeForce RTX 4090") is None


def test_device_names_in_the_real_dataset():
    assert match_device_name("NVIDIA H100 80GB HBM3") == "nvidia/h100-sxm5"
    assert match_device_name("NVIDIA H200") == "nvidia/h200-sxm"
    assert match_device_name("NVIDIA H100 PCIe") == "nvidia/h100-pcie"


def test_loose_names_in_the_real_dataset():
    assert resolve("h100") == "nvidia/h100-sxm5"       # DEFAULT_VARIANT: the bare name means SXM
    assert resolve("P800") == "baidu/kunlun-p800"
    assert resolve("昆仑芯 P800") == "baidu/kunlun-p800"
    assert resolve("kunlun p800") == "baidu/kunlun-p800"
    assert resolve("b200") == "nvidia/b200"            # not GB200, whose alias "B200 (GB200)" also starts so
