from pathlib import Path

import pytest

from harness.readiness.errors import InputError
from harness.readiness.importers import hipify

from .conftest import FIXTURES, real


def test_family_names():
    assert hipify.family_of("CUDA_Runtime_API_functions_supported_by_HIP.md") == "cuda-runtime"
    assert hipify.family_of("CUBLAS_API_supported_by_HIP_and_ROC.md") == "cublas"
    assert hipify.family_of("cuComplex_API_supported_by_HIP.md") == "cucomplex"
    assert hipify.family_of("README.md") is None


def test_runtime_rows_kinds_and_flags():
    df = hipify.read_tables(FIXTURES / "hipify")
    rt = df[df.api_family == "cuda-runtime"].set_index("cuda_symbol")
    assert rt.loc["cudaChooseDevice", "is_supported"]
    assert not rt.loc["cudaDeviceFlushGPUDirectRDMAWrites", "is_supported"]
    assert rt.loc["cudaDeviceFlushGPUDirectRDMAWrites", "nvidia_added_version"] == "11.3"
    assert rt.loc["cudaThreadExit", "is_deprecated"] and rt.loc["cudaThreadExit", "target_symbol"] == "hipDeviceReset"
    assert rt.loc["cudaError_t", "symbol_kind"] == "type"
    assert rt.loc["cudaGetDevice", "symbol_kind"] == "function"
    assert rt.loc["cudaGraphInstantiateFlags", "is_experimental"]
    assert rt.loc["cudaProfilerInitialize", "is_removed"]
    assert rt.loc["cudaGetDevice", "source_line"] == 9
    assert rt.loc["cudaGetDevice", "source_url"].endswith(
        "docs/tables/CUDA_Runtime_API_functions_supported_by_HIP.md#L9")


def test_hip_and_roc_copies_counted_once():
    df = hipify.read_tables(FIXTURES / "hipify")
    bl = df[df.api_family == "cublas"]
    assert sorted(bl.target_library.unique()) == ["hipBLAS", "rocBLAS"]
    assert len(bl) == 2 * 5  # 5 symbols x 2 libraries, although three files describe them
    assert set(bl.source_path) == {"docs/tables/CUBLAS_API_supported_by_HIP_and_ROC.md"}


def test_summary_excludes_removed_from_denominator():
    df = hipify.read_tables(FIXTURES / "hipify")
    rows = {(r["api_family"], r["target_library"], r["symbol_kind"]): r for r in hipify.summarise(df)}
    fn = rows[("cuda-runtime", "HIP", "function")]
    assert (fn["n_supported"], fn["n_total"], fn["n_removed_excluded"]) == (3, 5, 1)
    assert fn["coverage_share"] == 0.6
    assert fn["compared_against"] == "CUDA <= 12.0"
    gemm = rows[("cublas", "hipBLAS", "function")]
    assert (gemm["n_supported"], gemm["n_total"], gemm["n_experimental"]) == (2, 3, 1)
    assert rows[("cublas", "rocBLAS", "type")]["n_supported"] == 2


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s.replace("|`cudaGetDevice`| | | | |", "|`cudaGetDevice`| | | |", 1), "row has 10 cells"),
    (lambda s: s.replace("|`cudaGetDevice`|", "|cudaGetDevice|", 1), "is not a `symbol`"),
    (lambda s: s.replace("|**HIP**|**A**|**D**|**C**|**R**|**E**|", "|**HIP**|**A**|**D**|**C**|**E**|**R**|", 1),
     "is not NAME|A|D|C|R|E"),
])
def test_malformed_rows_name_file_and_line(tmp_path: Path, mutate, message):
    src = (FIXTURES / "hipify" / "CUDA_Runtime_API_functions_supported_by_HIP.md").read_text(encoding="utf-8")
    bad = tmp_path / "CUDA_Runtime_API_functions_supported_by_HIP.md"
    bad.write_text(mutate(src), encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        hipify.read_tables(tmp_path)
    assert str(exc.value).startswith(f"{bad}:")


def test_real_tables_headline_counts():
    df = hipify.read_tables(real("hipify"))
    rows = {(r["api_family"], r["target_library"], r["symbol_kind"]): r for r in hipify.summarise(df)}
    rt = rows[("cuda-runtime", "HIP", "function")]
    assert (rt["n_supported"], rt["n_total"], rt["n_removed_excluded"]) == (265, 374, 15)
    assert rows[("cublas", "hipBLAS", "function")]["n_total"] == 892
    assert rows[("cudnn", "MIOpen", "function")]["n_total"] == 222


def test_real_hip_only_file_agrees_with_combined_file():
    """HIPIFY publishes each library family three ways; we read one: check the others agree."""
    folder = real("hipify")
    pairs = [("cublas", "CUBLAS_API_supported_by_HIP_and_ROC.md", "CUBLAS_API_supported_by_HIP.md"),
             ("cudnn", "CUDNN_API_supported_by_HIP_and_MIOPEN.md", "CUDNN_API_supported_by_MIOPEN.md")]

    def cells(name, fam):
        rows = hipify.parse_file(folder / name, fam)
        return {(r["cuda_symbol"], r["target_column"]): r["target_symbol"] for r in rows}

    for fam, combined, single in pairs:
        a, b = cells(combined, fam), cells(single, fam)
        assert b and all(a[k] == v for k, v in b.items())
