"""Software stacks and their capability evidence as tables, so readiness views read no YAML.

Inputs: ``specs/stacks/<id>.yaml`` (parsed by the same model `accel validate` checks them with)
and ``specs/oplists/mappings/flaggems-backends.yaml`` (which FlagGems backend serves which stack).
Outputs: ``stacks`` (one row per stack), ``stack_capabilities`` (one row per stack x capability
item, with its source's title, URL, tier and locator) and ``flaggems_backends`` (backend -> stack,
the black list it publishes and when it was tested). Files in ``specs/stacks/`` that are not stack
specs (an ``id:`` equal to the file name) are someone else's input and are skipped; a stack file
with problems is an error here as in `accel validate`.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness.errors import InputError
from harness.readiness.registry import Context, importer

STACKS = Path("stacks")
BACKENDS = Path("oplists") / "mappings" / "flaggems-backends.yaml"


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.specs / STACKS]


def stack_rows(folder: Path) -> tuple[list[dict], list[dict]]:
    """``(stacks rows, stack_capabilities rows)`` from every stack spec under ``folder``."""
    from harness.dataset.stackmodel import parse_stack
    from harness.yamlload import LoadError, load_file

    stacks, caps = [], []
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = load_file(path)
        except LoadError as exc:
            raise InputError(path, getattr(exc, "line", None), str(exc)) from None
        if not isinstance(loaded.data, dict) or loaded.data.get("id") != path.stem:
            continue  # not a stack spec (e.g. ppu-sdk-cuda-api.yaml, read by the ppu importer)
        stack, problems = parse_stack(loaded, path.stem)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InputError(path, errors[0].line, f"{errors[0].message} (run `accel validate`)")
        sources = stack.get("sources") or {}
        stacks.append({"stack_id": path.stem, "stack_name": stack.get("name"), "vendor": stack.get("vendor"),
                       "stack_description": stack.get("description"),
                       "accelerator_ids": " | ".join(stack.get("accelerators") or []) or None,
                       "n_capabilities": len(stack["capabilities"]),
                       "source_path": f"specs/stacks/{path.name}"})
        for item, cap in stack["capabilities"].items():
            src = sources.get(cap.get("source")) or {}
            caps.append({"stack_id": path.stem, "capability": item, "capability_status": cap.get("status"),
                         "capability_detail": cap.get("detail"), "source_title": src.get("title"),
                         "source_url": src.get("url"), "tier": src.get("tier"), "locator": cap.get("locator"),
                         "note": cap.get("note")})
    return stacks, caps


def backend_rows(path: Path) -> list[dict]:
    """``flaggems_backends`` rows from the reviewed backend file ([] when it is absent)."""
    if not path.exists():
        return []
    from harness.readiness.importers.flaggems import load_backends

    doc = load_backends(path)
    return [{"flaggems_backend": name, "stack_id": b.get("stack"), "black_list_path": b.get("black_list"),
             "black_list_tested": b.get("tested"), "n_excluded": len(b.get("excluded") or {})}
            for name, b in doc["backends"].items()]


@importer("stacks", produces=["stacks", "stack_capabilities", "flaggems_backends"], inputs=_inputs)
def run(ctx: Context):
    """Stack specs (specs/stacks/) and FlagGems backends as tables, for views that read no YAML."""
    from harness.readiness.frames import frame

    stacks, caps = stack_rows(ctx.specs / STACKS)
    return {"stacks": frame("stacks", stacks), "stack_capabilities": frame("stack_capabilities", caps),
            "flaggems_backends": frame("flaggems_backends", backend_rows(ctx.specs / BACKENDS))}
