"""A per-file cache of parsed accelerator specs, so a build after one edited file parses one file.

`accel build` validates every spec file before it builds; parsing the YAML and checking each file
on its own is most of that work and gives the same answer for an unchanged file. This module keeps
each file's outcome (the parsed `Spec`, released as validation leaves it, and the file's own
`Problem` list) under a key that covers everything that outcome depends on:

- the file's bytes, its displayed path and its path below the spec root (the id must match it);
- today's date (future-date checks);
- the code and schemas that parse and check it: the whole `harness` package and `schemas/`, by
  content (the digests the build records as its inputs), and PyYAML's version.

The rules across files (unique ids, references, tiers) always run on every spec, cached or not.

Entries are JSON written atomically under ``<cache_dir>/specs/`` (`inputs.cache_dir`). They are
read as data only: a closed set of tagged shapes is turned back into the dataclasses it names, and
anything else (a damaged, truncated, hand-edited or foreign entry) is a miss, never an error: the
file is parsed again and the entry rewritten. Nothing read decides what code runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

from harness.dataset.specmodel import Figure, Spec, Value
from harness.problems import Problem
from harness.yamlload import Loaded

FORMAT = 1  # bump when the encoding or what an entry holds changes
MAX_ENTRY_BYTES = 8 << 20  # an entry larger than this is not read (a spec file is at most MAX_BYTES)
_TYPES = {"Figure": Figure, "Value": Value, "Spec": Spec, "Loaded": Loaded, "Problem": Problem}


class _Unencodable(Exception):
    pass


def code_digest() -> str:
    """What a spec's parse and per-file checks depend on besides the file: the whole `harness`
    package and the schemas (the digests the build's input record uses), PyYAML's version and
    this cache's format."""
    import yaml

    from harness.dataset import inputs

    return hashlib.sha256(f"{FORMAT}\0{inputs.code_digest()}\0{inputs.schemas_digest()}\0{yaml.__version__}"
                          .encode()).hexdigest()


def key(data: bytes, display: str, below_root: str | None) -> str:
    h = hashlib.sha256()
    for part in (code_digest(), dt.date.today().isoformat(), display, below_root or "", ""):
        h.update(part.encode() + b"\0")
    h.update(data)
    return h.hexdigest()


def _folder(cache_dir: Path) -> Path:
    return Path(cache_dir) / "specs"


def load(cache_dir: Path | None, k: str) -> tuple[Spec, list[Problem]] | None:
    """The cached outcome for key ``k``, or None (absent, unreadable or not a well-formed entry)."""
    if cache_dir is None:
        return None
    try:
        from harness.yamlload import read_regular

        raw = read_regular(_folder(cache_dir) / f"{k}.json", MAX_ENTRY_BYTES, k)  # no links, pipes, giants
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("key") != k or doc.get("format") != FORMAT:
            return None
        spec, problems = _decode(doc["spec"]), _decode(doc["problems"])
        if not isinstance(spec, Spec) or not isinstance(problems, list) or \
                not all(isinstance(p, Problem) for p in problems):
            return None
        return spec, problems
    except Exception:  # noqa: BLE001 - any damage is a miss: the file is parsed again
        return None


def save(cache_dir: Path | None, k: str, spec: Spec, problems: list[Problem]) -> None:
    """Store an outcome; silently nothing when it cannot be encoded or written (a cache)."""
    if cache_dir is None:
        return
    try:
        text = json.dumps({"format": FORMAT, "key": k, "spec": _encode(spec), "problems": _encode(problems)})
        from harness.atomic import atomic_file

        folder = _folder(cache_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_file(folder / f"{k}.json", "w") as fh:
            fh.write(text)
    except Exception:  # noqa: BLE001 - a cache that cannot be written costs time, nothing else
        return


# -- the encoding: JSON primitives, and tagged lists/dicts for everything else ---------------------

def _encode(obj):
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, dt.datetime):
        return {"$": "datetime", "v": obj.isoformat()}
    if isinstance(obj, dt.date):
        return {"$": "date", "v": obj.isoformat()}
    if isinstance(obj, list):
        return [_encode(x) for x in obj]
    if isinstance(obj, tuple):
        return {"$": "tuple", "v": [_encode(x) for x in obj]}
    if isinstance(obj, dict):
        return {"$": "dict", "v": [[_encode(k), _encode(v)] for k, v in obj.items()]}
    name = type(obj).__name__
    if _TYPES.get(name) is type(obj):
        return {"$": name, "v": {f.name: _encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
    raise _Unencodable(name)


def _decode(obj):
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, list):
        return [_decode(x) for x in obj]
    if not isinstance(obj, dict) or set(obj) != {"$", "v"}:
        raise ValueError("not an entry shape")
    tag, v = obj["$"], obj["v"]
    if tag == "date":
        return dt.date.fromisoformat(v)
    if tag == "datetime":
        return dt.datetime.fromisoformat(v)
    if tag == "tuple":
        return tuple(_decode(x) for x in v)
    if tag == "dict":
        return {_hashable(_decode(k)): _decode(x) for k, x in v}
    cls = _TYPES.get(tag)
    if cls is None or not isinstance(v, dict) or set(v) != {f.name for f in dataclasses.fields(cls)}:
        raise ValueError(f"unknown entry shape {tag!r}")
    return cls(**{name: _decode(x) for name, x in v.items()})


def _hashable(k):
    if isinstance(k, (list, dict)):
        raise ValueError("unhashable key")
    return k
