"""Software-readiness evidence from published documents, turned into coverage tables.

Each importer reads one kind of published evidence and returns tidy DataFrames:

- ``hipify``: ROCm's HIPIFY tables, one row per CUDA symbol and its HIP / ROC / MIOpen equivalent.
- ``ppu``: Alibaba Cloud's published CUDA-API coverage counts for the Zhenwu PPU SDK
  (``specs/stacks/ppu-sdk-cuda-api.yaml``), percentages recomputed from the counts.
- ``triton_ascend``: triton-ascend's per-API dtype tables, GPU vs Ascend A2/A3.
- ``ggml``: llama.cpp's measured per-backend ggml op support (snapshots in ``specs/oplists/ggml/``).
- ``mlperf``: MLPerf Inference results (v4.1, v6.1) joined to accelerator ids through reviewed
  alias maps, one per round.
- ``model_support``: serving engines' model-support matrices (vllm-ascend), per model, family and
  feature, tier declared.
- ``flaggems``: a third party's cross-vendor Triton operator library (not a vendor statement).
- ``flagperf``: BAAI FlagPerf's published per-operator and training-case measurements per vendor
  chip, chips joined to ids through a reviewed map, tier published-measured.

``harness.evidence.build.build_tables()`` runs every importer whose inputs are present and returns
the tables; ``write(out_dir)`` writes them atomically as Parquet with CSV beside.
``harness.evidence.summaries`` counts from the built tables for the readiness scorecard.
"""

__all__ = ["build_tables", "write"]


def __getattr__(name):  # lazy, so importing one importer module does not load them all
    if name in __all__:
        from harness.evidence import build

        return getattr(build, name)
    raise AttributeError(name)
