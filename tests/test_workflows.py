"""The GitHub workflows pass actionlint and zizmor (both from the package index; CI installs them)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint():
    r = subprocess.run(["actionlint", *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is not installed")
def test_zizmor_finds_nothing():
    r = subprocess.run(["zizmor", "--offline", str(ROOT / ".github" / "workflows")], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_release_workflow_pins_the_manifest_before_building_the_wheel():
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert text.index("--pin") < text.index("python -m build")
    assert "sha256sum -c SHA256SUMS" in text and "id-token: write" in text
