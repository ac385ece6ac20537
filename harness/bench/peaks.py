"""From the detected device to its datasheet peaks in the accelerators table.

The backend's device name ("NVIDIA H200", "NVIDIA H100 80GB HBM3") is matched by
`harness.resolve` (`Resolver.device_candidates`), the one resolver every command uses: exact
names, ids and aliases first, with and without the vendor's name, then its prefix and substring
rounds. A match must be unique: when a name is torn between several accelerators the peak stays
unknown and the note lists the ids to pick from with ``--as``; ``--as`` itself takes anything
`accel show` takes ("h200", "nvidia/h200-sxm").

The table may not be built yet (``accel build``): then every peak is unknown, never an error.
"""

from __future__ import annotations


def peak_fields(precision: str) -> tuple[str, ...]:
    """The peak fields that state ``precision`` (matrix first), from the registry's precision table."""
    from harness.bench.suites import precisions

    return tuple((precisions().get(precision) or {}).get("peaks") or ())

BANDWIDTH_FIELD = "memory_bandwidth_tbps"
NOT_BUILT = "the accelerators table is not built (accel build)"


def load_accelerators():
    """The built accelerators table, or None when it is not there (peaks are then unknown)."""
    from harness.errors import UserError

    try:
        from harness import load

        return load("accelerators")
    except (ImportError, UserError, FileNotFoundError, OSError):
        return None


def match(device_name: str, accelerators) -> tuple[str | None, str | None]:
    """(accelerator_id or None, a note saying why not when None)."""
    from harness.resolve import Resolver

    if accelerators is None:
        return None, NOT_BUILT
    found = Resolver(accelerators).device_candidates(device_name)
    if len(found) == 1:
        return found[0], None
    if found:
        return None, f"'{device_name}' matches {', '.join(found)}: pick one with --as"
    return None, f"no accelerator named '{device_name}' in the dataset (use --as ID)"


def resolve_as(query: str, accelerators) -> str:
    """The id ``--as`` names, through `harness.resolve` (a `UserError` when none or several match)."""
    from harness.errors import UserError
    from harness.resolve import Resolver

    try:
        return Resolver(accelerators).resolve(query)
    except UserError as exc:
        raise UserError(f"--as: {exc}") from None


def peak(accelerators, accelerator_id: str | None, precision: str | None = None) -> float | None:
    """The datasheet peak of a precision (TFLOPS), or memory bandwidth (TB/s) when precision is None."""
    if accelerators is None or accelerator_id is None:
        return None
    rows = accelerators[accelerators["accelerator_id"] == accelerator_id]
    if rows.empty:
        return None
    fields = peak_fields(precision) if precision else (BANDWIDTH_FIELD,)
    for f in fields:
        if f in rows.columns:
            value = rows.iloc[0][f]
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue
            if value == value:  # not NaN / NA
                return value
    return None
