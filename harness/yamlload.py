"""Load a YAML file into plain Python data plus the line of every key, safely.

Spec files are small and hand-edited, so the loader is strict where PyYAML is lenient:
- anchors and aliases are refused (they make "billion laughs" bombs and hide what a file says);
- a key repeated in one mapping is an error (PyYAML silently keeps the last);
- only regular files are read, never through a symbolic link, opened without blocking and read
  with a size limit (a named pipe would hang the reader, a character device never ends);
- empty, binary and oversized files are refused before parsing;
- explicit tags other than YAML's core ones (`!!python/object:...`, `!local`) are refused, not
  dropped;
- numbers must be written in plain decimal: YAML 1.1 reads `0140` as octal 96 and `1:36` as
  sexagesimal 96 while the file shows something else; integers beyond 2^53 and non-finite floats
  are refused (they overflow or poison every later computation).
Every problem is a `LoadError` carrying the file, line and a rule id, never a traceback.
Lines are 1-based. `lines[("values", "bf16_tflops")]` is the line of that key.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import stat
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
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_NUMBER_TAGS = (_CORE + "int", _CORE + "float")
_DECIMAL = re.compile(r"^[-+]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][-+]?\d+)?$", re.ASCII)
_MAX_INT = 2**53


def _check_tag(node, path: str):
    if node.tag not in _ALLOWED_TAGS:
        tag = node.tag.replace(_CORE, "!!")
        raise LoadError(path, node.start_mark.line + 1, f"YAML tag '{tag}' is not allowed (plain data only)",
                        "yaml-tag")


def _scalar(loader, node, path: str = "<string>"):
    if node.tag == _STR_TAG:  # the common case, without the constructor's overhead
        return node.value
    _check_tag(node, path)
    line = node.start_mark.line + 1
    if node.tag in _NUMBER_TAGS and not _DECIMAL.match(node.value.strip()) and \
            node.value.strip().lower() not in (".inf", "-.inf", "+.inf", ".nan"):
        raise LoadError(path, line, f"number '{node.value}' is not plain decimal (YAML 1.1 reads it as octal, "
                        "hex, sexagesimal or with separators); write it in decimal, or quote it if it is text",
                        "yaml-number")
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date
        raise LoadError(path, line, f"bad YAML value: {exc}", "yaml-syntax") from None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INT:
        raise LoadError(path, line, f"number {node.value[:40]} is too large (more than 2^53)", "yaml-number")
    if isinstance(value, float) and not math.isfinite(value):
        raise LoadError(path, line, f"number '{node.value}' is not finite", "yaml-number")
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
    if not isinstance(node, yaml.ScalarNode):
        _check_tag(node, path)
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


MAX_DEPTH = 64
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _check_depth(text: str, path: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` before anything recursive sees it: libyaml's composer
    overflows the C stack (a segfault) on ~50,000 nested `[`, and `_walk` recurses per level.
    The event parser keeps its own stack, so counting its events is safe at any depth."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise LoadError(path, event.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels",
                                "yaml-too-deep")
        elif isinstance(event, _CLOSE):
            depth -= 1


def parse_text(text: str, path: str = "<string>") -> Loaded:
    """Parse YAML text; raise `LoadError` on anything malformed or unsafe."""
    if not text.strip():
        raise LoadError(path, 1, "file is empty", "yaml-empty")
    try:
        _check_depth(text, path)
    except yaml.YAMLError:
        pass  # a syntax error: the composer below reports it with its line
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


def read_regular(path: str | Path, limit: int | None, shown: str | None = None) -> bytes:
    """The bytes of a regular file, read without following a final symbolic link and without
    blocking; more than ``limit`` bytes is an error (`LoadError`, rule file-unreadable,
    file-not-regular or yaml-too-large)."""
    shown = shown or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        if os.path.islink(path):
            raise LoadError(shown, 1, "is a symbolic link; spec files must be regular files", "file-not-regular")
        fd = os.open(path, flags)
    except OSError as exc:
        raise LoadError(shown, 1, f"cannot read file: {exc.strerror or exc}", "file-unreadable") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else \
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
            raise LoadError(shown, 1, f"is {kind}; only regular files are read", "file-not-regular")
        chunks, got = [], 0
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if limit is not None and got > limit:
                raise LoadError(shown, 1, f"file is larger than {limit:,} bytes, the limit for spec files",
                                "yaml-too-large")
        return b"".join(chunks)
    except OSError as exc:
        raise LoadError(shown, 1, f"cannot read file: {exc.strerror or exc}", "file-unreadable") from None
    finally:
        os.close(fd)


def load_file(path: str | Path, display: str | None = None) -> Loaded:
    """Read and parse one file, refusing links, special, empty, binary and oversized files."""
    shown = display or str(path)
    return load_bytes(read_spec_bytes(path, shown), shown)


def read_spec_bytes(path: str | Path, shown: str) -> bytes:
    """The bytes of one spec file, with the checks `load_file` makes before parsing (a regular
    file, no link, at most `MAX_BYTES`)."""
    return read_regular(path, MAX_BYTES, shown)


def load_bytes(raw: bytes, shown: str) -> Loaded:
    """Parse the bytes of one spec file (read by `read_regular`), refusing binary and non-UTF-8 text."""
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
        text = read_regular(path, None).decode("utf-8")
        return yaml.load(text, Loader=_Loader)
    except LoadError as exc:
        raise UserError(f"{path}: {exc.message}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise UserError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
