"""Fetch a published release into a per-user cache, verified file by file against its SHA256SUMS.

Order of work: SHA256SUMS first, then every file it lists, each into a temporary folder beside the
cache entry; each file is checked against its sum as soon as it arrives, and the folder replaces
the cache entry (`atomic_dir`) only when every file verified. So a corrupted or truncated file
is rejected and gone, and the cache never holds a partial release.

Decisions:
- Cache: ``$ACCELATLAS_CACHE/<version>`` if set, else ``$XDG_CACHE_HOME/accelatlas/<version>``,
  else ``~/.cache/accelatlas/<version>`` (the platformdirs layout on Linux, without the dependency).
  A cached release is re-verified on every use; one that fails is fetched again.
- Base URL: ``--base-url``, else ``$ACCELATLAS_BASE_URL``, else `DEFAULT_BASE_URL`; ``{version}``
  in it is filled in. Only urllib is used.
- SHA256SUMS entries must be plain relative names: an absolute path, a ``..`` part or a
  backslash refuses the whole release (it could write outside the cache).
- Connection failures, timeouts, 5xx and 429 answers and short bodies (fewer bytes than
  Content-Length) are retried `RETRIES` times with exponential backoff from `BACKOFF_S`; a 404
  is final at once. When the server cannot be reached at all (`NetworkUnavailable`), callers
  that allow it fall back to the dataset embedded in this checkout, saying so in one line.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from harness import __version__, paths
from harness.checksums import sha256_file
from harness.errors import UserError

DEFAULT_BASE_URL = "https://github.com/accelatlas/accelatlas/releases/download/v{version}/"
SUMS = "SHA256SUMS"
RETRIES = 3  # attempts per file, in all
BACKOFF_S = 0.5  # first wait between attempts; doubled each time
TIMEOUT_S = 30.0
CHUNK = 1 << 16
SUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


class NetworkUnavailable(UserError):
    """The release server could not be reached at all (no network, DNS failure, refused)."""

    def __init__(self, message: str):
        super().__init__(message, code=3)


class _Transient(Exception):
    """A failure worth retrying (connection, timeout, 5xx, short body)."""

    def __init__(self, message: str, unreachable: bool = False):
        super().__init__(message)
        self.unreachable = unreachable


def cache_root() -> Path:
    env = os.environ.get("ACCELATLAS_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "accelatlas"


def base_url(version: str, override: str | None = None) -> str:
    url = override or os.environ.get("ACCELATLAS_BASE_URL") or DEFAULT_BASE_URL
    url = url.replace("{version}", version)
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise UserError(f"base URL {url!r} must be http(s):// or file://")
    return url if url.endswith("/") else url + "/"


def parse_sums(text: str, origin: str = SUMS) -> dict[str, str]:
    """``{relative name: sha256}`` from `sha256sum` output; unsafe or malformed entries refuse all."""
    entries: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = SUM_LINE.match(line)
        if not m:
            raise UserError(f"{origin}:{n}: not a sha256sum line: {line[:80]!r}")
        digest, name = m.group(1).lower(), m.group(2)
        parts = name.split("/")
        if (name.startswith("/") or "\\" in name or ".." in parts or name != name.strip()
                or re.match(r"^[A-Za-z]:", name) or "" in parts or "." in parts):
            raise UserError(f"{origin}:{n}: unsafe path {name!r} (absolute or with ..); refusing this release")
        if name == SUMS or name in entries:
            raise UserError(f"{origin}:{n}: {name!r} listed twice or lists {SUMS} itself")
        entries[name] = digest
    if not entries:
        raise UserError(f"{origin} lists no files")
    return entries


def verify_dir(directory: Path) -> list[str]:
    """Problems of a release directory against its own SHA256SUMS (empty when it verifies)."""
    sums_path = Path(directory) / SUMS
    if not sums_path.is_file():
        return [f"{sums_path} missing"]
    try:
        entries = parse_sums(sums_path.read_text(encoding="utf-8"), str(sums_path))
    except (UserError, UnicodeDecodeError) as exc:
        return [str(exc)]
    problems = []
    for name, digest in entries.items():
        p = Path(directory) / name
        if not p.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(p) != digest:
            problems.append(f"{name}: checksum mismatch")
    return problems


def _progress(msg: str, *, end: str = "\n", stream=None) -> None:
    stream = stream or sys.stderr
    print(msg, end=end, file=stream, flush=True)


def _fetch_once(url: str, dest: Path, timeout: float, label: str) -> int:
    """Stream ``url`` to ``dest``; raise `_Transient` for retryable failures, UserError for final ones."""
    host = urllib.parse.urlsplit(url).netloc or url
    req = urllib.request.Request(url, headers={"User-Agent": f"accelatlas/{__version__}"})
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code in (429,) or exc.code >= 500:
            raise _Transient(f"{url}: HTTP {exc.code}") from None
        raise UserError(f"{url}: HTTP {exc.code} {exc.reason}"
                        + (" (no such release or file)" if exc.code == 404 else "")) from None
    except urllib.error.URLError as exc:
        # no HTTP answer at all: refused, DNS failure, unreachable network, connect timeout
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise _Transient(f"could not reach {host}: {reason}", unreachable=True) from None
    except TimeoutError:
        raise _Transient(f"{url}: timed out after {timeout:g} s", unreachable=True) from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Transient(f"{url}: {exc.__class__.__name__}: {exc}") from None
    with resp:
        length = resp.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        got = 0
        tty = sys.stderr.isatty()
        try:
            with open(dest, "wb") as fh:
                while True:
                    chunk = resp.read(CHUNK)
                    if not chunk:
                        break
                    fh.write(chunk)
                    got += len(chunk)
                    if tty and expected:
                        _progress(f"\r  {label} {100 * got // expected:3d}%", end="")
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            raise _Transient(f"{url}: transfer broke after {got} bytes ({exc.__class__.__name__})") from None
        if tty and expected:
            _progress("\r", end="")
    if expected is not None and got != expected:
        raise _Transient(f"{url}: truncated transfer ({got} of {expected} bytes)")
    return got


def fetch(url: str, dest: Path, *, retries: int | None = None, backoff: float | None = None,
          timeout: float | None = None, label: str = "") -> int:
    """Download ``url`` to ``dest`` with bounded retries; a failed file is removed."""
    retries = max(1, RETRIES if retries is None else retries)
    backoff = BACKOFF_S if backoff is None else backoff
    timeout = TIMEOUT_S if timeout is None else timeout
    last: _Transient | None = None
    for attempt in range(retries):
        if attempt:
            _progress(f"  retrying {label or url} ({attempt + 1}/{retries}) after: {last}")
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            return _fetch_once(url, dest, timeout, label or url)
        except _Transient as exc:
            last = exc
            dest.unlink(missing_ok=True)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    assert last is not None
    if last.unreachable:
        raise NetworkUnavailable(f"no network: {last}")
    raise UserError(f"download failed after {retries} attempts: {last}")


def release_dir(version: str, dest: Path | None = None) -> Path:
    from harness.release import check_version

    check_version(version)
    return Path(dest) if dest else cache_root() / version


def download_release(version: str, *, base: str | None = None, dest: Path | None = None,
                     retries: int | None = None, backoff: float | None = None, timeout: float | None = None,
                     force: bool = False) -> Path:
    """Fetch, verify and cache release ``version``; return its directory. A verified cache is used as is."""
    from harness.atomic import atomic_dir

    target = release_dir(version, dest)
    if not force and target.is_dir() and not verify_dir(target):
        _progress(f"accel: release {version} found verified in {target}")
        return target
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / SUMS).exists())):
        raise UserError(f"{target} exists and is not a release directory; refusing to replace it")
    url = base_url(version, base)
    _progress(f"accel: fetching release {version} from {url}")
    with atomic_dir(target, may_replace=lambda d: (d / SUMS).exists()) as tmp:
        fetch(url + SUMS, tmp / SUMS, retries=retries, backoff=backoff, timeout=timeout, label=SUMS)
        try:
            entries = parse_sums((tmp / SUMS).read_text(encoding="utf-8"), url + SUMS)
        except UnicodeDecodeError:
            raise UserError(f"{url + SUMS} is not a text SHA256SUMS file") from None
        total = 0
        for i, (name, digest) in enumerate(sorted(entries.items()), 1):
            out = tmp / name
            out.parent.mkdir(parents=True, exist_ok=True)
            label = f"[{i}/{len(entries)}] {name}"
            size = fetch(url + urllib.parse.quote(name), out, retries=retries, backoff=backoff,
                         timeout=timeout, label=label)
            actual = sha256_file(out)
            if actual != digest:
                out.unlink(missing_ok=True)
                raise UserError(f"{name}: checksum mismatch (expected {digest[:16]}…, got {actual[:16]}…); "
                                f"the file was rejected and removed, nothing was cached")
            total += size
            _progress(f"  {label} {size} B verified")
    _progress(f"accel: release {version} verified ({len(entries)} files, {total} B) in {target}")
    return target


def ensure_release(version: str, *, base: str | None = None, dest: Path | None = None, offline: bool | None = None,
                   fallback: bool = True, **fetch_opts) -> Path:
    """Directory holding the verified tables of release ``version``, downloading it if needed.

    Offline (``offline=True`` or ``$ACCELATLAS_OFFLINE``) only the cache is used. When the release is
    not cached and the network cannot be reached, and ``fallback`` is true, one line on stderr says
    so and the dataset embedded in this checkout (results/dataset) is returned instead.
    """
    if offline is None:
        offline = os.environ.get("ACCELATLAS_OFFLINE", "") not in ("", "0")
    target = release_dir(version, dest)
    if offline:
        problems = verify_dir(target) if target.is_dir() else [f"{target} missing"]
        if not problems:
            return target
        msg = f"offline and release {version} is not in the cache ({problems[0]})"
        if not fallback:
            raise UserError(msg)
        _progress(f"accel: {msg}; using the embedded dataset in {paths.DATASET}")
        return paths.DATASET
    try:
        return download_release(version, base=base, dest=dest, **fetch_opts)
    except NetworkUnavailable as exc:
        if not fallback:
            raise
        _progress(f"accel: {exc}; using the embedded dataset in {paths.DATASET}")
        return paths.DATASET
