"""Coverage scores: per stack x reference set x dtype x device scope, every tier counted apart.

For each reference op the evidence is resolved to one status by specificity, most direct first:
measured_pass / measured_fail (a probe ran it) > declared_unsupported > declared_supported >
fallback > unknown. declared_unsupported outranks declared_supported because it is the narrower
statement (a product marked ✘, a dtype listed as failing) made about an op that a broader list
declares. The counts of resolved statuses sum to ``n_reference_ops``.

``declared_supported_share`` is separate from the resolved counts: the share of reference ops that
some published list declares supported, whatever probes later found; it is the headline
"declared coverage". ``n_composite_only`` counts ops declared only through a composite kernel.

dtype ``*`` scores the op at all; a dtype row (``float16``) uses evidence stated for that dtype,
plus op-level fallback / declared_unsupported, which hold for every dtype. Op-level support with
no dtype stated is unknown at dtype level. Dtype rows exist only for stacks with dtype evidence;
their denominator is every reference op, including ops that do not take that dtype.

A stack with no evidence at all is ``undocumented``: counts and shares are null, never 0.
"""

from __future__ import annotations

from collections import defaultdict

from harness import listcol
from harness.coverage import ALL_DEVICES, ANY_DTYPE, dtypes

PRECEDENCE = ("measured_pass", "measured_fail", "declared_unsupported", "declared_supported",
              "fallback", "unknown")
_PROPAGATE = {"fallback", "declared_unsupported"}

# Why a stack has no score, for stacks that readers will look for.
UNDOCUMENTED_NOTES = {
    "ppu-sdk": "Alibaba publishes CUDA-API coverage for the PPU SDK, but no ATen operator list",
    "rocm": ("PyTorch ROCm builds hipify the CUDA kernels under the CUDA dispatch key; no "
             "separate ROCm op list is published, so it is not scored here"),
}


def _resolve(statuses: set[str]) -> str:
    for s in PRECEDENCE:
        if s in statuses:
            return s
    return "unknown"


def score_rows(evidence: list[dict], stacks: list[str], reference: dict[str, dict],
               reference_version: str) -> list[dict]:
    """The ``op_coverage`` rows for every stack (scored or undocumented)."""
    idx: dict[str, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in evidence:
        if r["evidence_status"] != "unknown":
            idx[r["stack_id"]][(r["op"], r["dtype"], r["device_scope"])].append(r)
    out = []
    for stack in stacks:
        ev = idx.get(stack)
        for ref_name, ops in reference.items():
            base = {"stack_id": stack, "reference_set": ref_name,
                    "reference_version": reference_version, "n_reference_ops": len(ops)}
            if not ev:
                out.append({**base, "dtype": ANY_DTYPE, "device_scope": ALL_DEVICES,
                            "coverage_state": "undocumented",
                            "note": UNDOCUMENTED_NOTES.get(
                                stack, "no published ATen op list or probe run for this stack")})
                continue
            scopes = sorted({k[2] for k in ev} - {ALL_DEVICES})
            has_dtypes = any(k[1] != ANY_DTYPE for k in ev)
            for scope in [ALL_DEVICES, *scopes]:
                for dt in [ANY_DTYPE, *(dtypes.SCORED_DTYPES if has_dtypes else ())]:
                    out.append({**base, **_score(ev, ops, dt, scope)})
    return out


def _score(ev: dict, ops: dict, dt: str, scope: str) -> dict:
    counts = dict.fromkeys(PRECEDENCE, 0)
    declared = composite_only = 0
    used: list[dict] = []
    for op in ops:
        rows = []
        for sc in {ALL_DEVICES, scope}:
            rows += ev.get((op, dt, sc), [])
            if dt != ANY_DTYPE:
                rows += [r for r in ev.get((op, ANY_DTYPE, sc), [])
                         if r["evidence_status"] in _PROPAGATE]
        counts[_resolve({r["evidence_status"] for r in rows})] += 1
        supp = [r for r in rows if r["evidence_status"] == "declared_supported"]
        if supp:
            declared += 1
            if all(r["evidence_source"].endswith(":composite") for r in supp):
                composite_only += 1
        used += rows
    n = len(ops) or 1
    dates = sorted({r["as_of_date"] for r in used if r.get("as_of_date")})
    return {
        "dtype": dt, "device_scope": scope, "coverage_state": "scored",
        "n_measured_pass": counts["measured_pass"], "n_measured_fail": counts["measured_fail"],
        "n_declared_supported": counts["declared_supported"],
        "n_declared_unsupported": counts["declared_unsupported"],
        "n_fallback": counts["fallback"], "n_unknown": counts["unknown"],
        "n_composite_only": composite_only,
        "declared_supported_share": declared / n,
        "measured_pass_share": counts["measured_pass"] / n,
        "unknown_share": counts["unknown"] / n,
        "evidence_sources": listcol.join(sorted({r["evidence_source"] for r in used})),
        "source_versions": listcol.join(sorted({str(r["source_commit"]) for r in used
                                                if r.get("source_commit")})),
        "as_of_date": dates[-1] if dates else None,
        "note": None,
    }
