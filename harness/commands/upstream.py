"""The upstream files the importers read (specs/upstream/), with their provenance.

Lists each copied file or folder with its repository, commit, path and licence. `--check`
exits 2 when a file changed, vanished or is unlisted; `--rehash` recomputes the recorded SHA-256
after a deliberate update of a copy (then review the diff).

examples:
  accel upstream
  accel upstream --check
  accel upstream --rehash
"""

from __future__ import annotations

import sys


def configure(parser):
    parser.add_argument("--check", action="store_true", help="exit 2 if the files differ from PROVENANCE.yaml")
    parser.add_argument("--rehash", action="store_true", help="rewrite the sha256 records from the files")


def run(args) -> int:
    from harness import paths

    paths.need_checkout("accel upstream")
    from tabulate import tabulate

    from harness import upstream
    from harness.errors import UserError

    if args.rehash:
        n = upstream.rehash()
        print(f"recorded the sha256 of {n} files", file=sys.stderr)
    problems = upstream.check()
    if args.check or args.rehash:
        if problems:
            raise UserError("specs/upstream/ differs from PROVENANCE.yaml:\n  " + "\n  ".join(problems[:50]))
        return 0
    rows = [[r.local, r.repo or "", (r.commit or "")[:12], r.date or "", r.licence or "not read",
             len(upstream.files_of(r))] for r in upstream.load().values()]
    print(tabulate(rows, ["local", "repository", "commit", "date", "licence", "files"], disable_numparse=True))
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    return 0
