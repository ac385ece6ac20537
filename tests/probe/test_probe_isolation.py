"""Fault injection: a crashing op and a hanging op must not lose the run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")

from harness.errors import UserError  # noqa: E402
from harness.probe.isolation import Worker  # noqa: E402
from harness.probe.runner import probe  # noqa: E402
from harness.runs import store as st  # noqa: E402
from harness.runs.device import resolve  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CPU = None


def cpu():
    global CPU
    CPU = CPU or resolve("cpu")
    return CPU


def outcomes(run_dir: Path) -> dict:
    df = st.RunStore(run_dir.parents[1], "probe_results", "cpu", run_dir.name.split("=", 1)[1]).read()
    return {(r.op, r.dtype): r for r in df.itertuples()}


def durable(root: Path) -> bool:
    """A run under ``root`` holds at least one row (a part or a log line) and its _run.json."""
    for meta in root.glob("stack_id=cpu/run_id=*/_run.json"):
        store = st.RunStore(root, "probe_results", "cpu", meta.parent.name.split("=", 1)[1])
        if store.done("op", "dtype"):
            return True
    return False


def test_crash_and_hang_are_recorded_and_the_run_goes_on(tmp_path, faulty_ops):
    ops = ["abs", "faultinj::crash", "neg", "faultinj::hang", "relu"]
    result = probe(cpu(), ops, ["float32"], tmp_path, timeout=3, imports=[faulty_ops], progress=False)
    rows = outcomes(result.dir)
    assert {op: rows[(op, "float32")].probe_outcome for op in ops} == {
        "abs": "pass", "faultinj::crash": "crash", "neg": "pass", "faultinj::hang": "timeout", "relu": "pass"}
    assert "SIGSEGV" in rows[("faultinj::crash", "float32")].message
    assert "no result within 3 s" in rows[("faultinj::hang", "float32")].message
    assert result.worker_starts == 3  # the first, after the crash, after the hang
    assert [p.name for p in result.dir.glob("part-*.parquet")] == ["part-00000.parquet"]  # compacted
    meta = json.loads((result.dir / "_run.json").read_text())
    assert meta["status"] == "complete" and meta["options"]["ops"] == ops and meta["end_time"]
    assert "Segmentation fault" in (result.dir / "_worker.log").read_text()  # faulthandler's trace


def test_a_crash_in_the_cpu_reference_is_the_harness_s_failure(tmp_path, faulty_ops):
    result = probe(cpu(), ["faultinj::refcrash", "abs"], ["float32"], tmp_path, timeout=30, imports=[faulty_ops],
                   progress=False)
    rows = outcomes(result.dir)
    ref = rows[("faultinj::refcrash", "float32")]
    assert ref.probe_outcome == "reference-failed" and "before the device call" in ref.message
    assert rows[("abs", "float32")].probe_outcome == "pass"


def test_resume_skips_what_is_done_and_does_the_rest(tmp_path):
    ops = ["abs", "neg", "relu", "sigmoid"]
    first = probe(cpu(), ops[:2], ["float32", "bfloat16"], tmp_path, timeout=30, progress=False)
    meta_path = first.dir / "_run.json"
    meta = json.loads(meta_path.read_text())
    meta["options"]["ops"], meta["status"] = ops, "running"  # as if killed after two of four ops
    meta_path.write_text(json.dumps(meta))
    again = probe(cpu(), [], [], tmp_path, run_id=first.run_id, timeout=30, progress=False)
    assert again.run_id == first.run_id and again.skipped == 4
    assert sum(again.counts.values()) == 4  # relu and sigmoid, both dtypes
    df = st.RunStore(tmp_path, "probe_results", "cpu", first.run_id).read()
    assert len(df) == 8 and not df.duplicated(["op", "dtype"]).any()
    meta = json.loads((first.dir / "_run.json").read_text())
    assert meta["status"] == "complete" and len(meta["resumed"]) == 1


def test_resume_of_an_unknown_run_or_wrong_device_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no probe run nope"):
        probe(cpu(), [], [], tmp_path, run_id="nope", progress=False)
    meta_dev = resolve("meta")
    done = probe(meta_dev, ["abs"], ["float32"], tmp_path, progress=False)
    with pytest.raises(UserError, match="--device meta"):
        probe(cpu(), [], [], tmp_path, run_id=done.run_id, progress=False)


def test_a_plugin_that_fails_to_import_stops_the_run_with_one_message(tmp_path):
    with pytest.raises(UserError, match="could not start.*no_such_module_xyz"):
        probe(cpu(), ["abs"], ["float32"], tmp_path, imports=["no_such_module_xyz"], progress=False)


def test_killing_the_run_loses_at_most_the_op_in_flight(tmp_path, faulty_ops):
    script = (
        "import sys; from pathlib import Path; from harness.runs.device import resolve;"
        "from harness.probe.runner import probe;"
        "probe(resolve('cpu'), ['abs', 'faultinj::hang', 'neg'], ['float32'], Path(sys.argv[1]),"
        " timeout=600, imports=[sys.argv[2]], progress=False)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path), faulty_ops], env=env)
    deadline = time.monotonic() + 120
    try:
        # resumable once the first row is durable and the run's _run.json (written right after it) is there
        while not durable(tmp_path):
            assert proc.poll() is None and time.monotonic() < deadline, "the run never wrote its first part"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    run_dir = next(tmp_path.glob("stack_id=cpu/run_id=*"))
    run_id = run_dir.name.split("=", 1)[1]
    assert json.loads((run_dir / "_run.json").read_text())["status"] == "running"  # killed, not closed
    resumed = probe(cpu(), [], [], tmp_path, run_id=run_id, timeout=2, imports=[faulty_ops], progress=False)
    assert resumed.skipped == 1  # abs survived the kill
    rows = outcomes(run_dir)
    assert rows[("abs", "float32")].probe_outcome == "pass"
    assert rows[("faultinj::hang", "float32")].probe_outcome == "timeout"
    assert rows[("neg", "float32")].probe_outcome == "pass"


def test_resume_never_imports_what_the_stored_run_lists(tmp_path):
    """An edited `_run.json` naming a module must not get it imported: imports come from the
    command line only, and must match the run's."""
    first = probe(cpu(), ["abs", "neg"], ["float32"], tmp_path, progress=False)
    run_dir = next(tmp_path.glob("stack_id=cpu/run_id=*"))
    evil = tmp_path / "evil.py"
    marker = tmp_path / "executed"
    evil.write_text(f"open({str(marker)!r}, 'w').write('pwned')\n")
    meta = json.loads((run_dir / "_run.json").read_text())
    meta["options"]["imports"] = [str(evil)]
    meta["options"]["ops"].append("exp")
    (run_dir / "_run.json").write_text(json.dumps(meta))
    with pytest.raises(UserError, match="the run was made with --import"):
        probe(cpu(), [], [], tmp_path, run_id=first.run_id, progress=False)
    assert not marker.exists()
    assert json.loads((run_dir / "_run.json").read_text())["status"] == "complete"  # untouched by the refusal


