"""Fetch a published release, verify it against the digest this package pins, and cache it.

The release lands in the per-user cache ($ACCELATLAS_CACHE, else $XDG_CACHE_HOME/accelatlas, else
~/.cache/accelatlas; one folder per version) or in --dest. Its `accel-manifest.json` must have the
SHA-256 this package pins for the version (or --manifest-sha256); every file must match the
manifest. A verified cached copy is used without the network. A version that cannot be had is
an error (exit 2; 3 when there is no network at all), unless --fallback-local, which prints this
installation's own dataset folder instead and says so. The folder used is printed on stdout.

examples:
  accel download                                   the release matching this harness's version
  accel download --version 0.2.0
  accel download --version 0.2.0 --offline         cache only, never the network
  accel download --base-url http://mirror.example/accelatlas/v{version}/ --dest /data/accelatlas \\
      --manifest-sha256 <digest from the release notes>
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
    parser.add_argument("--manifest-sha256", metavar="HEX",
                        help="trust this digest of the release's accel-manifest.json instead of the package's pin")
    parser.add_argument("--offline", action="store_true", default=None,
                        help="use only the cache; never touch the network (also $ACCELATLAS_OFFLINE=1)")
    parser.add_argument("--fallback-local", action="store_true",
                        help="when the release cannot be had, use this installation's dataset instead (said on stderr)")
    parser.add_argument("--strict", action="store_true", help="(the default) fail when the release cannot be had")
    parser.add_argument("--force", action="store_true", help="download again even if a verified copy is cached")
    parser.add_argument("--retries", type=int, default=None, help="attempts per file, 1-10 (default: 3)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per network operation (default: 30)")
    parser.add_argument("--deadline", type=float, default=None, help="seconds for the whole download (default: 600)")
    parser.add_argument("--allow-redirects", action="store_true",
                        help="follow redirects to other hosts (same-host redirects are always followed)")


def run(args) -> int:
    from harness.errors import UserError
    from harness.release.download import ensure_release

    if args.strict and args.fallback_local:
        raise UserError("--strict and --fallback-local contradict each other")
    path = ensure_release(args.version, base=args.base_url, dest=args.dest, offline=args.offline,
                          fallback=args.fallback_local, manifest_sha256=args.manifest_sha256,
                          retries=args.retries, timeout=args.timeout, deadline=args.deadline,
                          allow_redirects=args.allow_redirects, force=args.force)
    print(path)
    return 0
