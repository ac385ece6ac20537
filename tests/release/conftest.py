"""Fixtures for release tests: a small release made by `accel release`, and a real HTTP server on
127.0.0.1 that serves it, with switchable misbehaviour (404, corruption, truncation, 5xx)."""

from __future__ import annotations

import shutil
import threading
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
        file = srv.root / name if name else None
        if name is None or how == "404" or not (file and file.is_file()):
            self.send_error(404)
            return
        if how == "500":
            self.send_error(500)
            return
        body = srv.bodies.get(name, file.read_bytes())
        if how == "corrupt":
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        length = len(body) + (1000 if how == "truncate" else 0)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True  # a truncated body ends with the connection closing


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, version: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root, self.version = Path(root), version
        self.hits: list[str | None] = []
        self.behaviour: dict = {}  # file name -> "404" | "500" | "corrupt" | "truncate" | f(nth hit) -> same
        self.bodies: dict[str, bytes] = {}  # file name -> bytes served instead of the file

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v{{version}}/"


@pytest.fixture
def server(release):
    srv = Server(release, VERSION)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    t.start()
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


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty per-user cache, with fast retries and no stray base URL from the environment."""
    import harness.download as dl

    root = tmp_path / "cache"
    monkeypatch.setenv("ACCELATLAS_CACHE", str(root))
    monkeypatch.delenv("ACCELATLAS_BASE_URL", raising=False)
    monkeypatch.delenv("ACCELATLAS_OFFLINE", raising=False)
    monkeypatch.setattr(dl, "BACKOFF_S", 0.0)
    monkeypatch.setattr(dl, "TIMEOUT_S", 5.0)
    return root
