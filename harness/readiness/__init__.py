"""Software readiness, one pipeline: which ops, APIs, models and benchmarks each stack has evidence for.

Every input goes through one importer registry (`registry`; one module per importer in
``importers/``, found by listing the folder) into tables under ``results/coverage/``, and
``accel readiness`` reads only those built tables:

1. ``reference`` snapshots the reference operator sets (Core ATen opset; CUDA-backed overloads;
   the LLM op set traced by ``llm``) from the installed torch into
   ``specs/oplists/reference/<set>-<torch version>.yaml``.
2. Op-list importers (``@snapshot_importer``: vendor YAML, docs, Paddle kernel lists) turn
   published operator lists into reviewed snapshots ``specs/oplists/<stack>/<snapshot>.yaml``; each
   entry is one piece of evidence ``(op overload, dtype, device scope, status, detail)`` with the
   upstream provenance.
3. Table importers (``@importer``) read snapshots, upstream files and specs into tables: the
   ``op_coverage`` importer turns snapshots and probe runs (``oprows`` + ``scores``) into the long
   ``op_evidence`` table and the ``op_coverage`` scores; the others read HIPIFY's CUDA->HIP tables,
   the PPU SDK's CUDA-API counts, triton-ascend's dtype tables, llama.cpp's ggml op support,
   MLPerf Inference results, model-support matrices, FlagPerf measurements, fused LLM kernels and
   the stack specs. ``build`` runs them all and writes the tables; ``summaries`` counts from the
   built tables for the readiness scorecard.

Every row cites its upstream file through one provenance record, ``specs/upstream/PROVENANCE.yaml``
(`harness.upstream`); malformed input is one `errors.InputError` naming file and line.

Evidence tiers are kept apart end to end: measured_pass / measured_fail (probe runs),
declared_supported / declared_unsupported (published lists), known_failure (declared, but a
published test list records it failing: a test result, not a missing kernel), fallback (the
framework runs the op on the CPU instead), via_decomposition (no kernel of its own: PyTorch's
composite kernel runs it through other ops, by one rule for every stack, CUDA included), unknown
(nothing published); published measurements (FlagPerf, MLPerf) are their own tier, apart from
declared lists and from our probes. A stack without any public list scores "undocumented", never
0 %. The rules are written down in ``specs/oplists/README.md``.
"""

# dtype "*" in evidence and scores: the statement is about the op, no dtype given.
ANY_DTYPE = "*"
# device scope "*": the statement covers every product of the stack.
ALL_DEVICES = "*"

STATUSES = (
    "measured_pass",
    "measured_fail",
    "declared_supported",
    "declared_unsupported",
    "known_failure",
    "fallback",
    "via_decomposition",
    "unknown",
)


__all__ = ["ANY_DTYPE", "ALL_DEVICES", "STATUSES", "build_tables", "write"]


def __getattr__(name):  # lazy, so importing one module of the package does not load the importers
    if name in ("build_tables", "write"):
        from harness.readiness import build

        return getattr(build, name)
    raise AttributeError(name)
