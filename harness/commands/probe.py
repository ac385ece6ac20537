"""run the reference ATen ops on a local device: pass, mismatch, crash, ...

Each op of the reference set runs on the device with sample inputs, per dtype, and is compared
with the same op on the CPU in float64. Outcomes: pass, mismatch, unsupported, error, crash,
timeout; and the harness's own failures, never the device's: no-sample, reference-failed,
no-reference. Each op runs on several samples where torch's OpInfo database has them (cached per
torch version), else on the schema-driven one. Ops run in a worker process: a crash or hang
costs one op, the worker restarts and the run goes on. Results are appended to results/probes/
(a log, then Parquet, partitioned by software stack and run id: a ROCm run files under rocm) as
they come; --resume continues a killed run. The exit status is 0 when the run completed,
whatever the outcomes.

examples:
  accel probe --device cpu --dtypes float32          the sanity baseline
  accel probe --device meta                          which ops have shape functions
  accel probe --device cuda --ops 'conv*,*pool*' --timeout 30
  accel probe --device npu --import torch_npu --set cuda-backed
  accel probe --device cpu --resume 20260101T120000Z-1a2b3c
  accel probe --device cuda --stack ppu-sdk          a CUDA-compatible stack, filed under its own name
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import UserError

DEFAULT_DTYPES = "float32,bfloat16,float16"


def configure(parser):
    parser.add_argument("--device", required=True,
                        help="cpu, cuda, xpu, npu, mps, meta, or a PrivateUse1 backend's name (TYPE[:N])")
    parser.add_argument("--stack", metavar="ID",
                        help="file the run under this software stack (specs/stacks/<ID>.yaml) instead of the "
                             "detected one: for stacks whose torch build presents as cuda (ppu-sdk, maca, dtk)")
    parser.add_argument("--set", default="core", dest="op_set", metavar="SET",
                        help="reference op set: core (ops tagged core) or cuda-backed (default: core)")
    parser.add_argument("--dtypes", default=DEFAULT_DTYPES, help=f"comma-separated (default: {DEFAULT_DTYPES})")
    parser.add_argument("--samples", choices=["opinfo", "schema"], default="opinfo",
                        help="opinfo: torch's OpInfo sample inputs where they exist, several per op (default); "
                             "schema: the built-in records and the schema-driven generator only, one per op")
    parser.add_argument("--ops", metavar="PATTERN", help="comma-separated globs: add, add.Tensor, '*pool*'")
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="seconds one (op, dtype) may take before it counts as a hang (default: 60, "
                             "or the resumed run's)")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default: results/probes/)")
    parser.add_argument("--resume", metavar="RUN_ID", help="continue a run: skip the (op, dtype) pairs it has")
    parser.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                        help="import a module or .py file first, here and in the worker (a backend plugin, "
                             "extra op records); repeatable")
    parser.add_argument("--list", action="store_true", help="print the selected ops and exit")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def parse_dtypes(text: str) -> list[str]:
    import torch

    from harness.dataset.fieldinfo import torch_dtype
    from harness.problems import did_you_mean

    names = []
    for raw in (t.strip() for t in text.split(",")):
        if not raw:
            continue
        name = torch_dtype(raw) or raw  # bf16 -> bfloat16, half -> float16 (the registry's spellings)
        if not isinstance(getattr(torch, name, None), torch.dtype):
            known = sorted(n for n in dir(torch) if isinstance(getattr(torch, n, None), torch.dtype))
            raise UserError(f"--dtypes: '{raw}' is not a torch dtype{did_you_mean(raw, known)}")
        names.append(name)
    if not names:
        raise UserError("--dtypes: no dtype given")
    return list(dict.fromkeys(names))


def check_stack(stack: str) -> str:
    """A stack id named by --stack: one of specs/stacks/*.yaml or of the device table's stacks."""
    from harness import paths
    from harness.problems import did_you_mean
    from harness.runs.device import DEVICE_STACKS

    known = sorted({p.stem for p in paths.STACK_SPECS.glob("*.yaml")} | set(DEVICE_STACKS.values()))
    if stack not in known:
        raise UserError(f"--stack: unknown stack '{stack}'{did_you_mean(stack, known)}; known: {', '.join(known)}")
    return stack


def load_plugins(imports: list[str]) -> None:
    from harness.probe.isolation import import_plugin

    for spec in imports:
        try:
            import_plugin(spec)
        except Exception as exc:  # noqa: BLE001 - any failure of a user's plugin is reported as one line
            raise UserError(f"--import {spec}: {type(exc).__name__}: {exc}") from None


def run(args) -> int:
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        raise UserError("accel probe needs torch: pip install 'accelatlas[probe]'")
    if not args.list and args.out is None:
        from harness.runs.store import default_root

        default_root("probe")  # outside a checkout: say so before seconds of torch start-up
    from harness.probe import runner

    if args.list:
        return _run(args, None)
    # the worker starts importing torch now, beside this process's own start-up (seconds on each side)
    worker = runner.Worker(args.imports)
    worker.launch_early()
    try:
        return _run(args, worker)
    finally:
        worker.close()


def _run(args, worker) -> int:
    from tabulate import tabulate

    from harness.probe import opset
    from harness.probe.runner import check_timeout, probe
    from harness.runs.device import resolve
    from harness.runs.store import default_root
    from harness.views import runs as runsummary

    check_timeout(args.timeout)
    load_plugins(args.imports)
    device = resolve(args.device)
    if args.stack:
        import dataclasses

        device = dataclasses.replace(device, stack=check_stack(args.stack))
    root = args.out or default_root("probe")
    ops: list[str] = []
    dtypes: list[str] = []
    if not args.resume:
        ops = opset.select(opset.reference_ops(args.op_set), args.ops)
        dtypes = parse_dtypes(args.dtypes)
        if args.list:
            for op in ops:
                print(op)
            return 0
    options = {"set": args.op_set, "ops_pattern": args.ops}
    if not args.resume:
        print(f"probe: {device.torch_device} ({device.name}); {len(ops)} ops x {len(dtypes)} dtypes")
    result = probe(device, ops, dtypes, root, timeout=args.timeout, imports=args.imports,
                   run_id=args.resume, options=options, progress=not args.no_progress, worker=worker,
                   samples=args.samples)

    outcomes = runsummary.outcomes()
    by_dtype = sorted({dt for dt, _ in result.counts})
    table = [[dt] + [result.counts.get((dt, o), 0) for o in outcomes] + [
        f"{result.counts.get((dt, 'pass'), 0) / max(1, sum(result.counts.get((dt, o), 0) for o in outcomes)):.1%}"]
        for dt in by_dtype]
    if table:
        print(tabulate(table, headers=["dtype", *outcomes, "pass rate"]))
    if result.skipped:
        print(f"skipped {result.skipped} (op, dtype) pairs already in the run")
    print(f"run {result.run_id}: {result.dir}  ({result.seconds:.1f} s)")
    print(result.overhead_summary())
    return 0
