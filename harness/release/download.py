"""Fetch a published release into a per-user cache, trusting only the digest this package pins.

Trust anchor: a release's `accel-manifest.json` lists every file with its size and SHA-256, and
names the release's version. This package pins the SHA-256 *of that manifest* per version
(`release_pins.json`, written by the release workflow), or the caller passes one
(``--manifest-sha256``, like `pip --hash`). A download, and every later use of the cached copy,
is checked against the pin, never against the download itself: a server (or anyone who can
write to the cache) that rewrites a table and its checksums together is caught, because the
manifest's digest changes.

Order of work, under a lock on the cache folder (concurrent downloads take turns; the second
finds the first's verified copy): the manifest first (at most `manifest.MAX_BYTES`), checked
against the pin, its version against the one asked for and its file list for every required
table; then each listed file, read no further than its listed size and checked as it lands, into
a temporary folder that replaces the cache entry only when every file verified
(`harness.atomic.atomic_dir`). Files the manifest does not list are never fetched or served.

Decisions:
- Cache: ``$ACCELATLAS_CACHE/<version>`` if set, else ``$XDG_CACHE_HOME/accelatlas/<version>``,
  else ``~/.cache/accelatlas/<version>`` (the platformdirs layout on Linux, without the dependency).
- Base URL: ``--base-url``, else ``$ACCELATLAS_BASE_URL``, else `DEFAULT_BASE_URL`; ``{version}``
  in it is filled in.
- A pinned version that cannot be had is an error; the working-tree dataset is used instead only
  when the caller asks (``fallback=True``, `accel download --fallback-local`), and says so.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.parse
from pathlib import Path

from harness import envflags, manifest, paths
from harness.checksums import sha256_file
from harness.errors import UserError
from harness.release.fetch import Limits, NetworkUnavailable, fetch
from harness.release.versions import check_version

DEFAULT_BASE_URL = "https://github.com/accelatlas/accelatlas/releases/download/v{version}/"
PINS = Path(__file__).with_name("pins.json")
REQUIRED_TABLES = tuple(f"{t}.parquet" for t in ("accelerators", "spec_values", "sources", "claims"))
HEX64 = re.compile(r"^[0-9a-f]{64}$")

__all__ = ["NetworkUnavailable", "download_release", "ensure_release", "verify_release", "cache_root"]


def cache_root() -> Path:
    env = envflags.path("ACCELATLAS_CACHE")
    if env is not None:
        return env
    xdg = envflags.path("XDG_CACHE_HOME")
    return (xdg if xdg is not None else Path.home() / ".cache") / "accelatlas"


def base_url(version: str, override: str | None = None) -> str:
    url = override or envflags.text("ACCELATLAS_BASE_URL") or DEFAULT_BASE_URL
    url = url.replace("{version}", version)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or any(c.isspace() for c in url):
        raise UserError(f"base URL {url!r} must be an http(s):// or file:// URL without spaces")
    return url if url.endswith("/") else url + "/"


def pinned(version: str, override: str | None = None) -> str:
    """The manifest digest to trust for ``version``: ``override`` or this package's pin."""
    if override is not None:
        digest = str(override).strip().lower()
        if not HEX64.match(digest):
            raise UserError(f"--manifest-sha256 must be 64 hex digits, got {override!r}")
        return digest
    try:
        pins = json.loads(PINS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pins = {}
    digest = pins.get(version) if isinstance(pins, dict) else None
    if not isinstance(digest, str) or not HEX64.match(digest):
        known = ", ".join(sorted(pins)) if isinstance(pins, dict) and pins else "none"
        raise UserError(f"this package pins no digest for release {version} (pinned: {known}); upgrade "
                        "accelatlas, or pass --manifest-sha256 with the digest from the release notes")
    return digest


def verify_release(directory: Path, version: str, digest: str) -> list[str]:
    """Problems of a release folder against the pinned manifest digest (empty when it verifies)."""
    directory = Path(directory)
    mpath = directory / manifest.NAME
    if not directory.is_dir() or mpath.is_symlink() or not mpath.is_file():
        return [f"{mpath} missing"]
    if sha256_file(mpath) != digest:
        return [f"{mpath} is not the manifest this package pins for {version}"]
    try:
        m = manifest.parse(mpath.read_bytes(), str(mpath))
    except (OSError, ValueError) as exc:
        return [str(exc)]
    return _check_manifest(m, version) or manifest.problems(directory, m)


def _check_manifest(m: dict, version: str) -> list[str]:
    out = []
    if m.get("kind") != "release":
        out.append(f"manifest is of a {m.get('kind')} folder, not a release")
    if m.get("version") != version:
        out.append(f"manifest is of release {m.get('version')!r}, not {version}")
    missing = [t for t in REQUIRED_TABLES if t not in m["files"]]
    if missing:
        out.append(f"manifest does not list {', '.join(missing)}")
    return out


def release_dir(version: str, dest: Path | None = None) -> Path:
    check_version(version)
    return Path(dest) if dest else cache_root() / version


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _replaceable(d: Path) -> bool:
    """A cache entry accel may overwrite: its release manifest, and nothing it does not list
    (a tampered or half-vanished copy is fetched again; someone else's files are not touched)."""
    m = manifest.read(d)
    return m is not None and m["kind"] == "release" and \
        not [p for p in manifest.problems(d, m, hashes=False) if p.endswith("is not listed")]


def download_release(version: str, *, base: str | None = None, dest: Path | None = None,
                     manifest_sha256: str | None = None, force: bool = False, limits: Limits | None = None,
                     **limit_opts) -> Path:
    """Fetch, verify and cache release ``version``; return its folder. A verified cache is used as is."""
    from harness.atomic import atomic_dir, dir_lock, recover

    target = release_dir(version, dest)
    digest = pinned(version, manifest_sha256)
    limits = limits or Limits(**limit_opts)
    with dir_lock(target.parent):
        recover(target)  # a download killed halfway left its debris (or the old copy) beside it
        if not force and not verify_release(target, version, digest):
            _say(f"accel: release {version} found verified in {target}")
            return target
        url = base_url(version, base)
        _say(f"accel: fetching release {version} from {url}")
        with atomic_dir(target, may_replace=_replaceable) as tmp:
            mpath = tmp / manifest.NAME
            fetch(url + manifest.NAME, mpath, limits, max_bytes=manifest.MAX_BYTES, label=manifest.NAME, say=_say)
            if sha256_file(mpath) != digest:
                raise UserError(f"{url + manifest.NAME} is not the manifest pinned for release {version} "
                                f"(sha256 {sha256_file(mpath)[:16]}…, pinned {digest[:16]}…); nothing was cached")
            try:
                m = manifest.parse(mpath.read_bytes(), url + manifest.NAME)
            except ValueError as exc:
                raise UserError(str(exc)) from None
            wrong = _check_manifest(m, version)
            if wrong:
                raise UserError(f"{url + manifest.NAME}: {wrong[0]}; nothing was cached")
            total = 0
            for i, (name, entry) in enumerate(sorted(m["files"].items()), 1):
                out = tmp / name
                out.parent.mkdir(parents=True, exist_ok=True)
                label = f"[{i}/{len(m['files'])}] {name}"
                size = fetch(url + urllib.parse.quote(name), out, limits, max_bytes=entry["bytes"], label=label,
                             say=_say)
                actual = sha256_file(out)
                if actual != entry["sha256"] or size != entry["bytes"]:
                    out.unlink(missing_ok=True)
                    raise UserError(f"{name}: checksum mismatch (expected {entry['sha256'][:16]}…, got "
                                    f"{actual[:16]}…); the file was rejected and removed, nothing was cached")
                total += size
                _say(f"  {label} {size} B verified")
    _say(f"accel: release {version} verified ({len(m['files'])} files, {total} B) in {target}")
    return target


def ensure_release(version: str, *, base: str | None = None, dest: Path | None = None, offline: bool | None = None,
                   fallback: bool = False, manifest_sha256: str | None = None, **opts) -> Path:
    """Folder holding the verified tables of release ``version``, downloading it if needed.

    Offline (``offline=True`` or ``$ACCELATLAS_OFFLINE``) only the cache is used. A release that
    cannot be had is an error, unless ``fallback``: then one line on stderr says so and the
    dataset of this installation (`paths.DATASET`) is returned instead.
    """
    if offline is None:
        offline = envflags.flag("ACCELATLAS_OFFLINE")
    from harness.atomic import recover

    target = release_dir(version, dest)
    digest = pinned(version, manifest_sha256)
    try:
        if offline:
            recover(target)
            problems = verify_release(target, version, digest)
            if problems:
                raise UserError(f"offline, and release {version} is not verified in the cache ({problems[0]})")
            return target
        return download_release(version, base=base, dest=dest, manifest_sha256=digest, **opts)
    except UserError as exc:
        if not fallback:
            raise
        _say(f"accel: {exc}; using the dataset of this installation in {paths.DATASET} (--fallback-local)")
        return paths.DATASET
