"""Stacks, capabilities and FlagGems backends as built tables; the readiness view reads only tables."""

import json

import pytest
import yaml

from harness import paths
from harness.readiness.errors import InputError
from harness.readiness.importers import stacks


def test_every_stack_spec_becomes_one_row_with_its_capabilities():
    rows, caps = stacks.stack_rows(paths.STACK_SPECS)
    files = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths.STACK_SPECS.glob("*.yaml")}
    specs = {k: v for k, v in files.items() if isinstance(v, dict) and v.get("id") == k}
    assert {r["stack_id"] for r in rows} == set(specs)
    assert "ppu-sdk-cuda-api" in files and "ppu-sdk-cuda-api" not in specs  # someone else's input: skipped
    for r in rows:
        assert r["n_capabilities"] == len(specs[r["stack_id"]]["capabilities"])
        assert sum(c["stack_id"] == r["stack_id"] for c in caps) == r["n_capabilities"]
    cann = {c["capability"]: c for c in caps if c["stack_id"] == "cann"}
    assert cann["collectives"]["source_url"].startswith("https://") and cann["collectives"]["tier"] == "official"


def test_a_stack_file_with_a_problem_is_an_error_naming_it(tmp_path):
    (tmp_path / "x.yaml").write_text("id: x\nname: X\nvendor: v\nsources: {}\n"
                                     "capabilities:\n  pytorch: {status: native, source: nowhere}\n")
    with pytest.raises(InputError, match="x.yaml.*nowhere"):
        stacks.stack_rows(tmp_path)


def test_readiness_reads_built_tables_not_yaml(monkeypatch, capsys, tmp_path):
    """With the stack specs and mappings moved away, `accel readiness` still prints the same."""
    from harness import cli

    assert cli.main(["readiness", "--stack", "cann", "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(paths, "STACK_SPECS", tmp_path / "nothing")
    monkeypatch.setattr(paths, "OPLISTS", tmp_path / "nothing")
    monkeypatch.setattr(paths, "SPECS", tmp_path / "nothing")
    assert cli.main(["readiness", "--stack", "cann", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == before
    assert before["cann"]["capabilities"] and before["cann"]["accelerators"]


def test_readiness_without_built_tables_says_to_build(capsys, tmp_path):
    from harness import cli

    assert cli.main(["readiness", "--coverage-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "run `accel build`" in err and "Traceback" not in err
