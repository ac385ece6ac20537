"""Derived metrics, computed in the build and never typed into a spec.

Formulas (inputs are dense peaks in canonical units):
- machine balance = bf16_tflops * 1e12 / (memory_bandwidth_tbps * 1e12)  [FLOP per byte]
- bf16_tflops_per_w = bf16_tflops / tdp_w
- memory_gb_per_bf16_tflop = memory_capacity_gb / bf16_tflops
- TPP (US export control) = max over peak fields of (dense TFLOPS or TOPS x operand bit length).
  Sparse rates never count, and neither do figures whose source does not say whether they are
  dense (`basis: unstated`): halving or not would change the class. The result is a lower bound
  unless every peak field is known or unsupported (`tpp_complete`): an unknown precision could
  only raise it.
- performance density = TPP / die_area_mm2 (all logic dies summed); unknown area -> unknown.
- 3A090 classes of the October 2023 rule and the October 2022 rule (thresholds below).
Every export-control output is informational, NOT a legal determination; whether a part is
"designed or marketed for data centres" is a recorded input (`is_datacenter`), never derived.
When an unknown input could change the answer, the class is `indeterminate`, never a guess.
"""

from __future__ import annotations

import math

EXPORT_DISCLAIMER = "Export-control figures are informational, not a legal determination."


def _num(x) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def ratio(a, b) -> float | None:
    a, b = _num(a), _num(b)
    if a is None or b is None or b == 0:
        return None
    return a / b


def tpp(dense: dict[str, float | None], states: dict[str, str], bits: dict[str, int]) -> tuple[float | None, bool]:
    """(TPP, complete) from dense peaks; ``states`` maps field -> known/undisclosed/unsupported."""
    best = None
    complete = True
    for fld, nbits in bits.items():
        v = _num(dense.get(fld))
        if v is not None:
            best = max(best or 0.0, v * nbits)
        elif states.get(fld) != "unsupported":
            complete = False
    return best, complete


def performance_density(tpp_value, die_area_mm2) -> float | None:
    return ratio(tpp_value, die_area_mm2)


def classify_3a090_2023(tpp_value, complete: bool, pd) -> str:
    """October 2023 rule: a = TPP>=4800, or TPP>=1600 and PD>=5.92;
    b = 2400<=TPP<4800 and 1.6<=PD<5.92, or TPP>=1600 and 3.2<=PD<5.92."""
    t, pd = _num(tpp_value), _num(pd)
    if t is not None and t >= 4800:
        return "3A090.a"  # unknowns can only raise TPP
    if t is None or not complete:
        return "indeterminate"
    if t < 1600:
        return "not-3A090"
    if pd is None:
        return "indeterminate"
    if pd >= 5.92:
        return "3A090.a"
    if (2400 <= t < 4800 and 1.6 <= pd < 5.92) or (3.2 <= pd < 5.92):
        return "3A090.b"
    return "not-3A090"


def classify_3a090_2022(tpp_value, complete: bool, bidir_gbps) -> str:
    """October 2022 rule: TPP >= 4800 and bidirectional chip-to-chip I/O >= 600 GB/s."""
    t, bw = _num(tpp_value), _num(bidir_gbps)
    if t is not None and complete and t < 4800:
        return "not-3A090"
    if bw is not None and bw < 600:
        return "not-3A090"
    if t is not None and t >= 4800 and bw is not None:
        return "3A090"
    return "indeterminate"


def derive(row: dict, states: dict[str, str], bits: dict[str, int], tpp_exclude=frozenset()) -> dict:
    """All derived columns for one accelerator row (canonical units, dense).

    ``tpp_exclude``: fields whose figure has an unstated basis; they count as unknown for TPP.
    """
    tpp_row = {k: v for k, v in row.items() if k not in tpp_exclude}
    tpp_states = {k: ("unknown" if k in tpp_exclude else s) for k, s in states.items()}
    t, complete = tpp(tpp_row, tpp_states, bits)
    pd = performance_density(t, row.get("die_area_mm2"))
    bw = _num(row.get("scaleup_bandwidth_gbps"))
    return {
        "scaleup_bandwidth_per_direction_gbps": bw / 2 if bw is not None else None,
        "machine_balance_flop_per_byte": ratio(row.get("bf16_tflops"), row.get("memory_bandwidth_tbps")),
        "bf16_tflops_per_w": ratio(row.get("bf16_tflops"), row.get("tdp_w")),
        "memory_gb_per_bf16_tflop": ratio(row.get("memory_capacity_gb"), row.get("bf16_tflops")),
        "tpp": t,
        "tpp_complete": complete if t is not None else None,
        "performance_density": pd,
        "eccn_3a090_2023": classify_3a090_2023(t, complete, pd),
        "eccn_3a090_2022": classify_3a090_2022(t, complete, bw),
    }
