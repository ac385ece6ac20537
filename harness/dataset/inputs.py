"""What each built folder was built from, so `accel build` rebuilds only what changed.

A build unit (the dataset tables; the readiness tables) has named input parts, each a SHA-256
over file names and contents (or over a derived value), computed without pandas, pandera or pint:

- ``code``: every Python file of the `harness` package. Coarse on purpose: a table depends on
  helpers in many modules, and a stale table is worse than a rebuild after an unrelated edit.
  An installed package never changes, so this costs users nothing.
- ``versions``: accel's own version and those of pandas, pyarrow and pandera, which write the
  bytes (pandera decides what passes).
- ``schemas``: `schemas/fields.yaml` and `schemas/unit_factors.json`.
- dataset ``specs``: every file validation reads (accelerator, stack and price files) and the
  problems found while listing them (a misnamed `.yml` fails a build even when nothing else
  changed).
- readiness ``specs``: every file under specs/ except accelerator and price files and the
  upstream copies (op lists, stacks, mappings); ``upstream``: the upstream copies where the
  importers read them (`paths.UPSTREAM`); ``accelerator_stacks``: what the readiness builders
  read of the accelerators, their ids and `stacks:` lists, not their figures; ``probes``:
  results/probes/; ``locations``: where each of these was read.

After a folder is written, a build record (`save`: the parts, and per table its input digest
and row count) goes to the build cache (`cache_dir`, like a build system's own log), tied to the
digest of the folder's manifest (`harness.manifest`). Not into the folder: results/ must stay
byte-identical wherever it is rebuilt, and a record naming the code digest would change with
every edit. A unit is skipped only when its record matches the folder's manifest, the manifest
proves accel wrote the folder unchanged (every file's hash), and every table the unit writes
records the same input digest; outputs are deterministic, so a skipped unit holds the bytes a
full build would write. Date-dependent checks (a shipping part with a future release date) are
judged when the inputs last changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from pathlib import Path

from harness import paths

_PACKAGES = ("pandas", "pyarrow", "pandera")


def _files_digest(files, root: Path | None = None) -> str:
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: Path(p).as_posix()):
        f = Path(f)
        name = f.relative_to(root).as_posix() if root is not None else f.as_posix()
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(_content_digest(f))
    return h.hexdigest()


def _content_digest(path: Path) -> bytes:
    """SHA-256 of a regular file's bytes, opened without following a link and without blocking
    (a named pipe among the specs must not hang the build: validation reports it); anything
    else digests as what it is."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return f"<{type(exc).__name__}>".encode()
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return f"<mode {stat.S_IFMT(st.st_mode):o}>".encode()
        h = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
        return h.digest()
    except OSError as exc:
        return f"<{type(exc).__name__}>".encode()
    finally:
        os.close(fd)


