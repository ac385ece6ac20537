"""YAML loading that remembers line numbers, so spec problems are reported as ``file:line``."""

from __future__ import annotations

from pathlib import Path

from harness.readiness.errors import InputError


class LineDict(dict):
    """A mapping from YAML that knows the line it started on (1-based)."""

    line: int = 0


def _with_lines(obj, lines: dict, keypath: tuple = ()):
    """Plain data from `harness.yamlload` -> the same data with every mapping a `LineDict` that
    knows the line it starts on (its first key's line; an empty one: its own key's line)."""
    if isinstance(obj, dict):
        out = LineDict((k, _with_lines(v, lines, keypath + (k,))) for k, v in obj.items())
        first = next(iter(obj), None)
        out.line = lines.get(keypath + (first,)) if first is not None else lines.get(keypath, 1)
        return out
    if isinstance(obj, list):
        return [_with_lines(v, lines, keypath + (i,)) for i, v in enumerate(obj)]
    return obj


def load(path: Path):
    """Parse ``path`` with the project's one hand-edited-YAML loader (`harness.yamlload`: no
    aliases, no duplicate keys, plain decimal numbers, regular files of bounded size); any problem
    becomes an `InputError` with its line."""
    from harness.yamlload import LoadError, load_file

    try:
        loaded = load_file(path)
    except LoadError as exc:
        raise InputError(path, exc.line, exc.message) from None
    return _with_lines(loaded.data, loaded.lines)


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


ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-./")


def mapped_accelerators(doc: dict, path: Path) -> dict[str, tuple[str, str | None]]:
    """The ``mapped:`` section of a reviewed name map (MLPerf, FlagPerf): ``{name as published:
    (accelerator id, note)}``; an entry without a well-formed ``<vendor>/<sku>`` id is an error."""
    mapped = {}
    for name, entry in (doc.get("mapped") or {}).items():
        check_keys(entry, {"accelerator_id", "note"}, {"accelerator_id"}, path, f"mapped[{name!r}]")
        aid = entry["accelerator_id"]
        if not isinstance(aid, str) or aid.count("/") != 1 or not set(aid) <= ID_CHARS:
            raise InputError(path, entry.line, f"{aid!r} is not an accelerator id '<vendor>/<sku>'")
        mapped[str(name)] = (aid, entry.get("note"))
    return mapped
