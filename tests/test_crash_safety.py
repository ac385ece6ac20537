"""kill -9 at every filesystem step of build, release and download: nothing lost, no debris.

`tests/killsteps.py` runs the command in forked children and SIGKILLs each at the k-th write,
rename or removal in the output's folder, for every k. After each kill the folder must hold the
previous output or the new one, whole (its manifest verifies), or be missing with the previous
one beside it under accel's name (a kill between the two renames); the next run must then leave
the new output and nothing else: no `.NAME.accel-tmp-*`, no `.NAME.accel-old-*`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork (POSIX)")

SPEC = textwrap.dedent("""\
    id: demo/x1
    name: Demo X1
    vendor: demo
    status: shipping
    market: global
    sources:
      ds: {title: Demo datasheet, url: "https://example.com/x1", accessed: "2026-11-28", tier: official}
    values:
      bf16_tflops: {value: BF16, unit: TFLOPS, basis: dense, source: ds, locator: "Table 1"}
      tdp_w: {value: 700, unit: W, source: ds, locator: "Table 1"}
    """)


def _kill_every_step(job: dict, tmp_path) -> list[dict]:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "killsteps.py"), str(path)], capture_output=True,
                       text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    steps = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert steps, r.stderr[-2000:]
    return steps


def _check(steps: list[dict], name: str, foreign: set[str] = frozenset()):
    for s in steps:
        kill, rerun = s["after_kill"], s["after_rerun"]
        debris = [b for b in kill["beside"] if b.startswith(f".{name}.") and b not in foreign]
        if kill["out"] == "missing":  # killed between the renames: the old folder waits beside it
            assert any(".accel-old-" in b for b in debris), s
        else:
            assert kill["out"] in ("old", "new"), s
        assert s["rerun"] == 0 and rerun["out"] == "new", s
        assert [b for b in rerun["beside"] if b not in foreign] == [], s
    assert any(s["code"] == -9 for s in steps), "no step was killed"
    assert any(s["after_kill"]["out"] == "missing" for s in steps), "the window between renames was not hit"


def _specs(root, bf16):
    d = root / "accelerators" / "demo"
    d.mkdir(parents=True)
    (d / "x1.yaml").write_text(SPEC.replace("BF16", str(bf16)))
    return root


def test_build_survives_a_kill_at_every_step(tmp_path, accel):
    old_specs, new_specs = _specs(tmp_path / "a", 100), _specs(tmp_path / "b", 200)
    prev = tmp_path / "prev"
    assert accel("build", "--specs", old_specs, "--out", prev, "--dataset-only")[0] == 0
    out = tmp_path / "work" / "dataset"
    out.parent.mkdir()
    steps = _kill_every_step({"argv": ["build", "--specs", str(new_specs), "--out", str(out), "--dataset-only"],
                              "watch": str(out.parent), "out": str(out), "prepare": str(prev)}, tmp_path)
    _check(steps, "dataset")


def test_release_survives_a_kill_at_every_step(tmp_path, accel):
    from tests.release.conftest import make_source

    src = make_source(tmp_path / "src")
    prev = tmp_path / "prev"
    assert accel("release", "--version", "0.1.0", "--out", prev, "--from", src, "--date", "2026-11-01")[0] == 0
    out = tmp_path / "work" / "0.1.0"
    out.parent.mkdir()
    argv = ["release", "--version", "0.1.0", "--out", str(out), "--from", str(src), "--date", "2026-12-01"]
    steps = _kill_every_step({"argv": argv, "watch": str(out.parent), "out": str(out), "prepare": str(prev)},
                             tmp_path)
    _check(steps, "0.1.0")
