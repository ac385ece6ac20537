"""benchmarks/device/run.sh, the prepared one-shot device check, run here on the CPU with a tiny
op set: it must pack both runs, a summary and the environment, and leave results/ alone."""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "device" / "run.sh"
pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def run_script(tmp_path, device, **env):
    full = {**os.environ, "PYTHON": sys.executable, "ACCEL_GIT_SHA": "0123456789abcdef",
            "PROBE_ARGS": "--ops abs,neg --dtypes float32 --timeout 30",
            "BENCH_ARGS": "--suite bandwidth --bandwidth-mib 1 --repeats 3", **env}
    full.pop("OUT", None)
    return subprocess.run(["bash", str(SCRIPT), device, str(tmp_path / "out")], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=300)


def test_cpu_run_packs_both_runs_a_summary_and_the_environment(tmp_path):
    before = sorted(p.relative_to(ROOT) for p in (ROOT / "results").rglob("*"))
    proc = run_script(tmp_path, "cpu")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out"
    with tarfile.open(out / "runs.tar") as tar:
        names = tar.getnames()
    assert any(n.startswith("probes/stack_id=cpu/run_id=") and n.endswith(".parquet") for n in names)
    assert any(n.startswith("bench/device_type=cpu/run_id=") and n.endswith("_run.json") for n in names)
    summary = (out / "summary.txt").read_text()
    from harness.runs.store import git_sha

    sha = git_sha() or "0123456789abcdef"  # ACCEL_GIT_SHA stands in only where .git is absent
    assert "probe run" in summary and "bench run" in summary and f"git {sha[:7]}" in summary
    assert "float32" in summary and "100.0%" in summary          # abs and neg pass on the CPU
    assert "torch" in (out / "env.txt").read_text()
    assert sorted(p.relative_to(ROOT) for p in (ROOT / "results").rglob("*")) == before


def test_a_missing_device_fails_the_script_with_the_probe_message(tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present")
    proc = run_script(tmp_path, "cuda")
    assert proc.returncode != 0
    assert "no cuda device is available" in (tmp_path / "out" / "probe.log").read_text()
    assert "Traceback" not in proc.stdout + proc.stderr
