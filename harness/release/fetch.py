"""Fetch one URL to a file, within limits: bytes, time, attempts, and where redirects may lead.

What a server may do to a client, and what this module does about it:
- send more than the file should be: reading stops at ``max_bytes`` (from the release manifest),
  the file is removed, and that is final (a server that does this once will do it again);
- send slowly or never finish: every read has a socket timeout and the whole download an overall
  ``deadline`` (monotonic clock), checked after every socket read, so a 1 byte/s trickle cannot
  outlast it (by more than one timeout at most);
- fail transiently (connection reset, 5xx, 429, a short body): retried with exponential backoff,
  at most `MAX_RETRIES` attempts; `Retry-After` is honoured when it fits in the deadline;
- redirect elsewhere: only to the same scheme, host and port unless ``allow_redirects``;
- be unreachable: `NetworkUnavailable` (exit 3) so that callers can say "no network".
A local disk error (ENOSPC, a read-only cache) is the user's machine, not the network: one
`UserError` naming the file, never retried.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from harness import __version__
from harness.errors import UserError

RETRIES = 3  # attempts per file, in all
MAX_RETRIES = 10
BACKOFF_S = 0.5  # first wait between attempts; doubled each time
TIMEOUT_S = 30.0  # per network operation
DEADLINE_S = 600.0  # for a whole download
MAX_RETRY_AFTER_S = 120.0
CHUNK = 1 << 16


class NetworkUnavailable(UserError):
    """The server could not be reached at all (no network, DNS failure, connection refused)."""

    def __init__(self, message: str):
        super().__init__(message, code=3)


class _Transient(Exception):
    def __init__(self, message: str, unreachable: bool = False, wait: float | None = None):
        super().__init__(message)
        self.unreachable, self.wait = unreachable, wait


def _origin(url: str) -> tuple:
    p = urllib.parse.urlsplit(url)
    return p.scheme, (p.hostname or "").lower(), p.port or {"http": 80, "https": 443}.get(p.scheme)


class _Sockets:
    """The sockets of the connections one download opened, so that a deadline can cut them:
    a server that sends its headers one byte at a time resets every socket timeout, and only
    shutting the socket down stops it."""

    def __init__(self):
        self.open: list = []
        self.lock = threading.Lock()
        self.was_cut = False

    def connection(self, base):
        sockets = self

        class Tracked(base):
            def connect(self):
                super().connect()
                with sockets.lock:
                    sockets.open.append(self.sock)

        return Tracked

    def cut(self):
        with self.lock:
            self.was_cut = True
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.open.clear()


class _Http(urllib.request.HTTPHandler):
    def __init__(self, sockets: _Sockets):
        super().__init__()
        self.sockets = sockets

    def http_open(self, req):
        return self.do_open(self.sockets.connection(http.client.HTTPConnection), req)


class _Https(urllib.request.HTTPSHandler):
    def __init__(self, sockets: _Sockets):
        super().__init__()
        self.sockets = sockets

    def https_open(self, req):
        return self.do_open(self.sockets.connection(http.client.HTTPSConnection), req,
                            context=self._context)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def __init__(self, allow: bool):
        self.allow = allow

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.allow and _origin(newurl) != _origin(req.full_url):
            raise UserError(f"{req.full_url} redirects to another host ({newurl}); refused "
                            "(pass --allow-redirects to follow it)")
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise UserError(f"{req.full_url} redirects to {newurl}: not http(s); refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delay-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Limits:
    """Retries, timeouts and the deadline of one download (validated once, shared by its files)."""

    def __init__(self, retries=None, backoff=None, timeout=None, deadline=None, allow_redirects=False):
        self.retries = RETRIES if retries is None else retries
        self.backoff = BACKOFF_S if backoff is None else backoff
        self.timeout = TIMEOUT_S if timeout is None else timeout
        deadline = DEADLINE_S if deadline is None else deadline
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or not 1 <= self.retries <= MAX_RETRIES:
            raise UserError(f"retries must be a whole number from 1 to {MAX_RETRIES}, got {self.retries!r}")
        for name, v in (("timeout", self.timeout), ("deadline", deadline)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < 1e6:
                raise UserError(f"{name} must be a positive number of seconds below 1e6, got {v!r}")
        if isinstance(self.backoff, bool) or not isinstance(self.backoff, (int, float)) or not 0 <= self.backoff < 1e6:
            raise UserError(f"backoff must be a number of seconds, got {self.backoff!r}")
        self.ends = time.monotonic() + deadline
        self.deadline = deadline
        self.sockets = _Sockets()
        self.opener = urllib.request.OpenerDirector()
        for handler in (_Http(self.sockets), _Https(self.sockets), _SameOrigin(allow_redirects),
                        urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler()):
            self.opener.add_handler(handler)

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise UserError(f"the download did not finish within its deadline of {self.deadline:g} s")
        return left


def _fetch_file(url: str, dest: Path, max_bytes: int | None) -> int:
    """A `file://` URL (a local mirror): a regular file only, never blocking, no further than max_bytes."""
    from harness.yamlload import LoadError, read_regular

    path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    try:
        data = read_regular(path, max_bytes)
    except LoadError as exc:
        if exc.rule == "yaml-too-large":
            raise UserError(f"{url} is larger than the {max_bytes:,} bytes its manifest lists; refused") from None
        if "No such file" in exc.message:
            raise UserError(f"{url}: no such file (no such release or file)") from None
        raise UserError(f"{url}: {exc.message}") from None
    try:
        dest.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
    return len(data)


def _fetch_once(url: str, dest: Path, limits: Limits, max_bytes: int | None) -> int:
    if urllib.parse.urlsplit(url).scheme == "file":
        return _fetch_file(url, dest, max_bytes)
    timer = threading.Timer(max(0.0, limits.ends - time.monotonic()), limits.sockets.cut)
    timer.daemon = True
    timer.start()
    late = UserError(f"the download did not finish within its deadline of {limits.deadline:g} s")
    try:
        got = _fetch_http(url, dest, limits, max_bytes)
    except _Transient:
        if limits.sockets.was_cut:  # the deadline cut the connection: what came is not the file
            raise late from None
        raise
    finally:
        timer.cancel()
    if limits.sockets.was_cut:
        raise late
    return got


def _fetch_http(url: str, dest: Path, limits: Limits, max_bytes: int | None) -> int:
    req = urllib.request.Request(url, headers={"User-Agent": f"accelatlas/{__version__}"})
    host = urllib.parse.urlsplit(url).netloc or url
    try:
        resp = limits.opener.open(req, timeout=min(limits.timeout, limits.left()))
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            wait = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            raise _Transient(f"{url}: HTTP {exc.code}", wait=wait) from None
        raise UserError(f"{url}: HTTP {exc.code} {exc.reason}"
                        + (" (no such release or file)" if exc.code == 404 else "")) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, UserError):
            raise exc.reason from None
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise _Transient(f"could not reach {host}: {reason}", unreachable=True) from None
    except TimeoutError:
        raise _Transient(f"{url}: timed out after {limits.timeout:g} s", unreachable=True) from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Transient(f"{url}: {exc.__class__.__name__}: {exc}") from None
    with resp:
        length = resp.headers.get("Content-Length")
        expected = int(length) if length and length.isascii() and length.isdigit() else None
        if max_bytes is not None and expected is not None and expected > max_bytes:
            raise UserError(f"{url} is {expected:,} bytes; its manifest says {max_bytes:,}; refused")
        got = 0
        try:
            fh = open(dest, "wb")
        except OSError as exc:
            raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
        with fh:
            while True:
                try:
                    chunk = resp.read1(CHUNK)  # returns after one socket read: the deadline is checked often
                except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
                    raise _Transient(f"{url}: transfer broke after {got} bytes ({exc.__class__.__name__})") from None
                if not chunk:
                    break
                got += len(chunk)
                if max_bytes is not None and got > max_bytes:
                    raise UserError(f"{url} sent more than the {max_bytes:,} bytes its manifest lists; refused")
                try:
                    fh.write(chunk)
                except OSError as exc:
                    raise UserError(f"cannot write {dest}: {exc.strerror or exc}") from None
                limits.left()
    if expected is not None and got != expected:
        raise _Transient(f"{url}: truncated transfer ({got} of {expected} bytes)")
    return got


def fetch(url: str, dest: Path, limits: Limits, *, max_bytes: int | None = None, label: str = "", say=None) -> int:
    """Download ``url`` to ``dest`` within ``limits``; a failed file is removed. Returns its size."""
    last: _Transient | None = None
    for attempt in range(limits.retries):
        if attempt:
            wait = limits.backoff * 2 ** (attempt - 1)
            if last is not None and last.wait is not None:
                if last.wait > min(MAX_RETRY_AFTER_S, limits.ends - time.monotonic()):
                    raise UserError(f"{label or url}: the server asks to retry after {last.wait:g} s, beyond "
                                    "the download's deadline; try again later")
                wait = max(wait, last.wait)
            if say:
                say(f"  retrying {label or url} ({attempt + 1}/{limits.retries}) after: {last}")
            time.sleep(min(wait, max(0.0, limits.ends - time.monotonic())))
        try:
            return _fetch_once(url, dest, limits, max_bytes)
        except _Transient as exc:
            last = exc
            dest.unlink(missing_ok=True)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    assert last is not None
    if last.unreachable:
        raise NetworkUnavailable(f"no network: {last}")
    raise UserError(f"download failed after {limits.retries} attempts: {last}")
