"""Compare accelerators side by side, every value marked with its tier and source.

Fields are rows and accelerators are columns; with --baseline each numeric row is followed by a
row of ratios to the baseline (blank where either value is unknown, undisclosed or unsupported).
Markers: † reported, ~ estimated, * dense derived from a sparse figure, ‡ disputed, ? unknown,
n/d not disclosed, n/s not supported; the cited sources are listed under the table. csv and json
carry raw numbers and states without markers. Names may be ids, id tails, names or aliases.

examples:
  accel compare h100-sxm5 h20 b200 kunlun-p800 zhenwu-810e ascend-910c --baseline h100-sxm5
  accel compare h100 "昆仑芯 P800" --preset precision --format github
  accel compare h100 h20 --fields bf16_tflops,memory_bandwidth_tbps,tdp_w --format csv --out cmp.csv
  accel compare h20 b30a ascend-910c --preset export
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness.views import formats


def configure(parser):
    parser.add_argument("accelerators", nargs="+", metavar="ID", help="accelerator ids, names or aliases")
    parser.add_argument("--baseline", metavar="ID", help="add ratio rows against this accelerator")
    parser.add_argument("--fields", metavar="F1,F2", help="columns to show (see `accel show ID`)")
    parser.add_argument("--preset", metavar="NAME", help="overview (default), memory, precision, export")
    formats.add_option(parser, *formats.FORMATS, default=None, command="accel compare")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--results", type=Path, metavar="DIR", help="read the dataset from DIR")


def run(args) -> int:
    from harness.resolve import Resolver
    from harness.views import fields as F
    from harness.views.data import Atlas
    from harness.views.table import Comparison, format_for

    fmt = format_for(args.format, args.out)
    atlas = Atlas(args.results)
    resolver = Resolver(atlas.acc)
    ids = resolver.resolve_many(args.accelerators)
    baseline = resolver.resolve(args.baseline) if args.baseline else None
    if baseline and baseline not in ids:
        ids.insert(0, baseline)
    rows = F.select(atlas.columns, fields=args.fields, preset=args.preset)
    text = Comparison(atlas, ids, rows, baseline).render(fmt)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    from harness.views.output import write_atomic

    write_atomic(args.out, lambda fh: fh.write(text))
    print(f"wrote {args.out} ({fmt})", file=sys.stderr)
    return 0
