"""list the stored probe and bench runs, or sum one up: pass rates, fraction of peak

Without run ids, one line per run under the results root (results/ unless --root), oldest first.
With run ids (a unique prefix will do), --latest or --summary, each run's summary: for a probe
run the count of each outcome per dtype, the pass rate and the ops probed with a valid input
(neither no-sample, reference-failed nor no-reference: the harness's share, not the device's);
for a bench run the best measurement per kernel and precision over the sizes swept, beside the
datasheet peak.

examples:
  accel runs                                  every stored run
  accel runs --latest --kind probe            the newest probe run of each stack
  accel runs --stack rocm                     the runs filed under ROCm
  accel runs 20261128T2127                    one run's summary
  accel runs --root /tmp/store --summary --format json
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.errors import UserError
from harness.views import formats


def configure(parser):
    parser.add_argument("run_ids", nargs="*", metavar="RUN_ID", help="runs to sum up (unique prefixes)")
    parser.add_argument("--root", type=Path, default=None, help="folder holding probes/ and bench/ (default: results/)")
    parser.add_argument("--kind", choices=["probe", "bench"], help="only probe or only bench runs")
    parser.add_argument("--device-type", metavar="TYPE", help="only runs on this device type (cpu, cuda, meta, ...)")
    parser.add_argument("--stack", metavar="ID",
                        help="only runs filed under this software stack (cuda, rocm, cann, ...)")
    parser.add_argument("--latest", action="store_true", help="sum up the newest run of each kind and stack")
    parser.add_argument("--summary", action="store_true", help="sum up every selected run")
    formats.add_option(parser, "plain", "github", "json", command="accel runs")


def _pct(x) -> str:
    return "-" if x is None else f"{x:.1%}"


def _num(x, spec: str = ".4g") -> str:
    return "-" if x is None else format(x, spec)


def render_summary(item: dict, fmt: str) -> str:
    from tabulate import tabulate

    from harness.views import runs as runsummary

    run, rows = item["run"], item["summary"]
    sha = (run.get("git_sha") or "")[:7] or "unknown"
    name = str(run.get("device_name") or "")
    device = name if name.startswith(run["device_type"]) else f"{run['device_type']} ({name})"
    if run.get("stack_id") and run["stack_id"] != run["device_type"]:
        device += f", stack {run['stack_id']}"
    head = (f"{run['kind']} run {run['run_id']}: {device}; "
            f"torch {run.get('torch_version')}; {run.get('status')}; {run.get('start_time')} to "
            f"{run.get('end_time')}; git {sha}; {run['rows']} rows")
    tablefmt = "github" if fmt == "github" else "simple"
    if run["kind"] == "probe":
        names = runsummary.outcomes()
        body = tabulate([[r["dtype"], *(r[o] for o in names), r["total"], _pct(r["pass_rate"]),
                          f"{r['n_valid_input']}/{r['total']} ({_pct(r['valid_input_share'])})"] for r in rows],
                        headers=["dtype", *names, "total", "pass rate", "valid inputs"], tablefmt=tablefmt)
    else:
        peak = run.get("peak_accelerator_id")
        head += f"; peaks of {peak}" if peak else f"; peaks unknown ({run.get('peak_note')})"
        body = tabulate([[r["suite"], r["kernel"], r["precision"], runsummary.size_label(r["suite"], r["size"]),
                          f"{_num(r['measured'])} {r['unit']}" if r["outcome"] == "ok" else r["outcome"],
                          _num(r["peak"]), _pct(r["fraction_of_peak"])] for r in rows],
                        headers=["suite", "kernel", "precision", "best at size", "measured", "peak", "of peak"],
                        tablefmt=tablefmt)
    return f"{head}\n{body}" if rows else f"{head}\n(no rows)"


def render_list(runs: list[dict], fmt: str) -> str:
    from tabulate import tabulate

    return tabulate([[r["kind"], r["stack_id"], r["device_type"], r.get("device_name"), r["run_id"], r.get("status"),
                      r.get("torch_version"), r.get("start_time")] for r in runs],
                    headers=["kind", "stack", "device", "device name", "run id", "status", "torch", "started"],
                    tablefmt="github" if fmt == "github" else "simple")


def run(args) -> int:
    from harness import paths
    from harness.views import runs as runsummary

    root = args.root or paths.RESULTS
    if not root.is_dir():
        raise UserError(f"{root}: no such folder")
    runs = runsummary.list_runs(root, args.kind, args.device_type, args.stack)
    if args.run_ids:
        chosen = runsummary.select(runs, args.run_ids)
    elif args.latest:
        newest = {(r["kind"], r["stack_id"]): r for r in runs}
        chosen = list(newest.values())
    elif args.summary:
        chosen = runs
    else:
        if args.format == "json":
            print(json.dumps([{k: v for k, v in r.items() if k != "options"} for r in runs], indent=2))
        elif runs:
            print(render_list(runs, args.format))
        else:
            print(f"no runs under {root}")
        return 0
    items = [runsummary.summary(r) for r in chosen]
    if args.format == "json":
        print(json.dumps(items, indent=2, default=str))
    else:
        print("\n\n".join(render_summary(i, args.format) for i in items) or f"no runs under {root}")
    return 0
