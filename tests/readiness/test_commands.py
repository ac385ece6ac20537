"""`accel coverage` and `accel readiness` through the CLI entry point."""

import json

import pytest

from harness import cli
from harness.paths import OPLISTS


def test_unknown_importer_suggests(capsys):
    assert cli.main(["coverage", "import", "ascnd"]) == 2
    assert "did you mean 'ascend'" in capsys.readouterr().err


def test_readiness_json_for_an_accelerator(capsys):
    # the snapshot is committed: its absence is a regression, not a reason to skip
    assert (OPLISTS / "kunlun-xpu").is_dir(), "specs/oplists/kunlun-xpu/ is missing"
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
    assert "no accelerator matches 'no-such-chip-xyz'" in capsys.readouterr().err


@pytest.mark.parametrize("query, acc_id, stack", [
    ("h100", "nvidia/h100-sxm5", "cuda"),           # as `accel show h100` picks it
    ("昆仑芯 P800", "baidu/kunlun-p800", "kunlun-xpu"),  # a name from the spec's aliases
    ("P800", "baidu/kunlun-p800", "kunlun-xpu"),
])
def test_readiness_reads_ids_as_accel_show_does(capsys, query, acc_id, stack):
    from harness.resolve import resolve

    assert resolve(query) == acc_id
    assert cli.main(["readiness", query, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert stack in doc and acc_id in doc[stack]["accelerators"]


def test_readiness_coverage_dir_must_be_a_folder(capsys, tmp_path):
    not_a_folder = tmp_path / "op_coverage.parquet"
    not_a_folder.write_text("x")
    assert cli.main(["readiness", "p800", "--coverage-dir", str(not_a_folder)]) == 2
    err = capsys.readouterr().err
    assert "--coverage-dir" in err and "is not a folder" in err and "Traceback" not in err
