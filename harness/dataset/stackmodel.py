"""The stack-file model: `specs/stacks/<id>.yaml`, a software stack and its capability evidence.

Capability items and their meaning come from the registry (`capabilities:` in
schemas/fields.yaml). Each item carries a status and, unless the status is `unknown`, a source:
a claim about an ecosystem without evidence is not data. Problems use the same format and rule
ids as the accelerator specs.
"""

from __future__ import annotations

from harness.dataset.registry import registry
from harness.dataset.specmodel import _Checker, check_sources
from harness.problems import Problem, did_you_mean
from harness.yamlload import Loaded

STACK_KEYS: dict[str, tuple[str, bool, str]] = {
    "id": ("string", True, "stack id, equal to the file name"),
    "name": ("string", True, "display name"),
    "vendor": ("string", True, "vendor slug"),
    "description": ("string", False, "one line"),
    "accelerators": ("list", False, "accelerator ids that run this stack"),
    "sources": ("mapping", True, "documents cited, by local key"),
    "capabilities": ("mapping", True, "capability item -> evidence"),
    "notes": ("string", False, "remarks"),
}
CAPABILITY_KEYS: dict[str, tuple[str, bool, str]] = {
    "status": ("enum:capability_status", True, "how the stack supports it"),
    "detail": ("string", False, "what exactly exists"),
    "source": ("string", False, "key into `sources` (required unless status is unknown)"),
    "locator": ("string", False, "where in the source"),
    "note": ("string", False, "remark"),
}


def parse_stack(loaded: Loaded, expected_id: str) -> tuple[dict, list[Problem]]:
    ck = _Checker(loaded)
    if not isinstance(loaded.data, dict):
        ck.add((), "a stack file must be a YAML mapping", "yaml-not-mapping", field_="")
        return {}, ck.problems
    stack = ck.mapping(loaded.data, (), STACK_KEYS, "stack")
    ck.text(loaded.data)
    if stack.get("id") not in (None, expected_id):
        ck.add(("id",), f"id '{stack['id']}' does not match the file name (expected '{expected_id}')",
               "id-path-mismatch")
    sources = check_sources(ck, stack.get("sources", {}))
    items = registry().capabilities
    caps = {}
    for item, raw in stack.get("capabilities", {}).items():
        keys = ("capabilities", item)
        if item not in items:
            ck.add(keys, f"unknown capability '{item}'{did_you_mean(item, items)}", "unknown-key", field_=item)
            continue
        cap = ck.mapping(raw, keys, CAPABILITY_KEYS, f"capability '{item}'")
        status = cap.get("status")
        src = cap.get("source")
        if src is None and status not in (None, "unknown"):
            ck.add(keys, f"status '{status}' needs a source", "missing-source", field_=item)
        elif src is not None and src not in stack.get("sources", {}):
            ck.add(keys + ("source",), f"source '{src}' is not defined under sources{did_you_mean(src, sources)}",
                   "dangling-source", field_=item)
        caps[item] = cap
    stack["capabilities"] = caps
    stack["sources"] = sources
    stack["_path"] = loaded.path
    stack["_loaded"] = loaded
    return stack, _relabel(ck.problems)


def _relabel(problems: list[Problem]) -> list[Problem]:
    return [Problem(p.path, p.line, p.field, p.message, "source-incomplete", p.severity)
            if p.rule == "missing-field" and p.field.startswith("sources.") and
            ("'url'" in p.message or "'accessed'" in p.message) else p for p in problems]
