"""`accel coverage` and `accel readiness` through the CLI entry point."""

import json

from harness import cli
from harness.paths import OPLISTS


def test_unknown_importer_suggests(capsys):
    assert cli.main(["coverage", "import", "ascnd"]) == 2
    assert "did you mean 'ascend'" in capsys.readouterr().err


def test_readiness_json_for_an_accelerator(capsys):
    if not (OPLISTS / "kunlun-xpu").is_dir():
        import pytest

        pytest.skip("no kunlun snapshot generated")
    assert cli.main(["readiness", "--stack", "kunlun-xpu", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    core = [r for r in doc["kunlun-xpu"]["op_coverage"]
            if r["reference_set"] == "core" and r["dtype"] == "*" and r["device_scope"] == "*"]
    assert core and core[0]["n_fallback"] > 0 and "unmapped" in core[0]["note"]


def test_readiness_unknown_stack(capsys):
    assert cli.main(["readiness", "--stack", "kunlun"]) == 2
    assert "unknown stack 'kunlun'" in capsys.readouterr().err


def test_readiness_unknown_accelerator(capsys):
    assert cli.main(["readiness", "no-such-chip-xyz"]) == 2
    assert "matches no accelerator spec" in capsys.readouterr().err
