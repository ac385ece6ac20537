"""The repository alone rebuilds results/ byte-identically, reading nothing outside itself.

The tracked files are copied to a folder with nothing beside it (no ../shared), `accel build`
runs there under an audit hook (PEP 578) that records every file opened, and the results must
equal the committed ones byte for byte. Files opened outside the copy must belong to the
Python installation (interpreter, standard library, site-packages) or the OS (/dev, /proc, ...).
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

from tests.conftest import ROOT

HOOK = """
import json, os, sys
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.add(os.path.abspath(os.fsdecode(args[0])))
sys.addaudithook(hook)
from harness.cli import main
code = main(["build"])
json.dump({"code": code, "opened": sorted(opened)}, open(sys.argv[1], "w"))
"""


def _tracked_copy(dst):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in files.decode().split("\0"):
        if rel and (ROOT / rel).is_file():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dst / rel)


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_a_clean_copy_rebuilds_results_byte_identically_from_itself(tmp_path):
    clone = tmp_path / "alone" / "accelatlas"
    clone.mkdir(parents=True)
    _tracked_copy(clone)
    committed = {d: sorted(p.name for p in (clone / "results" / d).iterdir()) for d in ("dataset", "coverage")}
    report = tmp_path / "opened.json"
    env = {**os.environ, "PYTHONPATH": str(clone)}
    r = subprocess.run([sys.executable, "-c", HOOK, str(report)], cwd=clone, env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    result = json.loads(report.read_text())
    assert result["code"] == 0
    assert "kept the committed tables" not in r.stderr  # every input was there
    for d, names in committed.items():
        fresh = clone / "results" / d
        assert sorted(p.name for p in fresh.iterdir()) == names
        _, mismatch, errors = filecmp.cmpfiles(ROOT / "results" / d, fresh, names, shallow=False)
        assert not mismatch and not errors, (d, mismatch, errors)
    allowed = [str(clone), sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_paths()["purelib"],
               sysconfig.get_paths()["platlib"], "/dev", "/proc", "/sys", "/etc", "/usr", str(tmp_path)]
    allowed += [p for p in sys.path if p and os.path.isdir(p) and not p.startswith(str(ROOT))]
    outside = [p for p in result["opened"] if not any(p == a or p.startswith(a.rstrip("/") + "/") for a in allowed)]
    assert outside == []
    original = (str(ROOT) + "/", str(ROOT.parent / "shared"))
    assert not [p for p in result["opened"] if p.startswith(original)]
