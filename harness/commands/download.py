"""Fetch a published release, verify every file against its SHA256SUMS, and cache it.

The release lands in the per-user cache ($ACCELATLAS_CACHE, else $XDG_CACHE_HOME/accelatlas, else
~/.cache/accelatlas; one folder per version) or in --dest. A verified cached copy is used without
the network. A corrupted or truncated file is rejected and removed; nothing partial is cached.
With no network the command says so in one line and falls back to the dataset embedded in this
checkout (results/dataset), unless --strict. The directory used is printed on stdout.

examples:
  accel download                                   the release matching this harness's version
  accel download --version 0.2.0
  accel download --version 0.2.0 --offline         cache only, never the network
  accel download --base-url http://mirror.example/accelatlas/v{version}/ --dest /data/accelatlas
  python -c "from harness import load; print(load('accelerators', version='0.2.0'))"
"""

from __future__ import annotations

from pathlib import Path

from harness import __version__


def configure(parser):
    parser.add_argument("--version", default=__version__, help=f"release version (default: {__version__})")
    parser.add_argument("--base-url", help="where releases are published; {version} is filled in "
                        "(default: $ACCELATLAS_BASE_URL or the GitHub release)")
    parser.add_argument("--dest", type=Path, help="put the release here instead of the per-user cache")
    parser.add_argument("--offline", action="store_true", help="use only the cache; never touch the network")
    parser.add_argument("--strict", action="store_true", help="fail instead of falling back to the embedded dataset")
    parser.add_argument("--force", action="store_true", help="download again even if a verified copy is cached")
    parser.add_argument("--retries", type=int, default=None, help="attempts per file (default: 3)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per network operation (default: 30)")


def run(args) -> int:
    from harness.download import ensure_release
    from harness.errors import UserError

    if args.retries is not None and args.retries < 1:
        raise UserError("--retries must be at least 1")
    if args.timeout is not None and not 0 < args.timeout < float("inf"):
        raise UserError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")
    path = ensure_release(args.version, base=args.base_url, dest=args.dest, offline=args.offline,
                          fallback=not args.strict, retries=args.retries, timeout=args.timeout, force=args.force)
    print(path)
    return 0
