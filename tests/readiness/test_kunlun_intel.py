"""Kunlun (Paddle XPU3 list through the mapping) and Intel (torch-xpu-ops yaml) importers."""

import pytest
import yaml

from harness.readiness.importers import intel, kunlun
from harness.errors import UserError
from harness.paths import OPLISTS, UPSTREAM

LIST = """# codes: f=FLOAT32 h=FLOAT16 b=BFLOAT16 l=INT64
elementwise_add f h b
scale f
matmul_v2 f h
"""
MAPPING = {"mapped": {"add.Tensor": {"paddle": ["elementwise_add"]},
                      "mm": {"paddle": ["matmul_v2", "matmul"]},
                      "erf": {"paddle": ["erf"]}},
           "unmapped": {"index.Tensor": "lowered to several kernels"}}


def test_parse_list_codes():
    k = kunlun.parse_list(LIST)
    assert k["elementwise_add"] == {"float32", "float16", "bfloat16"}
    with pytest.raises(UserError, match="unknown dtype code"):
        kunlun.parse_list("# codes: f=FLOAT32\nrelu f z\n")


def test_missing_kernel_is_fallback_not_failure():
    rows = kunlun.entries(kunlun.parse_list(LIST), MAPPING, scored=("float32", "int64"))
    got = {(r["op"], r.get("dtype", "*")): r["status"] for r in rows}
    assert got[("erf", "*")] == "fallback"
    assert got[("mm", "*")] == "declared_supported"
    assert got[("mm", "int64")] == "fallback"      # dtype not listed: CPU kernel
    assert got[("add.Tensor", "float32")] == "declared_supported"
    assert not any(op == "index.Tensor" for op, _ in got)  # unmapped stays unknown


def test_mapping_rejects_double_listing(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text(yaml.safe_dump({"mapped": {"abs": {"paddle": ["abs"]}}, "unmapped": {"abs": "x"}}))
    with pytest.raises(UserError, match="both mapped and unmapped"):
        kunlun.load_mapping(p)


def test_reviewed_mapping_considers_every_core_op():
    from harness.readiness import reference

    _, sets = reference.load_sets(OPLISTS)
    m = kunlun.load_mapping(OPLISTS / kunlun.MAPPING)
    considered = set(m["mapped"]) | set(m["unmapped"])
    assert set(sets["core"]) <= considered
    assert considered <= set(sets["core"]) | set(sets["cuda-backed"])  # no invented op names


@pytest.mark.skipif(not (UPSTREAM / kunlun.FILE).exists(), reason="shared/upstream absent")
def test_real_paddle_list():
    doc = kunlun.build(UPSTREAM, OPLISTS)
    assert doc["sources"]["paddle-xpu3"]["commit"].startswith("0ab6998")
    status = {e["op"]: e["status"] for e in doc["entries"] if "dtype" not in e}
    assert status["add.Tensor"] == "declared_supported"
    assert "gather" in status and doc["counts"]["paddle_ops_listed"] > 300


def test_intel_entries_and_bad_backend():
    doc = {"backend": "XPU", "supported": ["add.Tensor", "add.out", "add.Tensor"]}
    assert [e["op"] for e in intel.entries(doc)] == ["add.Tensor", "add.out"]
    with pytest.raises(UserError, match="backend"):
        intel.entries({"backend": "CUDA", "supported": []})


@pytest.mark.skipif(not (UPSTREAM / intel.FILE).exists(), reason="shared/upstream absent")
def test_real_intel_yaml():
    doc = intel.build(UPSTREAM)
    assert doc["sources"]["torch-xpu-ops"]["repo"] == "intel/torch-xpu-ops"
    assert len(doc["entries"]) > 500
