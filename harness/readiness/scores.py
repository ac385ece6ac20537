"""Coverage scores: per stack x reference set x dtype x device scope, every tier counted apart.

For each reference op the evidence is resolved to one status by specificity, most direct first:
measured_pass / measured_fail (a probe ran it) > declared_unsupported > known_failure >
declared_supported > fallback > via_decomposition > unknown. declared_unsupported outranks
declared_supported because it is the narrower statement (a product marked ✘) made about an op that a
broader list declares; known_failure (a published test list records the op failing) is kept apart
from both; via_decomposition (torch's composite kernel, one rule for every stack) ranks below any
statement a list makes. The resolved counts sum to ``n_reference_ops``, and every share is computed
from them (``declared_supported_share = n_declared_supported / n_reference_ops``;
``declared_or_decomposed_share`` adds ``n_via_decomposition``), so a percentage always equals the
counts printed beside it.

dtype ``*`` scores the op at all; a dtype row (``float16``) uses evidence stated for that dtype,
plus op-level fallback / declared_unsupported, which hold for every dtype. Op-level support with
no dtype stated is unknown at dtype level. Dtype rows exist only for stacks with dtype evidence;
their denominator is every reference op, including ops that do not take that dtype. A dtype row
with no evidence stated for that dtype (in that scope) is ``no_dtype_evidence``: counts and
shares null, never 0 %.

A stack with no evidence at all is ``undocumented``: counts and shares are null, never 0.
"""

from __future__ import annotations

from collections import defaultdict

from harness import listcol
from harness.readiness import ALL_DEVICES, ANY_DTYPE, dtypes

PRECEDENCE = ("measured_pass", "measured_fail", "declared_unsupported", "known_failure",
              "declared_supported", "fallback", "via_decomposition", "unknown")
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
    used: list[dict] = []
    for op in ops:
        rows = []
        for sc in {ALL_DEVICES, scope}:
            rows += ev.get((op, dt, sc), [])
            if dt != ANY_DTYPE:
                rows += [r for r in ev.get((op, ANY_DTYPE, sc), [])
                         if r["evidence_status"] in _PROPAGATE]
        counts[_resolve({r["evidence_status"] for r in rows})] += 1
        used += rows
    n = len(ops)
    if dt != ANY_DTYPE and not any(r["dtype"] == dt for r in used):
        return {"dtype": dt, "device_scope": scope, "coverage_state": "no_dtype_evidence",
                "note": f"no list states {dt} support for this stack in this scope"}
    dates = sorted({r["as_of_date"] for r in used if r.get("as_of_date")})

    def share(k: int) -> float | None:
        return k / n if n else None

    return {
        "dtype": dt, "device_scope": scope, "coverage_state": "scored",
        "n_measured_pass": counts["measured_pass"], "n_measured_fail": counts["measured_fail"],
        "n_declared_supported": counts["declared_supported"],
        "n_declared_unsupported": counts["declared_unsupported"],
        "n_known_failure": counts["known_failure"],
        "n_fallback": counts["fallback"], "n_via_decomposition": counts["via_decomposition"],
        "n_unknown": counts["unknown"],
        "declared_supported_share": share(counts["declared_supported"]),
        "declared_or_decomposed_share": share(counts["declared_supported"] + counts["via_decomposition"]),
        "measured_pass_share": share(counts["measured_pass"]),
        "unknown_share": share(counts["unknown"]),
        "evidence_sources": listcol.join(sorted({r["evidence_source"] for r in used})),
        "source_versions": listcol.join(sorted({str(r["source_commit"]) for r in used
                                                if r.get("source_commit")})),
        "as_of_date": dates[-1] if dates else None,
        "note": None,
    }
