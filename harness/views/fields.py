"""Display metadata for table rows (labels, units, presets, what each derived metric is made of),
read from the `_fields.json` the build writes from the registry (`harness.dataset.fieldinfo`).

Nothing here is typed by hand: the registry (`schemas/fields.yaml`) is the one description of
fields, and reading its JSON digest keeps `accel compare` free of PyYAML at start-up. Without a
built dataset the same digest is computed from the registry (slower, same content).
"""

from __future__ import annotations

import json

from harness.errors import UserError

# typography only: how a registry unit is shown
DISPLAY_UNITS = {"mm^2": "mm²", "USD/h": "$/h", "TFLOPS/(USD/h)": "TFLOPS per $/h", "dimensionless": None,
                 "billion": "billion"}


def _info() -> dict:
    from harness import paths
    from harness.dataset.fieldinfo import NAME, field_info

    try:
        return json.loads((paths.DATASET / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return field_info()


_INFO = _info()
FIELDS: dict[str, dict] = _INFO["fields"]
LABELS = {k: v["label"] for k, v in FIELDS.items() if v["label"] != k}
IDENTITY = tuple(_INFO["identity"])
PEAKS = tuple(_INFO["peaks"])
# one peak field per precision, the matrix one first (fp64 tensor, not fp64 vector): the registry's table
PRECISION_PEAKS = tuple(p["peaks"][0] for p in _INFO["precisions"].values())
# the `prices` row behind an accelerator's lowest cloud price (its tier and source), as an input
PRICE = "@price"
# derived metric -> the value fields it is computed from; its tier is the weakest of its inputs'
DERIVED = {k: tuple(v["inputs"]) for k, v in FIELDS.items() if v["derived"] and v["inputs"]}
EXPORT_FIELDS = tuple(k for k, v in FIELDS.items() if v["export"])
PRESETS = {k: tuple(v) for k, v in _INFO["presets"].items()}


def unit(field: str) -> str | None:
    u = (FIELDS.get(field) or {}).get("unit")
    return DISPLAY_UNITS.get(u, u) if u else None


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
