"""One importer registry for the whole readiness pipeline: op lists and table importers alike."""

from __future__ import annotations

import importlib
import sys

import pytest

from harness import plugins
from harness.cli import main
from harness.readiness import registry


def test_every_module_of_the_folder_registers_one_importer_under_its_own_name():
    found = registry.load_all()
    modules = plugins.names(registry.PACKAGE)
    assert sorted(found) == sorted(modules)  # a module that forgot its decorator fails here
    for name, imp in found.items():
        assert imp.run.__module__ == f"{registry.PACKAGE}.{name}"


def test_op_lists_and_tables_are_two_kinds_of_one_registry():
    snaps, tables = registry.snapshot_importers(), registry.table_importers()
    assert not set(snaps) & set(tables)
    assert set(snaps) | set(tables) == set(registry.load_all())
    assert {"ascend", "flaggems", "intel", "kunlun", "pytorch"} <= set(snaps)
    assert all(imp.stacks and not imp.produces for imp in snaps.values())
    # the op tables are built by a table importer like every other readiness table
    producers = {t: n for n, imp in tables.items() for t in imp.produces}
    assert producers["op_coverage"] == producers["op_evidence"] == "op_coverage"
    assert producers["benchmark_results"] == "mlperf"


def test_a_module_dropped_into_the_folder_is_found_without_editing_a_list(tmp_path, monkeypatch):
    pkg = tmp_path / "extra_importers"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "toy.py").write_text(
        "from harness.readiness.registry import importer\n"
        "@importer('toy', produces=('toy_table',), inputs=lambda ctx: [])\n"
        "def run(ctx):\n    '''A toy table.'''\n    return {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "PACKAGE", "extra_importers")
    monkeypatch.setattr(registry, "IMPORTERS", {})
    try:
        found = registry.load_all()
    finally:
        sys.modules.pop("extra_importers.toy", None)
        sys.modules.pop("extra_importers", None)
    assert list(found) == ["toy"] and found["toy"].summary == "A toy table."
    importlib.invalidate_caches()


def test_importers_that_need_each_other_are_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(registry, "IMPORTERS", {})
    monkeypatch.setattr("harness.plugins.names", lambda package: ())
    registry.importer("a", produces=("ta",), inputs=lambda ctx: [], needs=("tb",))(lambda ctx: {})
    registry.importer("b", produces=("tb",), inputs=lambda ctx: [], needs=("ta",))(lambda ctx: {})
    with pytest.raises(RuntimeError, match="need each other"):
        registry.load_all()


def test_ls_lists_both_kinds(capsys):
    assert main(["coverage", "ls"]) == 0
    out = capsys.readouterr().out
    assert "snapshots of cann" in out  # the ascend op-list importer
    assert "op_evidence, op_coverage" in out and "api_coverage, api_coverage_summary" in out
    assert "specs/oplists/cann/" in out  # the snapshots present


def test_import_names_only_op_list_importers(capsys):
    assert main(["coverage", "import", "hipify"]) == 2  # a table importer: built, not imported
    err = capsys.readouterr().err
    assert "unknown op-list importer 'hipify'" in err and "Traceback" not in err
