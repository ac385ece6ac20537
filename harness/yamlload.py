"""Load a YAML file into plain Python data plus the line of every key, safely.

Spec files are small and hand-edited, so the loader is strict where PyYAML is lenient:
- anchors and aliases are refused (they make "billion laughs" bombs and hide what a file says);
- a key repeated in one mapping is an error (PyYAML silently keeps the last);
- empty, binary and oversized files are refused before parsing.
Every problem is a `LoadError` carrying the file, line and a rule id, never a traceback.
Lines are 1-based. `lines[("values", "bf16_tflops")]` is the line of that key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

MAX_BYTES = 1_000_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LoadError(Exception):
    def __init__(self, path: str, line: int, message: str, rule: str):
        super().__init__(message)
        self.path, self.line, self.message, self.rule = path, line, message, rule


@dataclass
class Loaded:
    path: str
    data: object
    lines: dict[tuple, int]

    def line(self, *keys) -> int:
        """Line of the deepest known key on ``keys`` (falls back to its parents, then 1)."""
        keys = tuple(keys)
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return 1


_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(loader, node, path: str = "<string>"):
    if node.tag == _STR_TAG:  # the common case, without the constructor's overhead
        return node.value
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date
        raise LoadError(path, node.start_mark.line + 1, f"bad YAML value: {exc}", "yaml-syntax") from None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _walk(loader, node, path: str, keypath: tuple, lines: dict, seen: set):
    if id(node) in seen:  # the same node reached twice: an alias
        # an alias node keeps its anchor's position, so report the nearest mapping key instead
        kp = keypath
        while kp and not isinstance(kp[-1], str):
            kp = kp[:-1]
        line = lines.get(kp, node.start_mark.line + 1)
        raise LoadError(path, line, "YAML anchors and aliases are not allowed", "yaml-alias")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise LoadError(path, knode.start_mark.line + 1, "mapping keys must be plain scalars", "yaml-syntax")
            if knode.tag == "tag:yaml.org,2002:merge":
                raise LoadError(path, knode.start_mark.line + 1, "YAML merge keys (<<) are not allowed", "yaml-alias")
            key = _scalar(loader, knode, path)
            if key in out:
                raise LoadError(path, knode.start_mark.line + 1, f"key '{key}' appears twice in one mapping",
                                "yaml-duplicate-key")
            lines[keypath + (key,)] = knode.start_mark.line + 1
            out[key] = _walk(loader, vnode, path, keypath + (key,), lines, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[keypath + (i,)] = item.start_mark.line + 1
            items.append(_walk(loader, item, path, keypath + (i,), lines, seen))
        return items
    return _scalar(loader, node, path)


def parse_text(text: str, path: str = "<string>") -> Loaded:
    """Parse YAML text; raise `LoadError` on anything malformed or unsafe."""
    if not text.strip():
        raise LoadError(path, 1, "file is empty", "yaml-empty")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LoadError(path, 1, "file holds no YAML document", "yaml-empty")
        lines: dict[tuple, int] = {}
        data = _walk(loader, node, path, (), lines, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        msg = f"YAML syntax: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            msg += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        raise LoadError(path, line, msg, "yaml-syntax") from None
    except yaml.YAMLError as exc:
        raise LoadError(path, 1, f"YAML syntax: {exc}", "yaml-syntax") from None
    finally:
        loader.dispose()
    return Loaded(path, data, lines)


def load_file(path: str | Path, display: str | None = None) -> Loaded:
    """Read and parse one file, refusing empty, binary and oversized files."""
    shown = display or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise LoadError(shown, 1, f"file is {size:,} bytes; spec files are limited to {MAX_BYTES:,}",
                            "yaml-too-large")
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(shown, 1, f"cannot read file: {exc.strerror}", "file-unreadable") from None
    if b"\x00" in raw:
        raise LoadError(shown, 1, "file is binary, not YAML text", "yaml-binary")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(shown, line, "file is not valid UTF-8 text", "yaml-binary") from None
    return parse_text(text, shown)


def read_data(path: str | Path):
    """Parse a data file the project reads but does not hand-check key by key (the registry,
    op-list snapshots, upstream lists, torch's native_functions.yaml, CITATION.cff): libyaml's
    safe loader, no size limit, no line map. A file that cannot be read or parsed raises one
    `UserError` naming it and, where PyYAML knows it, the line."""
    from harness.errors import UserError

    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise UserError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
