"""Write a release directory: tables as Parquet/CSV/JSON, SHA256SUMS, datapackage.json, croissant.json,
a dataset card (README.md) and CHANGES.md against the previous release.

Sizes, hashes, row counts and column descriptions are computed from the written files and the field
registry. The directory is assembled beside OUT and swapped in only when complete.

examples:
  accel release --version 0.1.0 --out dist/0.1.0
  accel release --version 0.2.0 --out dist/0.2.0 --previous dist/0.1.0
  accel release --version 0.2.0 --out dist/0.2.0 --date 2026-12-01     reproducible bytes
  accel release --version 0.2.0 --out dist/0.2.0 --pin      the workflow's step: also pin its digest
  cd dist/0.2.0 && sha256sum -c SHA256SUMS
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness import paths


def configure(parser):
    parser.add_argument("--version", required=True, help="release version, e.g. 0.2.0")
    parser.add_argument("--out", type=Path, required=True, help="release directory to write")
    parser.add_argument("--previous", type=Path, help="previous release directory, for CHANGES.md")
    parser.add_argument("--from", dest="source", type=Path, default=paths.RESULTS,
                        help="folder of built tables (default: results/, i.e. dataset/ and coverage/)")
    parser.add_argument("--date", help="release date YYYY-MM-DD (default: $SOURCE_DATE_EPOCH or today, UTC)")
    parser.add_argument("--pin", action="store_true",
                        help="record the release manifest's sha256 in harness/release/pins.json (the trust anchor "
                             "the package's downloads check; the release workflow does this before building the wheel)")


def run(args) -> int:
    from harness.errors import UserError
    from harness.release.write import make_release

    if args.previous is not None and not args.previous.is_dir():
        raise UserError(f"--previous {args.previous}: no such release directory")
    s = make_release(args.version, args.out, source=args.source, previous=args.previous, date=args.date)
    tables = ", ".join(f"{n} ({k} rows)" for n, k in s["tables"].items())
    print(f"released {s['version']} ({s['date']}) to {s['out']}: {s['files']} files; {tables}", file=sys.stderr)
    print(f"changes: {s['changes']}", file=sys.stderr)
    if args.pin:
        from harness.release.write import pin_release

        digest = pin_release(args.version, args.out)
        print(f"pinned {args.version}: accel-manifest.json sha256 {digest}", file=sys.stderr)
    return 0
