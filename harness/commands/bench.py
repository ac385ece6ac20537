"""GEMM and memory-bandwidth micro-benchmarks beside the datasheet peak

GEMM over a sweep of square sizes per precision (fp32, tf32 where TF32 exists, bf16, fp16, fp8
where the backend has it); memory bandwidth as copy (bytes read + written) and triad. Timing:
warm-up, device synchronisation or events around the timed region, median of repeats, fresh
random inputs, buffers rotated beyond the cache. Each result is shown as a fraction of the
detected device's datasheet peak from the accelerators table (device name -> accelerator id
through harness.resolve; --as overrides and takes any name `accel show` takes). Results are
written to results/bench/ (Parquet, partitioned by device type and run id).

examples:
  accel bench --device cpu
  accel bench --device cuda --suite gemm --dtypes bf16,fp8 --gemm-sizes 4096,8192
  accel bench --device cuda --as h200 --format json
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import UserError
from harness.views import formats


def configure(parser):
    parser.add_argument("--device", required=True, help="cpu, cuda, xpu, npu, mps, or a PrivateUse1 backend (TYPE[:N])")
    parser.add_argument("--suite", default="gemm,bandwidth", help="comma-separated: gemm, bandwidth (default: both)")
    parser.add_argument("--dtypes", default="fp32,tf32,bf16,fp16,fp8",
                        help="GEMM precisions: fp64, fp32, tf32, bf16, fp16, fp8 (default: all but fp64)")
    from harness.bench import suites

    for name in suites.names():  # each suite's size option, as the suite declares it
        flag, metavar, help_, _ = suites.load(name).SIZE_OPTION
        parser.add_argument(flag, metavar=metavar, dest=f"sizes_{name}", help=help_)
    parser.add_argument("--repeats", type=int, default=10, help="timed repeats per case (default: 10)")
    parser.add_argument("--as", dest="as_id", metavar="ID",
                        help="compare with this accelerator's peaks: an id or a name as `accel show` takes "
                             "(e.g. h200, nvidia/h200-sxm)")
    formats.add_option(parser, "plain", "json", command="accel bench")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default: results/bench/)")


# The largest size each flag takes: far beyond any device's memory already, and small enough that
# every count a row holds (2 n^3 FLOP, bytes moved) fits the table's 64-bit integers.
MAX_SIZE = {"--gemm-sizes": (1 << 16, "a 65536 x 65536 fp32 matrix is 16 GiB"),
            "--bandwidth-mib": (1 << 16, "64 GiB per buffer")}


def _csv_ints(text: str | None, flag: str, scale: int = 1) -> list[int] | None:
    """Comma-separated positive sizes (``flag`` names them in messages); None when not given."""
    if text is None:
        return None
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise UserError(f"{flag}: no size given")
    try:
        numbers = [float(t) for t in items]
    except ValueError:
        raise UserError(f"{flag}: expected comma-separated numbers, got '{text}'") from None
    if not all(0 < x < float("inf") for x in numbers):  # NaN fails it too
        raise UserError(f"{flag}: sizes must be positive")
    limit, why = MAX_SIZE.get(flag, (None, ""))
    too_big = [t for t, x in zip(items, numbers, strict=True) if limit and x > limit]
    if too_big:
        raise UserError(f"{flag}: {too_big[0]} is larger than the most this accepts, {limit} ({why})")
    values = [int(x * scale) for x in numbers]
    if min(values) <= 0:
        raise UserError(f"{flag}: sizes must be positive")
    return values


def parse_precisions(text: str) -> list[str]:
    from harness.bench.suites import bench_precisions
    from harness.dataset.fieldinfo import precision_of
    from harness.problems import did_you_mean

    known = bench_precisions()

    out = []
    for raw in (t.strip().lower() for t in text.split(",")):
        if not raw:
            continue
        name = raw if raw in known else (precision_of(raw) or raw)  # bfloat16 -> bf16
        if name not in known:
            raise UserError(f"--dtypes: unknown precision '{raw}'{did_you_mean(raw, known)}; "
                            f"use {', '.join(known)}")
        out.append(name)
    if not out:
        raise UserError(f"--dtypes: no precision given; use {', '.join(known)}")
    return list(dict.fromkeys(out))


def parse_suites(text: str) -> list[str]:
    from harness.bench.suites import names
    from harness.problems import did_you_mean

    known = names()
    wanted = [t.strip() for t in text.split(",") if t.strip()]
    for n in wanted:
        if n not in known:
            raise UserError(f"--suite: unknown suite '{n}'{did_you_mean(n, known)}; use {', '.join(known)}")
    if not wanted:
        raise UserError(f"--suite: no suite given; use {', '.join(known)}")
    return list(dict.fromkeys(wanted))


def _fmt(x, spec: str) -> str:
    return "-" if x is None or x != x else format(x, spec)


def render_plain(meta: dict, rows: list[dict]) -> str:
    from tabulate import tabulate

    from harness.bench import suites
    from harness.views.runs import size_label

    table = []
    for r in rows:
        gemm = suites.measures(r["bench_suite"]) == "flop"
        measured = r["measured_tflops"] if gemm else r["measured_tbps"]
        top = r["peak_tflops"] if gemm else r["peak_tbps"]
        size = size_label(r["bench_suite"], r["size"])
        table.append([r["kernel"], r["precision"], size, _fmt(r["median_ms"], ".3f"),
                      _fmt(measured, ".4g") + (" TFLOPS" if gemm else " TB/s") if measured is not None else "-",
                      _fmt(top, ".4g"), _fmt(r["fraction_of_peak"], ".1%"),
                      r["bench_outcome"] if r["bench_outcome"] == "ok" else f"{r['bench_outcome']}: {r['message']}"])
    peak = (f"peaks of {meta['peak_accelerator_id']}" if meta["peak_accelerator_id"]
            else f"peaks unknown: {meta.get('peak_note')}")
    head = f"bench: {meta['device']} ({meta['device_name']}); torch {meta['torch_version']}; {peak}"
    body = tabulate(table, headers=["kernel", "precision", "size", "median ms", "measured", "peak",
                                    "of peak", "outcome"])
    tail = f"run {meta['run_id']}: {meta['dir']}" if meta.get("dir") else ""
    return "\n".join(x for x in (head, body, tail) if x)


def run(args) -> int:
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        raise UserError("accel bench needs torch: pip install 'accelatlas[probe]'")
    if args.out is None:
        from harness.runs.store import default_root

        default_root("bench")  # outside a checkout: say so before seconds of torch start-up
    import json
    import sys

    from harness.bench.runner import bench
    from harness.runs.device import resolve
    from harness.runs.store import default_root

    suite_names = parse_suites(args.suite)
    precisions = parse_precisions(args.dtypes)
    from harness.bench import suites

    sizes = {}
    for name in suites.names():
        flag, _, _, scale = suites.load(name).SIZE_OPTION
        sizes[name] = _csv_ints(getattr(args, f"sizes_{name}"), flag, scale=scale)
    if args.repeats < 3:
        raise UserError("--repeats: at least 3 (the median of fewer says little)")
    device = resolve(args.device)
    if device.type == "meta":
        raise UserError("--device meta has no data and no time: benchmark a real device")

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr)

    meta, rows = bench(device, suite_names, precisions, args.out or default_root("bench"),
                       sizes={k: v for k, v in sizes.items() if v}, as_id=args.as_id, repeats=args.repeats,
                       progress=progress)
    if args.format == "json":
        clean = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]
        print(json.dumps({"run": meta, "results": clean}, indent=2))
    else:
        print(render_plain(meta, rows))
    return 0
