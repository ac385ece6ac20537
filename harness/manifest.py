"""The manifest accel writes into every folder it writes: proof of ownership, and a file list.

`accel-manifest.json` names the kind of folder (`dataset`, `coverage`, `release`, ...) and every
file accel wrote there with its size and SHA-256. accel replaces a folder only when the folder's
manifest says accel wrote it, of the same kind, and the folder holds nothing else and nothing
changed: never because it contains a file named `SHA256SUMS` or files whose names look like
tables (a downloads folder can hold both). A release's manifest is also what a package pins to
trust a download (`harness.release.download`): it is written deterministically (sorted keys, no times),
so the same files give the same bytes and the same digest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from harness.checksums import sha256_file

NAME = "accel-manifest.json"
FORMAT = 1
MAX_BYTES = 1_000_000
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*", re.ASCII)


def scan(directory: Path) -> list[str]:
    """Every entry below ``directory`` as a relative POSIX path (folders end in '/'), manifest excluded."""
    directory = Path(directory)
    out = []
    for p in sorted(directory.rglob("*")):
        rel = p.relative_to(directory).as_posix()
        if rel == NAME:
            continue
        out.append(rel + "/" if p.is_dir() and not p.is_symlink() else rel)
    return out


def build(directory: Path, kind: str, extra: dict | None = None) -> dict:
    directory = Path(directory)
    files = {}
    for rel in scan(directory):
        if rel.endswith("/"):
            continue
        p = directory / rel
        files[rel] = {"bytes": p.stat().st_size, "sha256": sha256_file(p)}
    return {"accelatlas_manifest": FORMAT, "kind": kind, **(extra or {}), "files": files}


def dumps(manifest: dict) -> bytes:
    return (json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def write(directory: Path, kind: str, extra: dict | None = None) -> dict:
    """Write the manifest of ``directory`` (every file in it now) and return it."""
    manifest = build(directory, kind, extra)
    (Path(directory) / NAME).write_bytes(dumps(manifest))
    return manifest


def parse(raw: bytes, origin: str = NAME) -> dict:
    """A manifest from its bytes; `ValueError` saying why it is not one."""
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{origin} is larger than {MAX_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"{origin} is not JSON: {exc}") from None
    fmt = data.get("accelatlas_manifest") if isinstance(data, dict) else None
    if not isinstance(data, dict) or isinstance(fmt, bool) or fmt != FORMAT:
        raise ValueError(f"{origin} is not an AccelAtlas manifest (format {FORMAT})")
    files = data.get("files")
    if not isinstance(data.get("kind"), str) or not isinstance(files, dict):
        raise ValueError(f"{origin} lacks its kind or file list")
    for name, entry in files.items():
        if not isinstance(name, str) or not SAFE_NAME.fullmatch(name) or ".." in name.split("/") or name == NAME:
            raise ValueError(f"{origin} lists an unsafe path {name!r}")
        if (not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or len(entry["sha256"]) != 64
                or not isinstance(entry.get("bytes"), int) or isinstance(entry.get("bytes"), bool)
                or entry["bytes"] < 0):
            raise ValueError(f"{origin}: entry {name!r} needs bytes (a whole number) and a sha256")
    return data


def read(directory: Path) -> dict | None:
    """The manifest of ``directory``, or None where it has none or a broken one."""
    p = Path(directory) / NAME
    try:
        if p.is_symlink() or not p.is_file():
            return None
        return parse(p.read_bytes(), str(p))
    except (OSError, ValueError):
        return None


def problems(directory: Path, manifest: dict, *, hashes: bool = True) -> list[str]:
    """How ``directory`` differs from ``manifest``: missing, changed or unlisted entries."""
    directory = Path(directory)
    listed = manifest["files"]
    out = []
    for rel in scan(directory):
        if rel.endswith("/"):
            if not any(name.startswith(rel) for name in listed):
                out.append(f"{rel} is not listed")
        elif rel not in listed:
            out.append(f"{rel} is not listed")
    for name, entry in listed.items():
        p = directory / name
        if p.is_symlink() or not p.is_file():
            out.append(f"{name} is missing")
        elif p.stat().st_size != entry["bytes"] or (hashes and sha256_file(p) != entry["sha256"]):
            out.append(f"{name} changed since accel wrote it")
    return out


def ownership(directory: Path, kind: str) -> str | None:
    """None when accel may replace ``directory`` (its own, unchanged folder of ``kind``, or an
    empty folder); else why not, as a phrase."""
    directory = Path(directory)
    if not any(directory.iterdir()):
        return None
    manifest = read(directory)
    if manifest is None:
        return f"it holds files and no {NAME}, so accel did not write it"
    if manifest["kind"] != kind:
        return f"accel wrote it as a {manifest['kind']} folder, not a {kind} folder"
    found = problems(directory, manifest)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return f"it changed since accel wrote it: {found[0]}{more}"
    return None
