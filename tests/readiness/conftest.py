"""Shared fixtures: hand-written inputs in the real upstream formats, and the real shared files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness import paths

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_tree(tmp_path: Path) -> tuple[Path, Path]:
    """(upstream, specs) folders laid out like shared/upstream/ and specs/, from the fixtures."""
    up, specs = tmp_path / "upstream", tmp_path / "specs"
    shutil.copytree(FIXTURES / "hipify", up / "hipify")
    shutil.copytree(FIXTURES / "triton", up / "ascend" / "triton_ascend_api")
    (up / "mlperf").mkdir(parents=True)
    shutil.copy(FIXTURES / "mlperf" / "summary_results.json", up / "mlperf" / "inference_v4.1_summary_results.json")
    shutil.copy(FIXTURES / "mlperf" / "summary_v6.1.json", up / "mlperf" / "inference_v6.1_summary.json")
    (up / "ascend").mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "vllm" / "supported_models.md", up / "ascend" / "vllm_ascend_supported_models.md")
    (up / "kunlun").mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "vllm" / "kunlun_supported_models.md", up / "kunlun" / "vllm_kunlun_supported_models.md")
    (up / "sglang").mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "vllm" / "sglang_ascend_support_models.md", up / "sglang" / "ascend_npu_support_models.md")
    shutil.copytree(FIXTURES / "specs", specs)
    return up, specs


def real(rel: str) -> Path:
    """A real file of ../shared/upstream/ (outside this repository, so it may be absent: the test is
    then skipped). Never for files of this repository (specs/, results/): a test of a committed
    file asserts that it exists, so deleting it fails instead of silently skipping."""
    p = paths.UPSTREAM / rel
    if not p.exists():
        pytest.skip(f"{p} not present")
    return p
