"""YAML loading that remembers line numbers, so spec problems are reported as ``file:line``."""

from __future__ import annotations

from pathlib import Path

import yaml

from harness.evidence.errors import InputError


class LineDict(dict):
    """A mapping from YAML that knows the line it started on (1-based)."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    out = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise InputError(loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: Path):
    """Parse ``path``; a syntax error becomes an `InputError` with its line."""
    text = Path(path).read_text(encoding="utf-8")
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(path, mark.line + 1 if mark else None, f"invalid YAML: {exc.problem}") from None
    finally:
        loader.dispose()


def check_keys(obj: dict, allowed: set[str], required: set[str], path: Path, what: str) -> None:
    """Unknown keys (typos) and missing required keys are errors, never silently ignored."""
    line = getattr(obj, "line", None)
    if not isinstance(obj, dict):
        raise InputError(path, line, f"{what} must be a mapping, got {type(obj).__name__}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        from harness.problems import did_you_mean

        hints = [f"{k!r}{did_you_mean(k, sorted(allowed))}" for k in unknown]
        raise InputError(path, line, f"{what}: unknown key {', '.join(hints)}")
    missing = sorted(required - set(obj))
    if missing:
        raise InputError(path, line, f"{what}: missing key {', '.join(map(repr, missing))}")
