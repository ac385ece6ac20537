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
        from harness.probe import opinfo
        from harness.probe.execute import run_task

        opinfo.on_load = (lambda: conn.send({"phase": "setup"}), lambda: conn.send({"phase": "harness"}))
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
        if "log" in task:  # a worker launched early: its output goes to the run's log from now on
            fd = os.open(task["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.close(fd)
            continue
        t0 = time.perf_counter()
        try:
            row = run_task(**task, phase=lambda name: conn.send({"phase": name}))
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
        self.ready = False  # the worker said hello
        self._early_log: str | None = None  # where a worker launched before its run's folder writes

    def launch_early(self) -> None:
        """Start the worker now, before the run's folder is known, so that its start-up (importing
        torch: seconds) overlaps the parent's own; `set_log` later points its output at the run."""
        import tempfile

        fd, self._early_log = tempfile.mkstemp(prefix="accel-probe-worker-", suffix=".log")
        os.close(fd)
        self.log_path = self._early_log
        self.launch()

    def set_log(self, path: Path) -> None:
        """Send the worker's output to ``path`` from now on (what it wrote so far is moved along)."""
        path = str(path)
        if self._early_log is None or self.proc is None:
            self.log_path = path
            return
        self._handshake()
        with open(self._early_log, "rb") as src, open(path, "ab") as dst:
            dst.write(src.read())
        self.conn.send({"log": path})
        os.unlink(self._early_log)
        self._early_log = None
        self.log_path = path

    def start(self) -> None:
        self.launch()
        self._handshake()

    def launch(self) -> None:
        self.ready = False
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
        self.starts += 1

    def _handshake(self) -> None:
        if self.ready:
            return
        parent = self.conn
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
        self.ready = True

    def call(self, task: dict, timeout: float) -> tuple[dict, float]:
        """Run one task; returns (row fields, wall seconds seen by the parent).

        The worker says ``{"phase": "device"}`` just before the device call; a death or a hang
        before that happened in the harness (sample generation, the float64 CPU reference) and is
        recorded as ``reference-failed``, never as the device's crash or timeout."""
        if self.proc is None:
            self.start()
        self._handshake()
        t0 = time.perf_counter()
        self.busy = True
        on_device = False
        row = None
        deadline = t0 + timeout
        try:
            self.conn.send(task)
            while True:
                left = deadline - time.perf_counter()
                if left <= 0 or not self.conn.poll(left):
                    break
                msg = self.conn.recv()
                if "phase" in msg:  # "setup": a one-time load (OpInfo), timed like start-up, not as the op
                    on_device = msg["phase"] == "device"
                    now = time.perf_counter()
                    deadline = now + (STARTUP_TIMEOUT_S if msg["phase"] == "setup" else timeout)
                    continue
                row = msg
                break
        except (EOFError, BrokenPipeError, ConnectionResetError):
            code = self._reap()
            wall = time.perf_counter() - t0
            if not on_device:
                return {"probe_outcome": "reference-failed",
                        "message": f"worker process died in the harness (sample or CPU reference), before the "
                                   f"device call: {_describe(code)}"}, wall
            return {"probe_outcome": "crash", "message": f"worker process died: {_describe(code)}"}, wall
        wall = time.perf_counter() - t0
        if row is None:
            self.kill()
            if not on_device:
                return {"probe_outcome": "reference-failed",
                        "message": f"no result within {timeout:g} s, still in the harness (sample or CPU "
                                   f"reference); worker killed"}, wall
            return {"probe_outcome": "timeout",
                    "message": f"no result within {timeout:g} s; worker killed"}, wall
        self.busy = False
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

    def _drop_early_log(self) -> None:
        if self._early_log is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._early_log)
            self._early_log = None

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
        self._drop_early_log()

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
