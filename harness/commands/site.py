"""Generate the web explorer: a static site of the built tables (no server needed).

Pages: index (every SKU: filter, sort, search, choose columns; every value's source on hover),
one page per SKU (values with sources, locators, alternatives and claims; derived metrics with
their inputs; the readiness scorecard; its row as JSON and CSV), compare (2 to 8 SKUs and a
baseline, as `accel compare`; the selection is in the link), readiness (per stack, CUDA first),
plots (roofline, peaks, timeline as SVG) and downloads (the tables with sizes and SHA-256, how to
cite, the licences). It works from file://, from `accel serve` and on GitHub Pages.

DIR is written whole or not at all, and replaced only if accel wrote it as a site before.

examples:
  accel site --out site
  accel serve site
  accel site --out /tmp/atlas-site --results dist/0.2.0
"""

from __future__ import annotations

import sys
from pathlib import Path


def configure(parser):
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the site into")
    parser.add_argument("--results", type=Path, metavar="DIR", help="read the dataset from DIR")
    parser.add_argument("--coverage-dir", type=Path, metavar="DIR",
                        help="readiness tables (default: the results folder's coverage tables)")


def run(args) -> int:
    from harness.errors import UserError
    from harness.site import build

    if args.coverage_dir is not None and not args.coverage_dir.is_dir():
        raise UserError(f"--coverage-dir: {args.coverage_dir} is not a folder")
    report = build(args.out, results_dir=args.results, coverage_dir=args.coverage_dir)
    raw, packed = report["index_weight"]
    print(f"wrote {args.out}: {report['pages']} pages ({report['skus']} SKUs), {report['files']} files, "
          f"{report['bytes'] / 1e6:.1f} MB in {report['seconds']:.1f} s; index page with its CSS and JS: "
          f"{raw / 1e3:.0f} kB, {packed / 1e3:.0f} kB gzipped", file=sys.stderr)
    print(f"open {Path(args.out) / 'index.html'} or run: accel serve {args.out}", file=sys.stderr)
    return 0
