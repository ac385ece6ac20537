"""ATen op coverage per stack: the op-list snapshots and stored probe runs, scored per reference set.

Inputs: the reference op sets under ``specs/oplists/reference/``, every snapshot the op-list
importers wrote under ``specs/oplists/<stack>/``, the probe runs under ``results/probes/`` and the
stack ids named by ``specs/stacks/`` and the accelerator specs (a stack with no op list still gets
an ``undocumented`` row). The rules (tiers, composite ops, known failures, shares from counts) are
`harness.readiness.opcoverage` and ``specs/oplists/README.md``.
"""

from __future__ import annotations

from harness import paths
from harness.readiness.registry import Context, importer


@importer("op_coverage", produces=("op_evidence", "op_coverage"),
          inputs=lambda ctx: [ctx.oplists / "reference"])
def run(ctx: Context) -> dict:
    """Op-list snapshots and probe runs -> op_evidence (long) and op_coverage (scores)."""
    from harness.readiness import opcoverage

    return opcoverage.build_tables(ctx.oplists, ctx.probes or paths.RESULTS / "probes",
                                   ctx.specs / "stacks", ctx.specs / "accelerators")
