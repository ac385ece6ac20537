"""Run probe tasks in a worker process, so a crash or a hang costs one task, not the run.

Why a persistent worker and not a process per task: importing torch takes seconds, and a core-set
run is ~200 tasks per dtype. One worker serves tasks over a pipe until it dies; the parent then
records the task in flight and starts a fresh worker for the next one. Measured on 2 CPU cores
the round trip adds well under a millisecond per task (the CLI prints it after each run).

* crash: the pipe reaches EOF (a segfault or abort kills the worker; `multiprocessing` closes the
  parent's copy of the child end, so death is seen at once, without polling a pid); the row
  names the signal, and the worker's log keeps the faulthandler trace.
* timeout: no answer within ``timeout`` seconds of sending the task; the worker is killed
  (SIGKILL: a hung kernel ignores politer signals). Worker start-up (importing torch and any
  ``--import`` plugins) is timed separately, so a slow import is not charged to the first op.
* The worker is a fresh interpreter (``subprocess``, never ``fork``: forking a process that has
  loaded torch and its thread pools can deadlock; and not ``multiprocessing``'s spawn, which
  re-imports the caller's ``__main__`` and so breaks any script without a main guard). It talks
  over a socket pair wrapped in a ``multiprocessing.connection.Connection`` (POSIX). It asks the
  kernel to kill it when the parent dies (PR_SET_PDEATHSIG on Linux), so a killed run leaves no
  orphan spinning on a hung op; it ignores SIGINT (Ctrl-C is the parent's to handle); its
  stdout/stderr (warnings, faulthandler traces) go to a log file beside the results.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

from harness import paths

STARTUP_TIMEOUT_S = 300.0
# Errors after which a device context is unusable (CUDA/HIP sticky errors): the worker answers and
# exits, so the next op gets a fresh context instead of inheriting the failure.
STICKY_ERRORS = ("device-side assert", "illegal memory access", "unspecified launch failure",
                 "misaligned address", "CUDA error:", "HIP error:")


def import_plugin(spec: str):
    """Import a module by name, or a ``.py`` file by path (a backend, or extra probe records)."""
    if spec.endswith(".py") or os.sep in spec:
        path = Path(spec).resolve()
        name = f"_accel_plugin_{path.stem}"
        if name in sys.modules:
            return sys.modules[name]
        loader = importlib.util.spec_from_file_location(name, path)
        if loader is None or loader.loader is None:
            raise ImportError(f"cannot import {spec}")
        module = importlib.util.module_from_spec(loader)
        sys.modules[name] = module
        loader.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _child_main() -> None:
    """Entry point of the worker interpreter: ``argv = [fd, imports as JSON]``."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(Connection(int(sys.argv[1])), json.loads(sys.argv[2]))


def serve(conn, imports: list[str]) -> None:
    """The worker's main loop (runs in the child process)."""
    import faulthandler
    import warnings

    faulthandler.enable()
    warnings.simplefilter("ignore")
    try:
        import torch  # noqa: F401

        for spec in imports:
            import_plugin(spec)
        from harness.probe.execute import run_task
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a start-up failure
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
        return
    conn.send({"ready": os.getpid()})
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        t0 = time.perf_counter()
        try:
            row = run_task(**task)
        except Exception as exc:  # noqa: BLE001 - a harness bug on one op must not stop the run
            from harness.probe.execute import short

            row = {"probe_outcome": "error", "message": f"harness error: {short(exc)}"}
        row["worker_time_ms"] = (time.perf_counter() - t0) * 1e3
        sticky = any(e in (row.get("message") or "") for e in STICKY_ERRORS)
        row["worker_restart"] = sticky
        conn.send(row)
        if sticky:
            return


class WorkerError(RuntimeError):
    """The worker could not start (a bad ``--import``, a broken torch install)."""


class Worker:
    """Parent-side handle: `call` a task, get its row back, whatever happens to the worker."""

    def __init__(self, imports: list[str] | None = None, log_path: Path | None = None):
        self.imports = list(imports or [])
        self.log_path = str(log_path) if log_path else None
        self.proc = None
        self.conn = None
        self.starts = 0
        self.busy = False  # a task is in flight (close() then kills instead of asking politely)

    def start(self) -> None:
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(paths.CODE)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            # `python -c` puts the current folder first on sys.path: a `torch.py` or `harness/` in
            # it would run in the worker. Drop it before importing anything.
            code = ("import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; "
                    "from harness.probe.isolation import _child_main; _child_main()")
            proc = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), json.dumps(self.imports)],
                                    pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=log)
        finally:
            theirs.close()  # only the child holds its end now: its death means EOF here
            if log is not subprocess.DEVNULL:
                log.close()
        self.proc, self.conn = proc, Connection(ours.detach())
        parent = self.conn
        self.starts += 1
        if not parent.poll(STARTUP_TIMEOUT_S):
            self.kill()
            raise WorkerError(f"the probe worker did not start within {STARTUP_TIMEOUT_S:g} s")
        try:
            hello = parent.recv()
        except EOFError:
            code = self._reap()
            where = f"; see {self.log_path}" if self.log_path else ""
            raise WorkerError(f"the probe worker died while starting ({_describe(code)}){where}") from None
        if "error" in hello:
            self._reap()
            raise WorkerError(f"the probe worker could not start: {hello['error']}")

    def call(self, task: dict, timeout: float) -> tuple[dict, float]:
        """Run one task; returns (row fields, wall seconds seen by the parent)."""
        if self.proc is None:
            self.start()
        t0 = time.perf_counter()
        self.busy = True
        try:
            self.conn.send(task)
            answered = self.conn.poll(timeout)
            row = self.conn.recv() if answered else None
            self.busy = False
        except (EOFError, BrokenPipeError, ConnectionResetError):
            code = self._reap()
            return {"probe_outcome": "crash", "message": f"worker process died: {_describe(code)}"}, \
                time.perf_counter() - t0
        wall = time.perf_counter() - t0
        if row is None:
            self.kill()
            return {"probe_outcome": "timeout",
                    "message": f"no result within {timeout:g} s; worker killed"}, wall
        if row.pop("worker_restart", False):
            self._reap()  # it exits by itself after a sticky device error
        return row, wall

    def _reap(self) -> int | None:
        proc, self.proc = self.proc, None
        self.busy = False
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if proc is None:
            return None
        try:
            return proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self._reap()

    def close(self) -> None:
        if not self.busy and self.conn is not None and self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)
        self.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _describe(exitcode: int | None) -> str:
    if exitcode is None:
        return "exit status unknown"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name} (signal {-exitcode})"
    return f"exited with status {exitcode}"
