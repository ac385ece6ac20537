"""What the views need to know about each column, as one small JSON file the build writes.

`results/dataset/_fields.json` is generated from the registry (`schemas/fields.yaml`) by
`accel build`: labels, units, dtypes, which columns are peaks, derived (with their inputs) or
export-control metrics, the identity columns of the wide table, the presets and the precision
table. Views read it instead of the YAML, so `accel compare` starts without PyYAML and the
registry stays the one place these facts are written. A test checks the committed file equals
what the registry gives now.
"""

from __future__ import annotations

import json

NAME = "_fields.json"


def field_info(reg=None) -> dict:
    from harness.dataset.registry import registry

    reg = reg or registry()
    acc = reg.tables["accelerators"]
    fields = {}
    for name in acc.columns:
        col = reg.column(name)
        fields[name] = {"label": col.label or name, "unit": col.unit, "dtype": col.dtype, "peak": col.peak,
                        "derived": col.derived, "inputs": list(col.inputs), "export": col.export,
                        "value_field": col.is_value_field}
    identity = [c for c in acc.columns if c not in acc.key and not fields[c]["value_field"]
                and not fields[c]["derived"] and not c.endswith(("__state", "__tier"))]
    return {
        "generated_by": "accel build (from schemas/fields.yaml); do not edit",
        "fields": fields,
        "identity": identity,
        "peaks": list(reg.peak_fields),
        "presets": {k: list(v) for k, v in reg.presets.items()},
        "precisions": {k: {"torch": p.torch, "bits": p.bits, "peaks": list(p.peaks)}
                       for k, p in reg.precisions.items()},
        "enums": {k: list(v) for k, v in reg.enums.items()},
        "dtype_spellings": dict(sorted(reg.dtype_spellings.items())),
    }


def load() -> dict:
    """The digest of the built dataset (`_fields.json`), or computed from the registry when the
    dataset is not built (slower: it reads the YAML)."""
    from harness import paths

    try:
        return json.loads((paths.DATASET / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return field_info()


def torch_dtype(name: str, info: dict | None = None) -> str | None:
    """The torch dtype name for a precision or a spelling (`bf16`, `half`, `torch.float16`,
    `bfloat16`); None when it names none. Spellings come from the registry."""
    info = info or load()
    key = str(name).strip().lower()
    for prefix in ("torch.", "paddle.", "phi::datatype::", "datatype."):
        if key.startswith(prefix):
            key = key[len(prefix):]
    if key in info["precisions"]:
        return info["precisions"][key]["torch"]
    return info["dtype_spellings"].get(key, key)


def precision_of(dtype: str, info: dict | None = None) -> str | None:
    """The precision's short name (fp16) for a torch dtype or spelling; None when none matches
    (float32 is fp32, never tf32: TF32 is a math mode, not a dtype)."""
    info = info or load()
    torch_name = torch_dtype(dtype, info)
    for short, p in info["precisions"].items():
        if p["torch"] == torch_name and short != "tf32":
            return short
    return None


def dumps(info: dict) -> str:
    return json.dumps(info, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def normalise_dtype(name, info: dict | None = None) -> str | None:
    """The torch dtype name for any spelling, or None when it is not a dtype the registry knows."""
    if name is None:
        return None
    info = info or load()
    d = torch_dtype(name, info)
    return d if d in info["enums"]["dtype"] else None
