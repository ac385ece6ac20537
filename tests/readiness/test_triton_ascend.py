from pathlib import Path

import pytest

from harness.readiness.errors import InputError
from harness.readiness.importers import triton_ascend as ta

from .conftest import FIXTURES, real


def test_variants_normalised():
    df = ta.read_pages(FIXTURES / "triton")
    state = df.set_index(["triton_api", "triton_dtype", "triton_platform"])["support_state"]
    # row without a leading pipe still parsed
    assert state[("triton.language.atomic_min", "int64", "gpu")] == "supported"
    assert state[("triton.language.atomic_min", "int64", "ascend-a2-a3")] == "unsupported"
    # float16 -> fp16, ✓, fp8 columns, GPU N/A
    api = "triton.language.extra.ascend.libdevice.index_select_simd"
    assert state[(api, "fp16", "ascend-a2-a3")] == "supported"
    assert state[(api, "fp8e4", "ascend-a2-a3")] == "unsupported"
    assert state[(api, "fp16", "gpu")] == "not-applicable"
    # 'x' for ×, '-' is not applicable, a page titled with the operator name
    assert state[("eq", "uint8", "ascend-a2-a3")] == "unsupported"
    assert state[("eq", "bool", "ascend-a2-a3")] == "not-applicable"
    assert "triton.jit" not in set(df.triton_api)
    assert not df["triton_platform"].eq("").any()


def test_summary_gpu_parity():
    df = ta.read_pages(FIXTURES / "triton")
    rows = {r["triton_platform"]: r for r in ta.summarise(df)}
    asc = rows["ascend-a2-a3"]
    # GPU-supported cells with an Ascend mark: atomic_min 3 (int32, int64, fp32), eq 12 (bool is '-')
    assert asc["n_gpu_parity_total"] == 15
    assert asc["n_gpu_parity_supported"] == 2 + 7  # atomic_min int32,fp32; eq int8,16,32,int64,fp16,fp32,bf16
    assert rows["gpu"]["gpu_parity_share"] is None


@pytest.mark.parametrize("old, new, message", [
    ("| Ascend A2/A3 | √ | √ | √ | x", "| Ascend A2/A3 | √ | ? | √ | x", "unknown support mark '\\?'"),
    ("| GPU          |", "| TPU          |", "unknown platform row 'TPU'"),
    ("| √ | - |", "| √ |", "12 marks for 13 dtypes"),
])
def test_malformed_pages(tmp_path: Path, old, new, message):
    src = (FIXTURES / "triton" / "Comparing_Ops__eq.md").read_text(encoding="utf-8")
    (tmp_path / "Comparing_Ops__eq.md").write_text(src.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        ta.read_pages(tmp_path)
    assert ":" in str(exc.value).split(" ")[0]


def test_real_pages_and_quirk_still_needed():
    folder = real("ascend/triton_ascend_api")
    skipped: dict[str, str] = {}
    df = ta.read_pages(folder, skipped)
    assert set(skipped) == set(ta.QUIRKS), "a quirk no longer applies: remove it from QUIRKS"
    assert df["triton_api"].nunique() > 100
    assert set(df["triton_platform"]) == {"gpu", "ascend-a2-a3"}
