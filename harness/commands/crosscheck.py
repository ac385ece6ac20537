"""Cross-check our values against another dataset (Epoch AI's ML hardware CSV); report, never edit.

Names map through the reviewed specs/crosscheck/epoch-names.yaml plus exact matches with our aliases;
units are converted to ours. Each (SKU, field) is reported as agree (within --tolerance), differ (both
values with our source URL and tier), only-theirs or only-ours. Epoch is never a source: no spec file
is changed.

examples:
  accel crosscheck epoch                  the copy of Epoch AI's table in specs/upstream/epoch/
  accel crosscheck epoch ml_hardware.csv --format csv > crosscheck.csv
  accel crosscheck epoch ml_hardware.csv --tolerance 0.01
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness import paths
from harness.views import formats

EPOCH_CSV = paths.UPSTREAM / "epoch" / "epoch_ml_hardware_2025-12-24.csv"

DATASETS = ("epoch",)


def configure(parser):
    parser.add_argument("dataset_name", metavar="DATASET", help="which reference dataset: epoch")
    parser.add_argument("file", metavar="FILE", type=Path, nargs="?", default=EPOCH_CSV,
                        help="the reference CSV (default: the copy in specs/upstream/epoch/)")
    formats.add_option(parser, "plain", "csv", command="accel crosscheck")
    parser.add_argument("--tolerance", type=float, default=0.05,
                        help="relative difference still counted as agreement (default: 0.05)")
    parser.add_argument("--dataset", type=Path, default=paths.DATASET,
                        help="our built tables (default: results/dataset)")
    parser.add_argument("--mapping", type=Path, help="name mapping (default: specs/crosscheck/epoch-names.yaml)")
    parser.add_argument("--explained", type=Path,
                        help="reviewed differences (default: specs/crosscheck/epoch-explained.yaml)")


def run(args) -> int:
    from harness.errors import UserError
    from harness.problems import did_you_mean
    from harness.release.crosscheck import crosscheck, to_csv, to_plain

    if args.dataset_name not in DATASETS:
        raise UserError(f"unknown reference dataset '{args.dataset_name}'{did_you_mean(args.dataset_name, DATASETS)}; "
                        f"known: {', '.join(DATASETS)}")
    report = crosscheck(args.file, dataset=args.dataset, mapping=args.mapping, tolerance=args.tolerance,
                        explained=args.explained)
    sys.stdout.write(to_csv(report) if args.format == "csv" else to_plain(report, args.tolerance))
    return 0
