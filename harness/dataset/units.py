"""Unit conversion to each field's canonical unit, through pint.

Decisions:
- Throughput units are rates of `flop` (TFLOPS) or integer `op` (TOPS); they are different
  dimensions, so a TOPS figure cannot land in a TFLOPS field by accident.
- Bytes are literal: GB = 10^9 B, GiB = 2^30 B. Vendors print HBM capacity as "GB" although HBM
  stacks are binary-sized; we keep what the source printed and convert literally, never guess.
- `billion` / `million` are plain scale factors for transistor counts.
Conversion factors are cached per (unit, canonical) pair: pint is slow per call and a build
converts thousands of values with a handful of distinct units.
"""

from __future__ import annotations

import functools

_DEFINITIONS = """
flop = [flop]
FLOPS = flop / second
op = [operation]
OPS = op / second
billion = 1e9
million = 1e6
"""


class UnitError(ValueError):
    """A unit that pint cannot parse, or one of the wrong dimension."""


@functools.lru_cache(maxsize=1)
def _ureg():
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.load_definitions(_DEFINITIONS.strip().splitlines())
    return ureg


def _normalise(unit: str) -> str:
    u = unit.strip()
    u = u.replace("²", "^2").replace("/sec", "/s")
    return u


@functools.lru_cache(maxsize=1024)
def factor(unit: str, canonical: str) -> float:
    """Multiply a value in ``unit`` by this to get ``canonical``; `UnitError` if impossible."""
    if _normalise(unit) == _normalise(canonical):
        return 1.0
    ureg = _ureg()
    try:
        src = ureg.parse_units(_normalise(unit))
    except Exception as exc:  # pint raises several unrelated types here
        raise UnitError(f"unknown unit '{unit}'") from exc
    dst = ureg.parse_units(_normalise(canonical))
    if src.dimensionality != dst.dimensionality:
        raise UnitError(f"unit '{unit}' is not a {canonical}-like unit (wrong dimension)")
    return float((1 * src).to(dst).magnitude)


def convert(value: float, unit: str, canonical: str) -> float:
    return value * factor(unit, canonical)