def _stat_digest(files, root: Path | None = None) -> str:
    """A digest of names, sizes and modification times: cheap, and a key for `_cached_digest`."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: Path(p).as_posix()):
        f = Path(f)
        try:
            st = os.lstat(f)
            stamp = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
        except OSError:
            stamp = "?"
        name = f.relative_to(root).as_posix() if root is not None else f.as_posix()
        h.update(f"{name}\0{stamp}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _cached_digest(label: str, files, root: Path | None, earlier: dict, memo: dict) -> str:
    """`_files_digest`, reused from the earlier build's memo when no file's name, size,
    modification time or inode changed since (what git's index and make rely on); large input
    trees (the upstream copies) are then not read again."""
    files = list(files)
    stat = _stat_digest(files, root)
    was = earlier.get(f"stat:{label}")
    if isinstance(was, list) and len(was) == 2 and was[0] == stat and isinstance(was[1], str):
        content = was[1]
    else:
        content = _files_digest(files, root)
    memo[f"stat:{label}"] = [stat, content]
    return content


def _tree(root: Path, skip=()) -> list[Path]:
    """Regular files below ``root`` (never through symbolic links), top-level names in ``skip`` left out."""
    out = []
    if not root.is_dir():
        return out
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if d not in skip]
            files = [f for f in files if f not in skip]
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink() and d != "__pycache__"]
        out.extend(Path(folder) / f for f in files if not f.endswith(".pyc"))
    return out


def _value_digest(value) -> str:
    import json

    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The `harness` package's files, once per process (the code a process runs does not change)."""
    return _files_digest(_tree(paths.CODE / "harness"), paths.CODE)


@functools.lru_cache(maxsize=8)
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def _version(name: str) -> str | None:
    """An installed package's version, from its dist-info folder's name when that is beside it
    (importlib.metadata costs a tenth of a second to import; this is a directory listing)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return None
    found = [n for n in _listing(str(Path(spec.origin).parent.parent))
             if n.startswith(f"{name}-") and n.endswith(".dist-info")]
    if len(found) == 1:
        return found[0][len(name) + 1: -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def versions_digest() -> str:
    from harness import __version__

    return _value_digest({"accelatlas": __version__, **{name: _version(name) for name in _PACKAGES}})


def schemas_digest() -> str:
    from harness.dataset import units
    from harness.dataset.registry import REGISTRY_PATH

    return _files_digest([REGISTRY_PATH, units.FACTORS_PATH], paths.SCHEMAS)


def dataset_parts(specs_dir: Path) -> dict[str, str]:
    """The input digests of the dataset tables built from ``specs_dir``."""
    from harness.dataset.validate import _is_stack_file, discover

    specs_dir = Path(specs_dir)
    problems: list = []
    found = [f for f, _, _ in discover([specs_dir], problems)]
    stacks = specs_dir / "stacks"
    stack_names = sorted(p.name for p in stacks.glob("*.yaml") if _is_stack_file(p)) if stacks.is_dir() else []
    root = os.path.abspath(specs_dir)
    listed = sorted((os.path.relpath(os.path.abspath(p.path), root), p.line, p.rule, p.message) for p in problems)
    listing = _value_digest({"problems": listed, "stacks": stack_names})
    return {"code": code_digest(), "versions": versions_digest(), "schemas": schemas_digest(),
            "specs": _files_digest([Path(os.path.abspath(f)) for f in found], Path(root)) + listing}


def _accelerator_stacks(acc: Path, files: list[Path], known: dict | None = None) -> str:
    from harness.yamlload import read_data

    seen = {}
    for p in files:
        rel = p.relative_to(acc).as_posix()
        if known is not None and rel in known:  # read by this build's validation already
            seen[rel] = known[rel] if isinstance(known[rel], list) else None
            continue
        try:
            doc = read_data(p)
        except Exception as exc:  # the builders meet the same error; the digest records it
            doc = {"error": type(exc).__name__}
        stacks = doc.get("stacks") if isinstance(doc, dict) else None
        seen[rel] = stacks if isinstance(stacks, list) else None
    return _value_digest(seen)


def readiness_parts(specs_dir: Path | None = None, probes: Path | None = None,
                    earlier: dict | None = None, known_stacks: dict | None = None) -> tuple[dict[str, str], dict]:
    """The input digests of the readiness tables (results/coverage/), and a memo for the next
    build: the accelerators' ids and `stacks:` lists are parsed only when an accelerator file
    changed since ``earlier`` (the memo an earlier build recorded), and not even then for the
    files in ``known_stacks``; a tree whose files' names, sizes and times are those the memo
    recorded keeps its recorded content digest ({path under accelerators/: its `stacks:` list}, from a validation)."""
    specs_dir = Path(specs_dir or paths.SPECS)
    probes = Path(probes or paths.RESULTS / "probes")
    acc = specs_dir / "accelerators"
    files = sorted(acc.rglob("*.yaml")) if acc.is_dir() else []
    files_digest = _files_digest(files, acc)
    earlier = earlier or {}
    if earlier.get("accelerator_files") == files_digest and isinstance(earlier.get("accelerator_stacks"), str):
        stacks = earlier["accelerator_stacks"]
    else:
        stacks = _accelerator_stacks(acc, files, known_stacks)
    memo = {"accelerator_files": files_digest, "accelerator_stacks": stacks}
    upstream = Path(paths.UPSTREAM)
    where = {"specs": specs_dir, "upstream": upstream, "oplists": paths.OPLISTS, "stacks": paths.STACK_SPECS,
             "probes": probes}
    parts = {"code": _cached_digest("code", _tree(paths.CODE / "harness"), paths.CODE, earlier, memo),
             "versions": versions_digest(), "schemas": schemas_digest(),
             "locations": _value_digest({k: os.path.abspath(v) for k, v in where.items()}),
             "specs": _cached_digest("specs", _tree(specs_dir, skip=("accelerators", "prices", "upstream")),
                                     specs_dir, earlier, memo),
             "upstream": _cached_digest("upstream", _tree(upstream), upstream, earlier, memo),
             "accelerator_stacks": stacks,
             "probes": _cached_digest("probes", _tree(probes), probes, earlier, memo)}
    return parts, memo


def cache_dir() -> Path:
    """Where build records live: ``$ACCELATLAS_CACHE``, else `.accel-cache/` in a checkout (git
    ignores it), else the user's cache folder. Never inside or beside an output folder: those
    hold only what accel publishes, byte-identical wherever they are rebuilt."""
    env = os.environ.get("ACCELATLAS_CACHE")
    if env:
        return Path(env)
    if paths.IS_CHECKOUT:
        return paths.ROOT / ".accel-cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accelatlas"


def _state_path(out_dir: Path) -> Path:
    key = hashlib.sha256(os.path.abspath(out_dir).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_dir() / "builds" / f"{key}.json"


def _manifest_digest(out_dir: Path) -> str | None:
    from harness import manifest

    try:
        return hashlib.sha256((Path(out_dir) / manifest.NAME).read_bytes()).hexdigest()
    except OSError:
        return None


def _load_state(out_dir: Path) -> dict:
    import json

    try:
        raw = _state_path(out_dir).read_bytes()
        state = json.loads(raw) if len(raw) < 1_000_000 else None
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save(out_dir: Path, entry: dict) -> None:
    """Record what ``out_dir`` (just written) was built from: ``entry`` from `record`, tied to
    the folder's manifest, so a folder rewritten by anything else is never taken as up to date.
    Written after the folder; a kill in between leaves the earlier record, which no longer
    matches, so the next build rebuilds. A cache that cannot be written only costs a rebuild."""
    import json

    from harness.atomic import atomic_file

    state = {"out": os.path.abspath(out_dir), "manifest_sha256": _manifest_digest(out_dir), **entry}
    from harness.errors import UserError

    try:
        _state_path(out_dir).parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(_state_path(out_dir), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(state, indent=1, sort_keys=True) + "\n")
    except (OSError, ValueError, UserError):  # an unwritable cache, a link in it: never fail a build
        pass


def earlier_memo(out_dir: Path) -> dict:
    """The memo the last build of ``out_dir`` recorded (empty when none)."""
    memo = _load_state(out_dir).get("memo")
    return memo if isinstance(memo, dict) else {}


def digest(parts: dict[str, str]) -> str:
    return _value_digest(parts)


def record(parts: dict[str, str], tables: dict, memo: dict | None = None) -> dict:
    """A build record: the parts, and per table its input digest and rows (see `save`)."""
    d = digest(parts)
    entry = {"parts": dict(sorted(parts.items())),
             "tables": {name: {"inputs": d, "rows": int(len(df))} for name, df in sorted(tables.items())}}
    if memo:
        entry["memo"] = dict(sorted(memo.items()))
    return entry


def up_to_date(out_dir: Path, kind: str, parts: dict[str, str], tables=None) -> tuple[bool, str, dict]:
    """(whether ``out_dir`` holds what a build from ``parts`` would write, why not, its table
    records). ``tables``: the names the unit writes (default: those recorded)."""
    from harness import manifest
    from harness.atomic import recover

    out_dir = Path(out_dir)
    recover(out_dir)  # a folder lost between two renames comes back, dead runs' debris goes, as in a write
    m = manifest.read(out_dir) if out_dir.is_dir() and not out_dir.is_symlink() else None
    if m is None or m.get("kind") != kind:
        return False, "no earlier build", {}
    built = _load_state(out_dir)
    if not built or built.get("manifest_sha256") != _manifest_digest(out_dir):
        return False, "no input record for this folder", {}
    old_parts = built.get("parts") if isinstance(built.get("parts"), dict) else {}
    recorded = built.get("tables") if isinstance(built.get("tables"), dict) else {}
    changed = sorted(k for k in set(parts) | set(old_parts) if parts.get(k) != old_parts.get(k))
    if changed:
        return False, "changed: " + ", ".join(changed), {}
    d = digest(parts)
    names = set(tables) if tables is not None else set(recorded)
    if not names or any(not isinstance(recorded.get(n), dict) or recorded[n].get("inputs") != d for n in names):
        return False, "tables not recorded", {}
    if manifest.problems(out_dir, m):
        return False, "the folder changed since accel wrote it", {}
    return True, "inputs unchanged", recorded
