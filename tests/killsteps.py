"""Kill a command with SIGKILL at every filesystem step it takes in one folder, then look.

Run as a script by tests/test_crash_safety.py: ``python tests/killsteps.py JOB.json``. The job
names a command (accel's argv), the folder whose filesystem events count (`watch`), the output
folder to inspect (`out`) and a `prepare` folder copied to `out` before each try (the previous
output). The parent imports harness once, then for each step k forks a child that installs an
audit hook (PEP 578) counting write-opens, renames, removes, mkdirs and rmdirs under `watch`,
and SIGKILLs itself at event k (every k with `"every": true`, else every k that changes what a
reader could find: see `distinct_steps`). After each kill it records what a user would find (entries
beside `out`, whether `out` verifies against its manifest and which content it holds), then runs
the same command once more, unkilled, and records the state again. One JSON line per step.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _counting_hook(watch: str, kill_at: int | None, counter: list, kinds: list):
    def hook(event, args):
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & WRITE_FLAGS)
            if not writing:
                return
            paths = [path]
        elif event in ("os.rename", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree"):
            paths = [args[0]] + ([args[1]] if event == "os.rename" else [])
        else:
            return
        if not any(isinstance(p, (str, bytes, os.PathLike)) and os.fsdecode(p).startswith(watch) for p in paths):
            return
        counter[0] += 1
        kinds.append("write" if event == "open" else event)
        if kill_at is not None and counter[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def _run_child(argv: list[str], watch: str, kill_at: int | None) -> tuple[int, list[str]]:
    """(exit status or -signal, the kinds of the events counted) of the command in a forked child."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        counter, kinds = [0], []
        sys.addaudithook(_counting_hook(watch, kill_at, counter, kinds))
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        from harness.cli import main

        try:
            code = main(argv)
        except BaseException:  # noqa: BLE001 - any escape is a failure the parent reports
            code = 99
        os.write(w, json.dumps(kinds).encode())
        os._exit(code if isinstance(code, int) else 98)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    chunks = []
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, json.loads(b"".join(chunks) or b"[]")


def distinct_steps(kinds: list[str]) -> list[int]:
    """Every step that changes what a reader could find: each rename, mkdir and rmdir, and the
    first, middle and last step of each run of writes or removals (the steps between them add
    bytes to, or remove files from, a folder no reader uses, a state its neighbours already show)."""
    steps, run = [], []
    for i, kind in enumerate(kinds + ["end"], 1):
        if run and kind != kinds[run[0] - 1]:
            steps += sorted({run[0], run[len(run) // 2], run[-1]})
            run = []
        if kind in ("write", "os.remove"):
            run.append(i)
        elif kind != "end":
            steps.append(i)
    return steps


def _state(out: Path, fingerprints: dict) -> dict:
    from harness import manifest

    beside = sorted(p.name for p in out.parent.iterdir() if p.name != out.name)
    if not out.exists():
        return {"out": "missing", "beside": beside}
    m = manifest.read(out)
    if m is None or manifest.problems(out, m):
        return {"out": "broken", "beside": beside}
    return {"out": fingerprints.get(json.dumps(m["files"], sort_keys=True), "other"), "beside": beside}


def main(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    argv, watch, out, prepare = job["argv"], job["watch"], Path(job["out"]), Path(job["prepare"])
    import importlib

    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import harness.cli  # import once, before forking: children start warm

    importlib.import_module(f"{harness.cli.COMMANDS_PACKAGE}.{argv[0]}")
    for warm in ("harness.dataset.build", "harness.dataset.validate", "harness.dataset.tables",
                 "harness.dataset.tableschemas", "pandera", "harness.release.write", "harness.release.download"):
        importlib.import_module(warm)
    from harness.dataset.units import factor

    factor("GB", "TB")  # builds pint's registry
    from harness.dataset.registry import registry
    from harness.dataset.tableschemas import schema_for

    for table in registry().tables:  # compile the pandera schemas once, not in every child
        schema_for(table)
    from harness.dataset import inputs

    inputs.code_digest(), inputs.versions_digest()  # per process: hashed once, before forking

    from harness import manifest

    def reset():
        for p in out.parent.iterdir():
            if p.name == out.name or p.name.startswith(f".{out.name}."):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        shutil.copytree(prepare, out)

    reset()
    old = json.dumps(manifest.read(out)["files"], sort_keys=True)
    code, kinds = _run_child(argv, watch, None)
    assert code == 0, f"the unkilled command failed: {code}"
    new = json.dumps(manifest.read(out)["files"], sort_keys=True)
    fingerprints = {old: "old", new: "new"}
    total = len(kinds)
    steps = list(range(1, total + 1)) if job.get("every") else distinct_steps(kinds)
    for k in steps:
        reset()
        code, _ = _run_child(argv, watch, k)
        after_kill = _state(out, fingerprints)
        rerun, _ = _run_child(argv, watch, None)
        after_rerun = _state(out, fingerprints)
        print(json.dumps({"step": k, "of": total, "code": code, "after_kill": after_kill, "rerun": rerun,
                          "after_rerun": after_rerun}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
