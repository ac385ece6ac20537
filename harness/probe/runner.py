"""The probe run: every (op, dtype) through the isolated worker, results appended as they come.

A run is op-major: all dtypes of one op, then one line per row in the run's append-only log
(`harness.runs.rowlog`: a registry check and one ``write``; no frame, no Parquet), so killing the run
loses at most the op in flight, and ``--resume RUN_ID`` re-reads the parts and the log and skips
every (op, dtype) already written. The log becomes one validated Parquet part when the run ends
(or stops), so a run pays for a frame, pandera and Parquet once, not once per op.

The op list, dtypes and plugins are stored in the run's ``_run.json`` with its first row, so a
resumed run continues the same run whatever the current ``--ops`` / ``--set`` would select today.
A run that fails before its first row (a worker that cannot start, Ctrl-C on the first op) leaves
no run folder: there is nothing in it to resume.
"""

from __future__ import annotations

import signal
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness import __version__
from harness.errors import UserError
from harness.probe.isolation import Worker, WorkerError
from harness.runs import store as st
from harness.safetext import terminal

TABLE = st.KINDS["probe"][1]


class Progress:
    """A one-line progress bar on a terminal; a line per 10 % otherwise; nothing when disabled."""

    def __init__(self, total: int, enabled: bool = True, stream=None):
        stream = stream or sys.stderr
        # the bar's own \r goes to the raw stream; the op label is escaped (safetext.terminal)
        self.total, self.done, self.stream = max(total, 1), 0, getattr(stream, "raw", stream)
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.perf_counter()
        self._last_decile = -1

    def update(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        frac = self.done / self.total
        elapsed = time.perf_counter() - self.t0
        if self.tty:
            bar = "#" * int(30 * frac)
            self.stream.write(f"\r[{bar:<30}] {self.done}/{self.total} {elapsed:5.1f}s {terminal(label[:40]):<40}")
            self.stream.flush()
        elif int(frac * 10) > self._last_decile:
            self._last_decile = int(frac * 10)
            self.stream.write(f"probe: {self.done}/{self.total} ({frac:.0%}) {elapsed:.1f}s\n")

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


@dataclass
class RunResult:
    run_id: str
    dir: Path
    counts: Counter = field(default_factory=Counter)  # (dtype, outcome) -> n
    overhead_ms: list[float] = field(default_factory=list)  # per task: parent wait - worker time
    skipped: int = 0
    worker_starts: int = 0
    seconds: float = 0.0
    tasks: int = 0
    op_seconds: float = 0.0      # sum of the device calls' own time (op_time_ms)
    worker_seconds: float = 0.0  # sum of the worker's time per task (sample, reference, op, compare)
    store_seconds: float = 0.0   # the parent's time in the store (log lines, the final part, compaction)

    def overhead_summary(self) -> str:
        """Where the run's wall time went, per task: everything that is not the op is overhead."""
        if not self.tasks:
            return "overhead: no task ran"
        n = self.tasks
        per = (self.seconds - self.op_seconds) / n * 1e3
        isolation = statistics.median(self.overhead_ms) if self.overhead_ms else float("nan")
        harness = (self.worker_seconds - self.op_seconds) / n * 1e3
        isolation_ms = (self.seconds - self.worker_seconds - self.store_seconds) / n * 1e3
        return (f"overhead per op (run wall time - op time, all of it): {per:.2f} ms over {n} tasks "
                f"({self.seconds:.2f} s wall, {self.op_seconds:.2f} s in ops); of which per task: "
                f"worker harness (sample, reference, compare) {harness:.2f} ms, "
                f"isolation round trip {isolation_ms:.2f} ms "
                f"(median {isolation:.3f} ms; includes {self.worker_starts} worker start(s)), "
                f"storing results {self.store_seconds / n * 1e3:.2f} ms")


def _new_run(device, ops, dtypes, root, *, timeout, imports, options, argv) -> tuple[st.RunStore, dict]:
    run_id = st.new_run_id()
    store = st.RunStore(root, TABLE, device.type, run_id, device.stack_id)
    opts = {**(options or {}), "ops": list(ops), "dtypes": list(dtypes), "timeout_s": timeout,
            "imports": list(imports)}
    meta = st.run_metadata("probe", run_id, device, opts, argv)
    return store, meta  # its _run.json is written with the first part


def _check_resumable(path, meta: dict) -> None:
    """What a resumed run takes from its `_run.json` must have the shape a run writes."""
    opts = meta.get("options") or {}
    for key in ("ops", "dtypes", "imports"):
        v = opts.get(key, [] if key == "imports" else None)
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            raise UserError(f"{path}: options.{key} must be a list of names; this run cannot be resumed")
    if opts.get("samples", "opinfo") not in ("opinfo", "schema"):
        raise UserError(f"{path}: options.samples must be opinfo or schema; this run cannot be resumed")
    t = opts.get("timeout_s")
    if t is not None:
        try:
            check_timeout(t)
        except UserError:
            raise UserError(f"{path}: options.timeout_s {t!r:.40} is not from {MIN_TIMEOUT_S:g} to "
                            f"{MAX_TIMEOUT_S:g} seconds; this run cannot be resumed") from None


def _resumed_run(device, root, run_id, argv, imports) -> tuple[st.RunStore, dict]:
    store = st.find_run(root, TABLE, device.type, run_id, device.stack_id)
    if store is None:
        elsewhere = st.other_device_types(root, run_id)
        hint = f"; it is a {', '.join(elsewhere)} run (use --device {elsewhere[0]})" if elsewhere else ""
        raise UserError(f"--resume: no probe run {run_id} for device type {device.type} (stack "
                        f"{device.stack_id}) under {root}{hint}")
    meta = store.read_meta()
    _check_resumable(store.dir / st.META_NAME, meta)
    stored = list((meta.get("options") or {}).get("imports") or [])
    if stored != list(imports):
        shown = " ".join(f"--import {i}" for i in stored) or "no --import"
        raise UserError(f"--resume {run_id}: the run was made with {shown}; give the same --import options "
                        "(what a stored run lists is never imported on its own)")
    meta.setdefault("resumed", []).append({"time": st.utc_now(), "command_line": st.command_line(argv)})
    meta["status"] = "running"
    store.write_meta(meta)
    store.reopen()
    return store, meta


DEFAULT_TIMEOUT_S = 60.0
MIN_TIMEOUT_S, MAX_TIMEOUT_S = 0.1, 86400.0


def check_timeout(seconds) -> None:
    """A per-op timeout from 0.1 s to a day: below that every op would count as a hang."""
    if seconds is None:
        return
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or \
            not MIN_TIMEOUT_S <= seconds <= MAX_TIMEOUT_S:
        raise UserError(f"--timeout: must be from {MIN_TIMEOUT_S:g} to {MAX_TIMEOUT_S:g} seconds, got {seconds!r}")


def probe(device, ops, dtypes, root: Path, *, timeout: float | None = None, imports=(), run_id: str | None = None,
          options: dict | None = None, argv: list[str] | None = None, progress: bool = True,
          worker: Worker | None = None, samples: str = "opinfo") -> RunResult:
    """Probe ``ops`` x ``dtypes`` on ``device`` (a `DeviceInfo`), new run or ``run_id`` resumed.

    A resumed run takes its ops, dtypes and (unless ``timeout`` is given) timeout from its
    ``_run.json``, but never what to import: ``_run.json`` is a data file anyone can edit, so the
    modules come from ``imports`` (the command line) only, and must equal those the run was made
    with. SIGTERM ends the run like Ctrl-C: the status says `interrupted` and it can be resumed.
    ``worker``: one already launched (`Worker.launch_early`, by the command, so that its start-up
    overlaps the parent's); it must have been made with the same ``imports``. It is closed here.
    """
    import torch

    check_timeout(timeout)
    if run_id:
        store, meta = _resumed_run(device, root, run_id, argv, imports)
        ops, dtypes = meta["options"]["ops"], meta["options"]["dtypes"]
        samples = meta["options"].get("samples") or "opinfo"
        timeout = float(timeout or meta["options"].get("timeout_s") or DEFAULT_TIMEOUT_S)
    else:
        timeout = float(timeout or DEFAULT_TIMEOUT_S)
        store, meta = _new_run(device, ops, dtypes, root, timeout=timeout, imports=imports,
                               options={**(options or {}), "samples": samples}, argv=argv)
    done = store.done("op", "dtype")
    result = RunResult(store.run_id, store.dir, skipped=len(done))
    todo = [(op, dt) for op in ops for dt in dtypes if (op, dt) not in done]
    fixed = {"device_name": device.name, "torch_version": torch.__version__, "harness_version": __version__}
    bar = Progress(len(todo), enabled=progress)
    store.dir.mkdir(parents=True, exist_ok=True)  # for the worker's log
    threading.Thread(target=_preload_storage, daemon=True).start()
    if worker is None:
        worker = Worker(imports)
    worker.set_log(store.dir / "_worker.log")
    t0 = time.perf_counter()
    status = "interrupted"
    meta_written = bool(run_id)
    previous = _raise_on_sigterm()
    try:
        by_op: dict[str, list[str]] = {}
        for op, dt in todo:
            by_op.setdefault(op, []).append(dt)
        for op, op_dtypes in by_op.items():
            rows = []
            for dt in op_dtypes:
                row, wall = worker.call({"op": op, "dtype": dt, "device": device.torch_device,
                                         "samples": samples}, timeout)
                row = {"op": op, "dtype": dt, "sample_dtype": dt, **row, **fixed, "wall_time_ms": wall * 1e3}
                if row.get("worker_time_ms") is not None:
                    result.overhead_ms.append(row["wall_time_ms"] - row["worker_time_ms"])
                    result.worker_seconds += row["worker_time_ms"] / 1e3
                result.op_seconds += (row.get("op_time_ms") or 0.0) / 1e3
                result.tasks += 1
                result.counts[(dt, row["probe_outcome"])] += 1
                rows.append(row)
                bar.update(f"{op} {dt}")
            ts = time.perf_counter()
            store.log(rows)
            if not meta_written:
                store.write_meta(meta)  # a new run is resumable from its first row on
                meta_written = True
            result.store_seconds += time.perf_counter() - ts
        status = "complete"
    except WorkerError as exc:
        raise UserError(str(exc)) from exc
    finally:
        bar.close()
        worker.close()
        log = store.dir / "_worker.log"
        if log.exists() and log.stat().st_size == 0:
            log.unlink()  # keep the log only when it says something (warnings, crash traces)
        result.worker_starts = worker.starts
        meta.update(status=status, end_time=st.utc_now())
        ts = time.perf_counter()
        store.finish(meta, compact=status == "complete")
        result.store_seconds += time.perf_counter() - ts
        result.seconds = time.perf_counter() - t0
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return result


def _preload_storage() -> None:
    """Import what the final part needs (pandas, pyarrow, pandera: ~0.5 s) while the parent mostly
    waits on the worker, instead of after the last op."""
    import contextlib
    import importlib

    for name in ("pandas", "pyarrow.parquet", "harness.dataset.tableschemas", "pandera.pandas"):
        with contextlib.suppress(Exception):  # absent here (pandera on a bare device image): imported, or not, later
            importlib.import_module(name)


def _raise_on_sigterm():
    """Make SIGTERM raise KeyboardInterrupt in the main thread (so `finally` records the run as
    interrupted); returns the previous handler, or None where it cannot be installed."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    return signal.signal(signal.SIGTERM, handler)
