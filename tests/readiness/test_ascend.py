"""Ascend importer: op-plugin version ranges, OpInfo failures, per-API doc pages."""

import pytest

from harness.readiness import ascend_docs
from harness.readiness.importers import ascend
from harness.paths import UPSTREAM

ALLV = ["v2.1", "v2.12", "v2.13", "v2.14"]


@pytest.mark.parametrize("spec,expected", [
    ("all_version", True), (["v2.1", "newest"], True), (["v2.1", "v2.12"], False),
    ("v2.1, v2.2", False), ("v2.13", True), (None, False), (["v2.14", "newest"], False),
])
def test_version_ranges(spec, expected):
    assert ascend.covers(spec, "v2.13", ALLV) is expected


def test_op_plugin_entries_keep_only_this_torch():
    doc = {"all_version": ALLV, "official": [
        {"func": "abs(Tensor self) -> Tensor", "acl_op": "all_version"},
        {"func": "old(Tensor self) -> Tensor", "op_api": ["v2.1", "v2.12"]},
    ], "custom": [{"func": "npu_thing(Tensor self) -> Tensor", "op_api": "all_version"}]}
    entries, counts = ascend.op_plugin_entries(doc, "v2.13")
    assert [e["op"] for e in entries] == ["abs"]
    assert counts == {"aten_declared": 1, "not_for_this_torch": 1, "custom_npu_ops": 1}


def test_opinfo_failures_map_only_unambiguous_names():
    by_base = {"mul": [("mul.Tensor", "functional"), ("mul_.Tensor", "inplace")],
               "linalg_svd": [("linalg_svd", "functional")]}
    doc = {"mul": {"test_compare_cpu": ["float32"], "test_neg_view": ["float64"]},
           "linalg.svd": {"test_backward": ["float32"]},
           "_refs.mul": {"test_compare_cpu": ["float32"]}}
    entries, unmapped, counts = ascend.failure_entries(doc, by_base)
    assert [(e["op"], e["dtype"]) for e in entries] == [("mul.Tensor", "float32")]
    assert unmapped == ["_refs.mul"]
    assert counts["failures_outside_forward_tests"] == 2  # mul/float64 view, svd backward


PAGE = """# torch
### torch.abs

| 硬件 | 是否支持 |
| ---- | :----: |
| <term>Atlas A2 训练系列产品</term> | ✔ |
| <term>Atlas A3 训练系列产品</term> | ✔ |
| <term>Ascend 950DT</term> | ✘ |

**限制与说明**： `input`仅支持fp16，fp32

</div>

### torch.nn.Conv2d

| <term>Atlas A2 训练系列产品</term> | ✔ |
"""


def test_doc_page_products_and_dtype_limits():
    (entry, cls) = ascend_docs.parse_page(PAGE, "torch.md")
    assert entry.support == {"Atlas A2": True, "Atlas A3": True, "Ascend 950DT": False}
    assert entry.only["Atlas A2"] == {"float16", "float32"}
    rows, unmapped = ascend_docs.evidence([entry, cls], {"abs": [("abs", "functional")]},
                                          scored=("float32", "bfloat16"))
    got = {(r["dtype"] if "dtype" in r else "*", r["scope"]): r["status"] for r in rows}
    assert got[("*", "Ascend 950DT")] == "declared_unsupported"
    assert got[("float32", "Atlas A2")] == "declared_supported"
    assert got[("bfloat16", "Atlas A2")] == "declared_unsupported"  # 仅支持 excludes it
    assert ("float32", "Ascend 950DT") not in got  # no dtype claims where the op is ✘
    assert unmapped == ["torch.nn.Conv2d"]


@pytest.mark.parametrize("api,base", [("torch.abs", "abs"), ("torch.Tensor.add_", "add_"),
                                      ("torch.nn.functional.relu", "relu"),
                                      ("torch.linalg.svd", "linalg_svd"), ("torch.nn.ReLU", None)])
def test_api_names_to_aten(api, base):
    assert ascend_docs.aten_base(api) == base


@pytest.mark.skipif(not (UPSTREAM / "ascend").is_dir(), reason="shared/upstream absent")
def test_real_ascend_files():
    from harness.readiness import native

    doc = ascend.build(UPSTREAM, native.load(), native.torch_version())
    assert doc["sources"]["op-plugin"]["commit"].startswith("517f2e7")
    ops = {(e["op"], e["dtype"] if "dtype" in e else "*", e.get("scope", "*"), e["source"])
           for e in doc["entries"]}
    assert len(ops) == len(doc["entries"])  # no duplicate evidence keys
    declared = {e["op"] for e in doc["entries"] if e["source"] == "op-plugin"}
    assert {"add.Tensor", "mm", "convolution"} & declared
    assert doc["counts"]["custom_npu_ops"] > 100
