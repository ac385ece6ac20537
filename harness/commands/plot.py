"""Draw a figure from the dataset: roofline, peak throughput per precision, or a timeline.

roofline: dense BF16 TFLOPS against memory bandwidth (log-log) with each ridge point;
peaks: bars per precision (log scale); timeline: announcement and release dates.
With no IDs every accelerator is drawn. Parts with an unknown input are left out and named on the
figure. Needs matplotlib (`pip install -e ".[plot]"`); the format follows --out (.png or .svg).

examples:
  accel plot roofline h100-sxm5 h20 b200 ascend-910c --out roofline.png
  accel plot peaks h100 b200 mi355x gaudi3 --out peaks.svg
  accel plot timeline --out timeline.png
"""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = ("png", "svg")


def configure(parser):
    parser.add_argument("kind", metavar="KIND", help="roofline, peaks or timeline")
    parser.add_argument("accelerators", nargs="*", metavar="ID", help="accelerators to draw (default: all)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.png or FILE.svg")
    parser.add_argument("--results", type=Path, metavar="DIR", help="read the dataset from DIR")


def run(args) -> int:
    from harness.errors import UserError
    from harness.problems import did_you_mean
    from harness.views.plots import kinds

    known = kinds()  # a plot kind is a module of harness/views/plots/
    if args.kind not in known:
        raise UserError(f"unknown plot '{args.kind}'{did_you_mean(args.kind, known)}; use one of {', '.join(known)}")
    ext = args.out.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise UserError(f"--out must end in .png or .svg, not '{args.out.name}'")
    try:
        import matplotlib  # noqa: F401
    except ModuleNotFoundError:
        raise UserError('plots need matplotlib: pip install -e ".[plot]"') from None
    from harness.resolve import Resolver
    from harness.views.data import Atlas
    from harness.views.output import write_atomic
    from harness.views.plots import draw

    atlas = Atlas(args.results)
    ids = Resolver(atlas.acc).resolve_many(args.accelerators) if args.accelerators else sorted(atlas.by_id)
    fig, left_out = draw(args.kind, atlas, ids)
    write_atomic(args.out, lambda fh: fig.savefig(fh, format=ext, dpi=150), binary=True)
    print(f"wrote {args.out}" + (f"; left out: {'; '.join(left_out)}" if left_out else ""), file=sys.stderr)
    return 0
