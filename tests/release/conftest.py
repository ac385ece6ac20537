"""Fixtures for release tests: a small release made by `accel release`, and a real HTTP server on
127.0.0.1 that serves it, with switchable misbehaviour (404, corruption, truncation, 5xx)."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT

DATASET = ROOT / "results" / "dataset"
VERSION = "0.1.0"


def make_source(dst: Path) -> Path:
    """A copy of the four dataset tables (the readiness tables are big and not needed here)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("accelerators", "spec_values", "sources", "claims"):
        shutil.copy(DATASET / f"{name}.parquet", dst / f"{name}.parquet")
    return dst


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """A release of the committed dataset, made once per session through the CLI; treat as read-only."""
    from harness.cli import main

    base = tmp_path_factory.mktemp("release")
    src = make_source(base / "src")
    out = base / VERSION
    assert main(["release", "--version", VERSION, "--out", str(out), "--from", str(src), "--date", "2026-12-01"]) == 0
    return out


class _Handler(BaseHTTPRequestHandler):
    """Serves ``srv.root`` under /v<version>/, misbehaving per file as ``srv.behaviour`` says."""

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        srv: Server = self.server  # type: ignore[assignment]
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        prefix = f"/v{srv.version}/"
        name = path[len(prefix):] if path.startswith(prefix) else None
        srv.hits.append(name)
        how = srv.behaviour.get(name)
        if callable(how):
            how = how(srv.hits.count(name))
        if isinstance(how, tuple) and how[0] == "redirect":  # ("redirect", absolute URL)
            self.send_response(302)
            self.send_header("Location", how[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if isinstance(how, tuple) and how[0] == "429":  # ("429", Retry-After value)
            self.send_response(429)
            self.send_header("Retry-After", how[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = srv.root / name if name else None
        if name is None or how == "404" or not (name in srv.bodies or (file and file.is_file())):
            self.send_error(404)
            return
        if how in ("500", "503"):
            self.send_error(int(how))
            return
        body = srv.bodies[name] if name in srv.bodies else file.read_bytes()
        if how == "corrupt":
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        if how == "endless":  # no Content-Length, bytes until the client gives up
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except OSError:
                return
        if how == "slowheaders":  # the status line, then one header byte per 0.2 s, forever
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(600):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
            return
        if how == "trickle":  # one byte per 0.2 s: each read is quick, the whole never ends in time
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for b in body:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                return
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if how == "truncate" else body)
        self.close_connection = True  # a truncated body ends with the connection closing


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, version: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root, self.version = Path(root), version
        self.hits: list[str | None] = []
        # file name -> "404" | "500" | "503" | "corrupt" | "truncate" | "endless" | "trickle" | "slowheaders" |
        # ("redirect", url) | ("429", retry-after) | f(nth hit) -> one of these
        self.behaviour: dict = {}
        self.bodies: dict[str, bytes] = {}  # file name -> bytes served instead of the file

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v{{version}}/"

    def url_of(self, name: str) -> str:
        return self.base_url.replace("{version}", self.version) + name


def _serve(root, version):
    srv = Server(root, version)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    t.start()
    return srv


@pytest.fixture
def server(release):
    srv = _serve(release, VERSION)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def other_server(release):
    """A second server on another loopback port (a cross-host redirect target)."""
    srv = _serve(release, VERSION)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def dead_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/v{{version}}/"


def manifest_digest(release_dir: Path) -> str:
    from harness.checksums import sha256_file
    from harness.manifest import NAME

    return sha256_file(Path(release_dir) / NAME)


@pytest.fixture
def pins(tmp_path, monkeypatch, release) -> Path:
    """This package's pins, as a release workflow would write them: the test release's digest."""
    import harness.release.download as dl

    p = tmp_path / "release_pins.json"
    p.write_text(json.dumps({VERSION: manifest_digest(release)}))
    monkeypatch.setattr(dl, "PINS", p)
    return p


@pytest.fixture
def cache(tmp_path, monkeypatch, pins) -> Path:
    """An empty per-user cache, the test release pinned, fast retries, no stray environment."""
    import harness.release.fetch as fetch

    root = tmp_path / "cache"
    monkeypatch.setenv("ACCELATLAS_CACHE", str(root))
    monkeypatch.delenv("ACCELATLAS_BASE_URL", raising=False)
    monkeypatch.delenv("ACCELATLAS_OFFLINE", raising=False)
    monkeypatch.setattr(fetch, "BACKOFF_S", 0.0)
    monkeypatch.setattr(fetch, "TIMEOUT_S", 5.0)
    return root