def test_sigterm_marks_the_run_interrupted_and_resumable(tmp_path, faulty_ops):
    script = (
        "import sys; from pathlib import Path; from harness.runs.device import resolve;"
        "from harness.probe.runner import probe;"
        "probe(resolve('cpu'), ['abs', 'faultinj::hang', 'neg'], ['float32'], Path(sys.argv[1]),"
        " timeout=600, imports=[sys.argv[2]], progress=False)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path), faulty_ops], env=env,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while not durable(tmp_path):
            assert proc.poll() is None and time.monotonic() < deadline, "the run never wrote its first row"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    finally:
        proc.kill()
    run_dir = next(tmp_path.glob("stack_id=cpu/run_id=*"))
    assert json.loads((run_dir / "_run.json").read_text())["status"] == "interrupted"


def test_worker_round_trip_and_clean_close():
    with Worker() as w:
        row, wall = w.call({"op": "abs", "dtype": "float32", "device": "cpu"}, timeout=60)
        assert row["probe_outcome"] == "pass" and wall * 1e3 >= row["worker_time_ms"]
        proc = w.proc
    assert proc.poll() is not None  # closed with the context


def test_progress_bar_on_a_terminal_and_deciles_elsewhere():
    import io

    from harness.probe.runner import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    bar = Progress(4, stream=tty)
    for i in range(4):
        bar.update(f"op{i}")
    bar.close()
    assert "\r[" in tty.getvalue() and "4/4" in tty.getvalue() and tty.getvalue().endswith("\n")
    plain = io.StringIO()
    bar = Progress(20, stream=plain)
    for _ in range(20):
        bar.update("x")
    assert len(plain.getvalue().splitlines()) == 11  # 0 %, 10 %, ..., 100 %
    quiet = io.StringIO()
    Progress(3, enabled=False, stream=quiet).update("x")
    assert quiet.getvalue() == ""


def test_a_sticky_device_error_gets_the_next_op_a_fresh_worker(tmp_path, faulty_ops):
    result = probe(cpu(), ["faultinj::sticky", "abs"], ["float32"], tmp_path, imports=[faulty_ops], progress=False)
    rows = outcomes(result.dir)
    assert rows[("faultinj::sticky", "float32")].probe_outcome == "error"
    assert rows[("abs", "float32")].probe_outcome == "pass"
    assert result.worker_starts == 2


def test_the_worker_never_imports_from_the_current_folder(tmp_path, monkeypatch):
    """`python -c` puts the current folder first on sys.path; a torch.py there must not run."""
    marker = tmp_path / "executed"
    (tmp_path / "torch.py").write_text(f"open({str(marker)!r}, 'w').write('pwned')\n")
    (tmp_path / "harness").mkdir()
    (tmp_path / "harness" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write('pwned')\n")
    monkeypatch.chdir(tmp_path)
    result = probe(cpu(), ["abs"], ["float32"], tmp_path / "store", progress=False)
    assert not marker.exists()
    assert outcomes(result.dir)[("abs", "float32")].probe_outcome == "pass"


def test_compaction_keeps_everything_a_user_put_in_the_run_folder(tmp_path):
    first = probe(cpu(), ["abs"], ["float32"], tmp_path, progress=False)
    meta_path = first.dir / "_run.json"
    meta = json.loads(meta_path.read_text())
    meta["options"]["ops"], meta["status"] = ["abs", "neg"], "running"
    meta_path.write_text(json.dumps(meta))
    (first.dir / "notes").mkdir()
    (first.dir / "notes" / "observations.md").write_text("mine")
    (first.dir / "part-notes.txt").write_text("mine too")
    probe(cpu(), [], [], tmp_path, run_id=first.run_id, progress=False)
    assert (first.dir / "notes" / "observations.md").read_text() == "mine"
    assert (first.dir / "part-notes.txt").read_text() == "mine too"
    assert len(outcomes(first.dir)) == 2


@pytest.mark.parametrize("edit, message", [
    (lambda m: m["options"].update(timeout_s="abc"), "options.timeout_s"),
    (lambda m: m["options"].update(timeout_s=1e308), "options.timeout_s"),
    (lambda m: m["options"].update(timeout_s=-5), "options.timeout_s"),
    (lambda m: m["options"].update(ops="abs"), "options.ops must be a list"),
    (lambda m: m.pop("options"), "options.ops must be a list"),
    (lambda m: m.update(git_sha=12345), "'git_sha' must be text"),
])
def test_an_edited_run_is_refused_in_one_line(tmp_path, edit, message):
    first = probe(cpu(), ["abs"], ["float32"], tmp_path, progress=False)
    meta_path = first.dir / "_run.json"
    meta = json.loads(meta_path.read_text())
    meta["status"] = "running"
    edit(meta)
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(UserError, match=message):
        probe(cpu(), [], [], tmp_path, run_id=first.run_id, progress=False)


@pytest.mark.parametrize("content", ["[1, 2]", "{not json", "[" * 100000 + "]" * 100000],
                         ids=["list", "not-json", "deep"])
def test_unreadable_run_metadata_is_one_line(tmp_path, accel, content):
    first = probe(cpu(), ["abs"], ["float32"], tmp_path / "probes", progress=False)
    (first.dir / "_run.json").write_text(content)
    code, _, err = accel("runs", "--root", tmp_path)
    assert code == 2 and "_run.json" in err and "Traceback" not in err


def test_run_metadata_as_a_named_pipe_does_not_hang(tmp_path):
    first = probe(cpu(), ["abs"], ["float32"], tmp_path / "probes", progress=False)
    (first.dir / "_run.json").unlink()
    os.mkfifo(first.dir / "_run.json")
    r = subprocess.run([sys.executable, "-m", "harness.cli", "runs", "--root", str(tmp_path)], capture_output=True,
                       text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 2 and "named pipe" in r.stderr
