from pathlib import Path

import pandas as pd
import pytest

from harness.cli import main
from harness.readiness.build import build_tables, collect, write
from harness.readiness.registry import Context


def test_build_tables_from_fixtures_validate(fixture_tree):
    up, specs = fixture_tree
    tables = build_tables(upstream=up, specs=specs)
    assert {"api_coverage", "api_coverage_summary", "triton_coverage", "benchmark_results",
            "benchmark_summary"} <= set(tables)
    summary = tables["api_coverage_summary"]
    assert set(summary["stack_id"]) == {"rocm", "ppu-sdk"}
    from harness.dataset.tableschemas import schema_for

    for name, df in tables.items():
        schema_for(name).validate(df, lazy=True)


def test_missing_inputs_are_skipped_not_failed(tmp_path: Path):
    tables, steps = collect(Context(upstream=tmp_path / "none", specs=tmp_path / "none"))
    assert tables == {}
    assert {s.status for s in steps} == {"skipped"}


def test_write_is_per_file_and_leaves_other_tables(fixture_tree, tmp_path: Path):
    up, specs = fixture_tree
    from harness.atomic import atomic_dir

    out = tmp_path / "coverage"
    with atomic_dir(out, "coverage") as tmp:  # the other builder's table, written by accel
        (tmp / "op_coverage.csv").write_text("someone else's table\n")
    write(out, build_tables(upstream=up, specs=specs))
    assert (out / "op_coverage.csv").read_text() == "someone else's table\n"
    df = pd.read_parquet(out / "api_coverage_summary.parquet")
    assert (out / "api_coverage_summary.parquet").exists() and len(df) > 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_cli_build_and_ls(fixture_tree, tmp_path: Path, capsys):
    up, specs = fixture_tree
    out = tmp_path / "cov"
    assert main(["coverage", "build", "--upstream", str(up), "--specs", str(specs), "--out", str(out)]) == 0
    assert (out / "benchmark_results.parquet").exists()
    assert main(["coverage", "ls", "--upstream", str(up), "--specs", str(specs)]) == 0
    assert "unreviewed: 'TPU v6'" in capsys.readouterr().out


def test_cli_malformed_input_is_one_message(fixture_tree, capsys):
    up, specs = fixture_tree
    f = up / "hipify" / "CUDA_Runtime_API_functions_supported_by_HIP.md"
    f.write_text(f.read_text(encoding="utf-8").replace("|`cudaGetDevice`|", "|cudaGetDevice|"), encoding="utf-8")
    assert main(["coverage", "build", "--upstream", str(up), "--specs", str(specs), "--out", str(up / "o")]) == 2
    err = capsys.readouterr().err
    assert f"{f}:9:" in err and "Traceback" not in err


def test_cli_unknown_importer(capsys):
    assert main(["coverage", "build", "--only", "hipfy"]) == 2
    assert "did you mean 'hipify'" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["CANN.csv"])
def test_cli_import_ggml_csv(tmp_path: Path, name):
    from .conftest import FIXTURES

    out = tmp_path / "ggml"
    argv = ["evidence", "import-ggml", str(FIXTURES / "ggml" / name), "--commit", "abc1234", "--out", str(out)]
    assert main(argv) == 0
    text = (out / "cann.yaml").read_text(encoding="utf-8")
    assert "path: docs/ops/CANN.csv" in text and "MUL_MAT: partial" in text


def test_cli_build_never_writes_a_table_short_of_a_skipped_importers_rows(fixture_tree, tmp_path: Path, capsys):
    """HIPIFY's upstream copies absent: the PPU importer still runs, but api_coverage(_summary),
    which both feed, keep their previous files instead of losing the HIP rows."""
    import shutil

    up, specs = fixture_tree
    out = tmp_path / "cov"
    assert main(["coverage", "build", "--upstream", str(up), "--specs", str(specs), "--out", str(out)]) == 0
    before = (out / "api_coverage_summary.parquet").read_bytes()
    shutil.rmtree(up / "hipify")
    capsys.readouterr()
    assert main(["coverage", "build", "--upstream", str(up), "--specs", str(specs), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "not written" in err and "api_coverage_summary" in err
    assert (out / "api_coverage_summary.parquet").read_bytes() == before
    assert set(pd.read_parquet(out / "api_coverage_summary.parquet")["stack_id"]) == {"rocm", "ppu-sdk"}


def test_old_evidence_command_still_runs_and_says_it_is_deprecated(fixture_tree, tmp_path: Path, capsys):
    up, specs = fixture_tree
    out = tmp_path / "cov"
    assert main(["evidence", "build", "--only", "hipify", "--upstream", str(up), "--specs", str(specs),
                 "--out", str(out)]) == 0
    assert "accel evidence is deprecated: use `accel coverage build`" in capsys.readouterr().err
    assert (out / "api_coverage.parquet").exists()
