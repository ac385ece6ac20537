"""The one-screen readiness scorecard: stacks as columns (CUDA first), every share with its counts."""

import json
import re

import pytest

from harness import cli

SHARE = re.compile(r"(\d+)/(\d+) \((\d+\.\d)%\)")


@pytest.fixture(scope="module")
def card():
    from harness import paths
    from harness.views import readiness as R

    tables = R.load_tables(paths.RESULTS / "coverage")
    reports = [R.stack_report(s, tables) for s in R.order(list(R.DEFAULT_STACKS))]
    return R.scorecard(reports, tables)


def test_cuda_is_the_first_column_and_each_default_stack_has_one(card):
    headers, rows = card
    assert headers[1] == "cuda" and set(headers[1:]) == {"cuda", "cann", "kunlun-xpu", "ppu-sdk", "rocm", "flagos"}
    assert all(len(r) == len(headers) for r in rows)


def test_every_percentage_equals_the_counts_printed_with_it(card):
    _, rows = card
    seen = 0
    for row in rows:
        for cell in row[1:]:
            for n, d, p in SHARE.findall(cell):
                seen += 1
                assert float(p) == pytest.approx(round(100 * int(n) / int(d), 1)), (row[0], cell)
    assert seen > 10


def test_nothing_published_reads_undocumented_never_zero(card):
    headers, rows = card
    ppu = headers.index("ppu-sdk")
    core = next(r for r in rows if r[0].startswith("Core ATen: own kernels (declared)"))
    assert core[ppu] == "undocumented"
    assert not any(re.fullmatch(r"0\.0%|0%", c) for r in rows for c in r[1:])


def test_published_measurements_reach_their_stack_through_the_accelerator_specs(card):
    headers, rows = card
    flagperf = next(r for r in rows if r[0].startswith("FlagPerf training"))
    assert "kunlun-r300" in flagperf[headers.index("kunlun-xpu")]  # R300 is not in the stack file's list


def test_the_json_carries_each_stacks_scorecard_column(capsys):
    assert cli.main(["readiness", "--stack", "cann", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    card = doc["cann"]["scorecard"]
    assert SHARE.search(card["Core ATen: own kernels (declared)"])


def test_github_output_keeps_one_row_per_line(capsys):
    assert cli.main(["readiness", "--format", "github"]) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line.startswith("|")]
    widths = {line.count("|") - line.count("\\|") for line in table}  # an escaped pipe is text
    assert len(widths) == 1 and "nan" not in out and "True" not in out
    assert "(sglang \\| vllm-ascend)" in out  # a cell that holds a pipe (two engines): escaped, one row


@pytest.mark.parametrize("table, damage", [
    ("stacks", "foreign"), ("flagperf_summary", "foreign"), ("op_coverage", "old"),
    ("stack_capabilities", "garbage"), ("llm_kernel_support", "foreign"),
])
def test_a_damaged_or_foreign_table_is_one_line_never_a_traceback(tmp_path, capsys, table, damage):
    import shutil

    import pandas as pd

    from harness import paths

    cov = tmp_path / "coverage"
    shutil.copytree(paths.RESULTS / "coverage", cov)
    target = cov / f"{table}.parquet"
    if damage == "garbage":
        target.write_bytes(b"not parquet")
    elif damage == "old":  # built before via_decomposition existed
        pd.read_parquet(target).drop(columns=["n_via_decomposition"]).to_parquet(target)
    else:  # another table's rows under this name
        shutil.copy(cov / "ggml_coverage_summary.parquet", target)
    assert cli.main(["readiness", "--coverage-dir", str(cov)]) == 2
    err = capsys.readouterr().err
    assert table in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
