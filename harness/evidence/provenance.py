"""Where each shared upstream input came from: repository, path and commit.

The raw files in ``../shared/upstream/`` are inputs, not the dataset; every row an importer makes
from them carries the upstream repository, path and commit listed here (copied from the table in
``shared/upstream/README.md``; a test checks that the two agree). Where the README gives only an
abbreviated commit, the abbreviation is what we record: we do not guess the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Upstream:
    repo: str
    commit: str
    date: str | None  # the upstream commit date the README gives (the "as of" of the evidence)
    path: str  # upstream path (a pattern where one local folder holds many upstream files)
    local: str  # path under shared/upstream/

    def blob_url(self, upstream_path: str) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{upstream_path}"


HIPIFY = Upstream(
    repo="ROCm/HIPIFY",
    commit="014177bc2e434ce3e834aa4f3d0e2abb1efa9796",
    date="2024-10-24",
    path="docs/tables/{name}",
    local="hipify",
)
TRITON_ASCEND = Upstream(
    repo="triton-lang/triton-ascend",
    commit="a84b1eb5",
    date="2026-04-27",
    path="docs/zh/triton_api/{category}/{op}.md",
    local="ascend/triton_ascend_api",
)
MLPERF_V41 = Upstream(
    repo="mlcommons/inference_results_v4.1",
    commit="4a0c8741",
    date=None,
    path="summary_results.json",
    local="mlperf/inference_v4.1_summary_results.json",
)
FLAGGEMS = Upstream(
    repo="flagos-ai/FlagGems",
    commit="ed2508bc",
    date=None,
    path="conf/operators.yaml",
    local="flaggems/operators.yaml",
)

ALL = {"hipify": HIPIFY, "triton_ascend": TRITON_ASCEND, "mlperf": MLPERF_V41, "flaggems": FLAGGEMS}
