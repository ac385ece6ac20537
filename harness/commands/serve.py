"""Serve a built site on http://127.0.0.1:PORT/ until Ctrl-C (or for --for seconds).

Only the loopback address listens; only files inside DIR are served (no listings, nothing
reached through a link out of it). The site itself needs no server: this is for browsers that
limit what pages opened from file:// may do, and for a quick look.

examples:
  accel site --out site && accel serve site
  accel serve site --port 8765 --open
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def configure(parser):
    parser.add_argument("folder", nargs="?", type=Path, default=Path("site"), metavar="DIR",
                        help="the built site (default: ./site)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free one)")
    parser.add_argument("--for", dest="seconds", type=float, metavar="SECONDS",
                        help="stop after this many seconds (default: run until Ctrl-C)")
    parser.add_argument("--open", action="store_true", help="open the site in the default web browser")
    parser.add_argument("--log", action="store_true", help="log each request on stderr")


def run(args) -> int:
    from harness.errors import UserError
    from harness.site import server

    if not 0 <= args.port <= 65535:
        raise UserError(f"--port {args.port}: use 0 to 65535")
    if args.seconds is not None and args.seconds <= 0:
        raise UserError("--for needs a positive number of seconds")
    srv = server.start(args.folder, args.port, quiet=not args.log)
    url = server.url(srv)
    print(f"serving {args.folder} at {url} (Ctrl-C stops it"
          + (f"; stops by itself after {args.seconds:g} s)" if args.seconds else ")"), file=sys.stderr, flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(url)
    try:
        deadline = time.monotonic() + args.seconds if args.seconds else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic())))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.stop(srv)
    return 0
