"""Display metadata for table rows: labels, units, presets, and what each derived metric is made of.

This module must stay free of the registry (which reads YAML), so that `accel compare` starts as
fast as `import pandas`. Units are therefore read from the column name, whose suffix carries the
canonical unit by the registry's naming rule (`_tflops`, `_gbps`, `_w`, ...);
tests/views/test_fields.py checks this against `schemas/fields.yaml`, so the two cannot drift.
"""

from __future__ import annotations

from harness.errors import UserError

# column-name suffix -> canonical unit (longest suffix first)
SUFFIX_UNITS = (
    ("_tflops_per_dollar_hour", "TFLOPS per $/h"),
    ("_usd_per_hour", "$/h"),
    ("_flop_per_byte", "FLOP/B"),
    ("_tflops_per_w", "TFLOPS/W"),
    ("_per_bf16_tflop", "GB/TFLOPS"),
    ("_tflops", "TFLOPS"),
    ("_tops", "TOPS"),
    ("_tbps", "TB/s"),
    ("_gbps", "GB/s"),
    ("_gb", "GB"),
    ("_mm2", "mm²"),
    ("_w", "W"),
    ("_billion", "billion"),
)

LABELS = {
    "fp64_tflops": "FP64", "fp64_tensor_tflops": "FP64 tensor", "fp32_tflops": "FP32",
    "tf32_tflops": "TF32 tensor", "bf16_tflops": "BF16", "fp16_tflops": "FP16", "fp8_tflops": "FP8",
    "fp6_tflops": "FP6", "fp4_tflops": "FP4", "int8_tops": "INT8",
    "memory_capacity_gb": "Memory", "memory_type": "Memory type", "memory_bandwidth_tbps": "Memory bandwidth",
    "scaleup_bandwidth_gbps": "Scale-up bandwidth (bidir.)", "interconnect": "Interconnect",
    "host_interface": "Host interface", "tdp_w": "TDP", "process_node": "Process", "die_area_mm2": "Die area",
    "die_count": "Dies", "transistors_billion": "Transistors",
    "scaleup_bandwidth_per_direction_gbps": "Scale-up bandwidth per direction",
    "machine_balance_flop_per_byte": "Machine balance (BF16)", "bf16_tflops_per_w": "BF16 per watt",
    "memory_gb_per_bf16_tflop": "Memory per BF16 TFLOPS", "tpp": "TPP", "tpp_complete": "TPP complete",
    "performance_density": "Performance density", "eccn_3a090_2023": "3A090 (Oct 2023 rule)",
    "eccn_3a090_2022": "3A090 (Oct 2022 rule)", "name": "Name", "vendor": "Vendor", "family": "Family",
    "architecture": "Architecture", "status": "Status", "market": "Market", "form_factor": "Form factor",
    "announced_date": "Announced", "released_date": "Released", "is_datacenter": "Data-centre part",
    "stacks": "Software stacks", "tier_summary": "Known values per tier",
    "cloud_price_min_usd_per_hour": "Cloud price, lowest (per accelerator-hour)",
    "bf16_tflops_per_dollar_hour": "BF16 per $/h",
}

# identity columns of `accelerators` (no source or tier of their own)
IDENTITY = ("name", "vendor", "family", "architecture", "status", "market", "form_factor", "announced_date",
            "released_date", "aliases", "is_datacenter", "stacks", "tier_summary")

PEAKS = ("fp64_tflops", "fp64_tensor_tflops", "fp32_tflops", "tf32_tflops", "bf16_tflops", "fp16_tflops",
         "fp8_tflops", "fp6_tflops", "fp4_tflops", "int8_tops")

# the `prices` row behind an accelerator's lowest cloud price (its tier and source), as an input
PRICE = "@price"

# derived metric -> the value fields it is computed from (harness/metrics.py); its tier is the
# weakest of its inputs' tiers and it is marked derived-from-sparse when an input is.
DERIVED = {
    "scaleup_bandwidth_per_direction_gbps": ("scaleup_bandwidth_gbps",),
    "machine_balance_flop_per_byte": ("bf16_tflops", "memory_bandwidth_tbps"),
    "bf16_tflops_per_w": ("bf16_tflops", "tdp_w"),
    "memory_gb_per_bf16_tflop": ("memory_capacity_gb", "bf16_tflops"),
    "tpp": PEAKS,
    "tpp_complete": PEAKS,
    "performance_density": (*PEAKS, "die_area_mm2"),
    "eccn_3a090_2023": (*PEAKS, "die_area_mm2"),
    "eccn_3a090_2022": (*PEAKS, "scaleup_bandwidth_gbps"),
    "cloud_price_min_usd_per_hour": (PRICE,),
    "bf16_tflops_per_dollar_hour": ("bf16_tflops", PRICE),
}

EXPORT_FIELDS = ("tpp", "tpp_complete", "performance_density", "eccn_3a090_2023", "eccn_3a090_2022")

PRESETS = {
    "overview": ("bf16_tflops", "fp8_tflops", "fp4_tflops", "int8_tops", "memory_capacity_gb", "memory_type",
                 "memory_bandwidth_tbps", "scaleup_bandwidth_gbps", "tdp_w", "process_node",
                 "machine_balance_flop_per_byte", "bf16_tflops_per_w"),
    "memory": ("memory_capacity_gb", "memory_type", "memory_bandwidth_tbps", "scaleup_bandwidth_gbps",
               "scaleup_bandwidth_per_direction_gbps", "interconnect", "host_interface",
               "machine_balance_flop_per_byte", "memory_gb_per_bf16_tflop"),
    "precision": PEAKS,
    "export": ("is_datacenter", "die_area_mm2", "die_count", "scaleup_bandwidth_gbps", *EXPORT_FIELDS),
    "cost": ("bf16_tflops", "fp8_tflops", "memory_capacity_gb", "memory_bandwidth_tbps", "tdp_w",
             "cloud_price_min_usd_per_hour", "bf16_tflops_per_dollar_hour"),
}


def unit(field: str) -> str | None:
    for suffix, u in SUFFIX_UNITS:
        if field.endswith(suffix):
            return u
    return None


def label(field: str, *, with_unit: bool = True) -> str:
    text = LABELS.get(field, field)
    u = unit(field) if with_unit else None
    if field in PEAKS:
        text += " dense"
    return f"{text} ({u})" if u else text


def select(columns, *, fields: str | None = None, preset: str | None = None) -> list[str]:
    """The rows to show: ``fields`` (comma-separated column names) or a preset (default overview)."""
    from harness.problems import did_you_mean

    if fields and preset:
        raise UserError("give --fields or --preset, not both")
    if not fields:
        name = preset or "overview"
        if name not in PRESETS:
            raise UserError(f"unknown preset '{name}'{did_you_mean(name, PRESETS)}; "
                            f"known: {', '.join(PRESETS)}")
        return [f for f in PRESETS[name] if f in columns]
    known = [c for c in columns if c not in ("accelerator_id", "aliases")]
    out = []
    for f in (x.strip() for x in fields.split(",")):
        if not f:
            continue
        if f not in known:
            starts = [k for k in known if k.startswith(f)]
            if len(starts) == 1:  # "bf16" -> bf16_tflops
                f = starts[0]
            else:
                hint = f" (did you mean one of {', '.join(starts)}?)" if starts else did_you_mean(f, known)
                raise UserError(f"unknown field '{f}'{hint}; known: {', '.join(known)}")
        if f not in out:
            out.append(f)
    if not out:
        raise UserError("--fields names no field")
    return out
