"""Serve a built site on 127.0.0.1 (`accel serve`): the standard library's http.server, bounded.

Bounded means: it listens on the loopback address only, serves files from the site folder and
nothing above it (no symlink out, no directory listings), answers only GET and HEAD, logs
nothing unless asked, and stops on Ctrl-C or after ``--for`` seconds. `start` returns a running
server for tests and scripts, which must call `stop`; the command itself runs in the foreground.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

from harness.errors import UserError

HOST = "127.0.0.1"


class Handler(http.server.SimpleHTTPRequestHandler):
    quiet = True

    def list_directory(self, path):  # no listings: a folder without index.html is a 404
        self.send_error(404, "not found")
        return None

    def send_head(self):
        root = os.path.realpath(self.directory)
        real = os.path.realpath(self.translate_path(self.path))
        if real != root and not real.startswith(root + os.sep):  # reached through a link out of the site
            self.send_error(404, "not found")
            return None
        return super().send_head()

    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if not self.quiet:
            super().log_message(format, *args)


def check_site(folder: Path) -> Path:
    folder = Path(folder)
    if not (folder / "index.html").is_file():
        raise UserError(f"{folder} is not a built site (no index.html): write one with `accel site --out {folder}`")
    return folder.resolve()


def start(folder: Path, port: int = 0, *, quiet: bool = True) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` on 127.0.0.1:``port`` (0: any free port), running in a thread."""
    folder = check_site(folder)
    handler = functools.partial(type("SiteHandler", (Handler,), {"quiet": quiet}), directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise UserError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="accel-serve", daemon=True).start()
    return server


def stop(server: http.server.ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


def url(server) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"
