"""The field registry (`schemas/fields.yaml`) as Python objects.

Everything that needs a field's unit, bounds, dtype or description reads it from here, so the
spec-file model, the pandera schemas, the JSON Schema and the data dictionary cannot drift apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from harness import paths
from harness.errors import UserError

REGISTRY_PATH = paths.SCHEMAS / "fields.yaml"
VALUE_FIELDS_MARKER = "@value_fields"
VALUE_STATES_MARKER = "@value_states"  # each value field's `<field>__state` and `<field>__tier` columns


def state_columns(value_fields: dict) -> dict[str, Field]:
    """The per-field state and tier columns of the wide table, generated from the value fields,
    so that a null in the wide table never hides "not disclosed" or "not supported"."""
    out = {}
    for name in value_fields:
        out[f"{name}__state"] = Field(f"{name}__state", "string", f"State of {name}: known, undisclosed (a source says "
                                      "it is not published), unsupported (the part lacks it) or unknown.",
                                      isin=("known", "undisclosed", "unsupported", "unknown"))
        out[f"{name}__tier"] = Field(f"{name}__tier", "string", f"Tier of the source behind {name} (official, "
                                     "reported, estimated); null when unknown.", nullable=True,
                                     isin=("official", "reported", "estimated"))
    return out


@dataclass(frozen=True)
class Field:
    """One column of a built table (a spec value field or another column)."""

    name: str
    dtype: str
    description: str
    unit: str | None = None
    nullable: bool = False
    peak: bool = False
    sparsable: bool = False
    bits: int | None = None
    min: float | None = None
    max: float | None = None
    direction: bool = False
    derived: bool = False
    isin: tuple[str, ...] | None = None
    is_value_field: bool = False
    label: str | None = None
    inputs: tuple[str, ...] = ()
    export: bool = False


SUBSETS = ("dataset", "readiness", "runs")


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    subset: str = "dataset"


@dataclass(frozen=True)
class Precision:
    name: str  # fp64, bf16, ... as bench results and peak fields spell it
    torch: str | None  # the torch dtype it runs as (None: torch has none)
    bits: int
    peaks: tuple[str, ...]  # the peak fields that state it, matrix first


@dataclass(frozen=True)
class Registry:
    value_fields: dict[str, Field]
    columns: dict[str, Field]
    tables: dict[str, Table]
    capabilities: dict[str, str] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    precisions: dict[str, Precision] = field(default_factory=dict)
    dtype_spellings: dict[str, str] = field(default_factory=dict)
    presets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def peak_fields(self) -> dict[str, Field]:
        return {k: f for k, f in self.value_fields.items() if f.peak}

    def column(self, name: str) -> Field:
        if name in self.value_fields:
            return self.value_fields[name]
        return self.columns[name]


FIELD_KEYS = {"dtype", "description", "unit", "nullable", "peak", "bits", "min", "max", "direction", "derived", "isin",
              "sparsable", "label", "inputs", "export"}
DTYPES = {"string", "float", "integer", "boolean", "datetime"}


def _field(name: str, spec: dict, *, is_value_field: bool, enums: dict | None = None,
           peaks: tuple[str, ...] = ()) -> Field:
    if not isinstance(spec, dict):
        raise ValueError(f"{REGISTRY_PATH}: field '{name}' must be a mapping")
    unknown = set(spec) - FIELD_KEYS
    if unknown:  # a typo such as `requred:` must not pass silently
        raise ValueError(f"{REGISTRY_PATH}: field '{name}' has unknown keys {sorted(unknown)}")
    if spec.get("dtype") not in DTYPES:
        raise ValueError(f"{REGISTRY_PATH}: field '{name}' has dtype {spec.get('dtype')!r}; "
                         f"use one of {sorted(DTYPES)}")
    isin = spec.get("isin")
    if isinstance(isin, str):  # the name of an enum
        if isin not in (enums or {}):
            raise ValueError(f"{REGISTRY_PATH}: field '{name}' names an unknown enum '{isin}'")
        isin = enums[isin]
    inputs = []
    for i in spec.get("inputs") or ():
        inputs.extend(peaks if i == "@peaks" else [i])
    return Field(
        name=name,
        dtype=spec["dtype"],
        description=" ".join(str(spec.get("description", "")).split()),
        unit=spec.get("unit"),
        # a value field is optional in every spec, so its column is nullable
        nullable=bool(spec.get("nullable", is_value_field)),
        peak=bool(spec.get("peak", False)),
        sparsable=bool(spec.get("sparsable", False)),
        bits=spec.get("bits"),
        min=spec.get("min"),
        max=spec.get("max"),
        direction=bool(spec.get("direction", False)),
        derived=bool(spec.get("derived", False)),
        isin=tuple(isin) if isin else None,
        is_value_field=is_value_field,
        label=spec.get("label"),
        inputs=tuple(inputs),
        export=bool(spec.get("export", False)),
    )


def parse_registry(raw: dict) -> Registry:
    enums = {k: tuple(v) for k, v in (raw.get("enums") or {}).items()}
    value_fields = {k: _field(k, v, is_value_field=True, enums=enums) for k, v in raw["value_fields"].items()}
    peaks = tuple(k for k, f in value_fields.items() if f.peak)
    columns = {k: _field(k, v, is_value_field=False, enums=enums, peaks=peaks) for k, v in raw["columns"].items()}
    states = state_columns(value_fields)
    columns.update(states)
    tables = {}
    for name, spec in raw["tables"].items():
        cols: list[str] = []
        for c in spec["columns"]:
            cols.extend(value_fields if c == VALUE_FIELDS_MARKER else states if c == VALUE_STATES_MARKER else [c])
        unknown = [c for c in cols if c not in value_fields and c not in columns]
        if unknown:
            raise ValueError(f"{REGISTRY_PATH}: table {name} names unregistered columns {unknown}")
        if spec.get("subset") not in SUBSETS:
            raise ValueError(f"{REGISTRY_PATH}: table {name} needs subset: one of {', '.join(SUBSETS)}")
        tables[name] = Table(name, tuple(spec.get("key", ())), tuple(cols), spec["subset"])
    precisions = {}
    for name, spec in (raw.get("precisions") or {}).items():
        unknown = [p for p in spec.get("peaks", ()) if p not in value_fields]
        if unknown:
            raise ValueError(f"{REGISTRY_PATH}: precision {name} names unknown peak fields {unknown}")
        peak_bits = {value_fields[p].bits for p in spec.get("peaks", ())}
        if len(peak_bits) != 1:
            raise ValueError(f"{REGISTRY_PATH}: precision {name}'s peak fields disagree on operand bits")
        precisions[name] = Precision(name, spec.get("torch"), peak_bits.pop(), tuple(spec.get("peaks", ())))
    presets = {}
    for name, fields in (raw.get("presets") or {}).items():
        cols = [c for f in fields for c in (peaks if f == "@peaks" else [f])]
        unknown = [c for c in cols if c not in value_fields and c not in columns]
        if unknown:
            raise ValueError(f"{REGISTRY_PATH}: preset {name} names unregistered columns {unknown}")
        presets[name] = tuple(cols)
    return Registry(value_fields, columns, tables, dict(raw.get("capabilities") or {}), enums, precisions,
                    dict(raw.get("dtype_spellings") or {}), presets)


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    """The parsed registry; a malformed registry is one clear `UserError`, not a traceback."""
    from harness.yamlload import read_data

    raw = read_data(REGISTRY_PATH)
    try:
        return parse_registry(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(f"the field registry is broken: {exc}") from None
