"""List the accelerators in the dataset, optionally filtered by vendor, market or status.

Filters are case-insensitive and combine (all must hold); a value that matches nothing the
dataset knows is an error with a did-you-mean, so a typo never reads as "no such parts".

examples:
  accel list
  accel list --market china-specific
  accel list --vendor nvidia --status shipping --format github
  accel list --format csv > accelerators.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

from harness.views import formats

FORMATS = ("plain", "github", "csv", "json")
COLUMNS = ("accelerator_id", "name", "vendor", "market", "status", "announced_date", "released_date", "tier_summary")
HEADERS = ("id", "name", "vendor", "market", "status", "announced", "released", "known values per tier")


def configure(parser):
    parser.add_argument("--vendor", metavar="V", help="vendor slug, e.g. nvidia, huawei, baidu")
    parser.add_argument("--market", metavar="M", help="global or china-specific")
    parser.add_argument("--status", metavar="S", help="shipping, announced, reported, discontinued, cancelled")
    formats.add_option(parser, *FORMATS, command="accel list")
    parser.add_argument("--results", type=Path, metavar="DIR", help="read the dataset from DIR")


def _filter(rows: list[dict], everything: list[dict], column: str, wanted: str | None) -> list[dict]:
    """Rows whose ``column`` equals ``wanted`` (case-insensitive); a value unknown to the whole
    dataset is an error, so a typo never reads as "no such parts"."""
    if not wanted:
        return rows
    from harness.errors import UserError
    from harness.problems import did_you_mean

    known = sorted({str(r[column]) for r in everything if r[column]})
    prefixed = [k for k in known if k.casefold().startswith(wanted.casefold())]
    if len(prefixed) == 1:  # "china" -> china-specific
        wanted = prefixed[0]
    if wanted.casefold() not in {k.casefold() for k in known}:
        raise UserError(f"no {column} '{wanted}'{did_you_mean(wanted.casefold(), known)}; known: {', '.join(known)}")
    return [r for r in rows if str(r[column] or "").casefold() == wanted.casefold()]


def run(args) -> int:
    from harness.dataset.read import load_table
    from harness.views.data import clean

    acc = load_table("accelerators", results_dir=args.results, require=COLUMNS)
    everything = [{c: clean(r[c]) for c in COLUMNS} for r in acc.to_dict("records")]
    rows = everything
    for column, wanted in (("vendor", args.vendor), ("market", args.market), ("status", args.status)):
        rows = _filter(rows, everything, column, wanted)
    if not rows:
        print("no accelerator matches these filters", file=sys.stderr)
        if args.format in ("plain", "github"):
            return 0
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        import csv

        from harness.safetext import csv_cell

        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({k: "" if v is None else csv_cell(v) for k, v in r.items()} for r in rows)
    else:
        from tabulate import tabulate

        table = [["" if r[c] is None else r[c] for c in COLUMNS] for r in rows]
        print(tabulate(table, HEADERS, tablefmt="simple" if args.format == "plain" else "github",
                       disable_numparse=True))
        if args.format == "plain":
            print(f"\n{len(rows)} accelerator(s); `accel show ID` gives every value with its source")
    return 0
