"""The upstream records the evidence importers cite, by name (see `harness.upstream`).

Every row an importer makes carries the upstream repository, path and commit of the file it read,
taken from ``specs/upstream/PROVENANCE.yaml``, the one provenance record of the project. Where
only an abbreviated commit was recorded, the abbreviation is what rows carry: we do not guess.
"""

from __future__ import annotations

from harness.upstream import Upstream, for_file

__all__ = ["Upstream", "HIPIFY", "TRITON_ASCEND", "MLPERF_V41", "FLAGGEMS", "ALL"]

HIPIFY = for_file("hipify/")
TRITON_ASCEND = for_file("ascend/triton_ascend_api/")
MLPERF_V41 = for_file("mlperf/inference_v4.1_summary_results.json")
FLAGGEMS = for_file("flaggems/operators.yaml")

ALL = {"hipify": HIPIFY, "triton_ascend": TRITON_ASCEND, "mlperf": MLPERF_V41, "flaggems": FLAGGEMS}
