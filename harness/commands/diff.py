"""Show value-level changes between two dataset versions, as markdown.

OLD and NEW are release directories (from `accel release`) or git revisions; for a revision the
committed results/dataset/spec_values.parquet is read with `git show`, without touching the work tree.
Reported: SKUs added and removed; per SKU and field, old -> new with the source (tier, URL) of each,
state changes (known -> undisclosed, ...) and values whose source alone changed.

examples:
  accel diff dist/0.1.0 dist/0.2.0
  accel diff HEAD~1 HEAD
  accel diff v0.1.0 results/ --out CHANGES.md
"""

from __future__ import annotations

import sys
from pathlib import Path


def configure(parser):
    parser.add_argument("old", metavar="OLD", help="release directory or git revision")
    parser.add_argument("new", metavar="NEW", help="release directory or git revision")
    parser.add_argument("--out", type=Path, help="write the markdown to this file instead of stdout")


def run(args) -> int:
    from harness.release.diff import compare, load_side, to_markdown

    d = compare(load_side(args.old), load_side(args.new))
    text = to_markdown(d)
    if args.out:
        from harness.atomic import atomic_file

        with atomic_file(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {args.out}: {d.summary_line()}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
