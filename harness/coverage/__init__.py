"""ATen op coverage: which PyTorch operators each software stack declares, fails or leaves unknown.

The pipeline has three stages, each a small module:

1. ``reference`` snapshots the reference operator sets (Core ATen opset; CUDA-backed overloads)
   from the installed torch into ``specs/oplists/reference/<set>-<torch version>.yaml``.
2. ``importers/`` turn published operator lists (vendor YAML, docs, Paddle kernel lists) into
   normalised snapshots ``specs/oplists/<stack>/<snapshot>.yaml``; each entry is one piece of
   evidence ``(op overload, dtype, device scope, status, detail)`` with the upstream provenance.
3. ``evidence`` + ``scores`` read those snapshots (and probe runs in ``results/probes/``) into the
   long ``op_evidence`` table and the ``op_coverage`` scores; ``build`` writes both.

Evidence tiers are kept apart end to end: measured_pass / measured_fail (probe runs),
declared_supported / declared_unsupported (published lists), known_failure (declared, but a
published test list records it failing: a test result, not a missing kernel), fallback (the
framework runs the op on the CPU instead), via_decomposition (no kernel of its own: PyTorch's
composite kernel runs it through other ops, by one rule for every stack, CUDA included), unknown
(nothing published). A stack without any public list scores "undocumented", never 0 %. The rules
are written down in ``specs/oplists/README.md``.
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
