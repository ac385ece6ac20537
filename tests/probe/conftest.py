"""Shared fixtures of the probe tests. Each test module starts with `pytest.importorskip("torch")`:
torch is the optional extra `probe`, and without it these tests skip."""

from pathlib import Path

import pytest

FAULTY_OPS = str(Path(__file__).resolve().parent / "faulty_ops.py")


@pytest.fixture
def faulty_ops():
    """Path of the plugin that defines faultinj::crash and faultinj::hang."""
    return FAULTY_OPS
