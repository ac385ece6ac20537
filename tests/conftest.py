"""Shared test helpers: run the CLI in-process and capture what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def accel(capsys):
    """Run `accel ARGS...` in-process; return (exit code, stdout, stderr)."""
    from harness.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
