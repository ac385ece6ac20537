"""vLLM's Feature x Hardware matrix -> engine_features: counts recomputed from the file, every
malformed cell one error with file and line, and the scorecard row."""

from collections import Counter
from pathlib import Path

import pytest

from harness import paths
from harness.readiness.errors import InputError, split_row
from harness.readiness.importers import engine_features as ef
from harness.readiness.registry import Context

REAL = paths.UPSTREAM / ef.LOCAL


def _table_rows(text: str) -> list[list[str]]:
    """The Feature x Hardware table's data rows, found here without the importer."""
    lines = text.splitlines()
    i = lines.index(ef.TABLE_HEADING)
    rows = []
    for line in lines[i + 1:]:
        if line.startswith("|"):
            rows.append(split_row(line))
        elif rows:
            break
    return rows[2:]  # header and separator


def test_real_matrix_one_row_per_feature_and_hardware_column():
    data = _table_rows(REAL.read_text(encoding="utf-8"))
    df = ef.run(Context())["engine_features"]
    assert len(df) == sum(len(r) - 1 for r in data) == 15 * 8
    amd = df[df["hardware_column"] == "AMD"]
    assert set(amd["stack_id"]) == {"rocm"}
    # the AMD column's marks, counted from the raw cells (a link keeps its mark)
    col = split_row(REAL.read_text(encoding="utf-8").splitlines()[
        REAL.read_text(encoding="utf-8").splitlines().index(ef.TABLE_HEADING) + 2]).index("AMD")
    raw = Counter(next(m for m in ef.MARKS if m in r[col]) for r in data)
    assert Counter(amd["status_printed"]) == raw
    assert set(amd.loc[amd["engine_feature_status"] == "not-supported", "engine_feature"]) == {
        "encoder_decoder", "async_output"}
    assert df["source_commit"].unique().tolist() == ["00712b315d4a267f7b14e0593708c9a8e357630e"]


def test_a_mark_written_as_a_link_keeps_the_tracking_issue():
    df = ef.run(Context())["engine_features"]
    volta_cp = df[(df["hardware_column"] == "Volta") & (df["engine_feature"] == "chunked_prefill")].iloc[0]
    assert volta_cp["engine_feature_status"] == "not-supported"
    assert volta_cp["tracking_url"] == "https://github.com/vllm-project/vllm/issues/2729"
    assert df["tracking_url"].notna().sum() == 4


TABLE = """# Features

### Feature x Feature

| Feature | CP |
| - | - |
| CP | ✅ |

### Feature x Hardware

| Feature | Hopper | AMD |
| ------- | ------ | --- |
| [CP](x.md) | ✅ | [❌](https://example.invalid/1) |
| <abbr title="Encoder-Decoder Models">enc-dec</abbr> | ✅ | ❔ |
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "features.md"
    p.write_text(text, encoding="utf-8")
    return p


def test_fixture_reads_links_and_abbreviations(tmp_path):
    cells = ef.parse(_write(tmp_path, TABLE))
    assert [(c["feature_printed"], c["hardware"], c["mark"], c["link"]) for c in cells] == [
        ("CP", "Hopper", "✅", None), ("CP", "AMD", "❌", "https://example.invalid/1"),
        ("enc-dec", "Hopper", "✅", None), ("enc-dec", "AMD", "❔", None)]


@pytest.mark.parametrize("old, new, line, message", [
    ("| Feature | Hopper | AMD |", "| Feature | Hopper | Gaudi |", 11, "unknown hardware column 'Gaudi'"),
    ("| [CP](x.md) |", "| [XP](x.md) |", 13, "unknown feature 'XP'"),
    ("| ✅ | ❔ |", "| ✅ | yes |", 14, "column 'AMD': 'yes' is not a legend mark"),
    ("| ✅ | ❔ |", "| ✅ |", 14, "row has 2 cells, the header 3"),
    ("### Feature x Hardware", "### Hardware", None, "no '### Feature x Hardware' heading"),
])
def test_malformed_matrix_is_one_error_with_file_and_line(tmp_path, old, new, line, message):
    p = _write(tmp_path, TABLE.replace(old, new))
    with pytest.raises(InputError) as exc:
        ef.parse(p)
    where = f"{p}:{line}" if line else f"{p}"
    assert str(exc.value).startswith(f"{where}: {message}")


def test_a_feature_listed_twice_is_an_error(tmp_path):
    p = _write(tmp_path, TABLE + "")
    p.write_text(TABLE.replace("| <abbr", "| [CP](y.md) | ✅ | ✅ |\n| <abbr"), encoding="utf-8")
    with pytest.raises(InputError, match="listed twice"):
        ef.feature_rows(p)


def test_scorecard_row_counts_full_support_per_column_in_the_matrix_order():
    from harness.views.scorecard import engine_features as row

    df = ef.run(Context())["engine_features"]
    (label, cells), = row.rows({"engine_features": df}, {})
    assert "declared" in label
    assert cells["rocm"] == "AMD: 12/15 (1 unknown) (vllm)"
    assert cells["cuda"].startswith("Volta: 13/15; Turing, Ampere, Ada, Hopper: 15/15")
