from collections import Counter
from pathlib import Path

import pytest

from harness import paths
from harness.readiness.errors import InputError, split_row
from harness.readiness.importers import model_support as ms

from .conftest import FIXTURES

MATRIX = FIXTURES / "vllm" / "supported_models.md"
FAMILIES = FIXTURES / "specs" / "oplists" / "mappings" / "model-families.yaml"
KUNLUN = "kunlun/vllm_kunlun_supported_models.md"
SGLANG = "sglang/ascend_npu_support_models.md"
LOCAL = "ascend/vllm_ascend_supported_models.md"
CORE = "Text-Only Language Models > Generative Models > Core Supported Models"


def _rows(path=MATRIX, families=FAMILIES):
    return ms.support_rows(path, LOCAL, ms.load_families(families))


def test_structure_sections_tabs_and_cells():
    parsed = ms.parse(MATRIX)
    assert [(r["section"].split(" > ")[-1], r["tab"], r["cells"]["Model"]) for r in parsed] == [
        ("Core Supported Models", "A2/A3", "DeepSeek V3/3.1"),
        ("Core Supported Models", "A2/A3", "Qwen3-Next"),
        ("Core Supported Models", "Atlas 300I DUO", "Qwen3-Dense"),
        ("Extended Compatible Models", None, "DeepSeek Distill (Qwen/Llama)"),
        ("Extended Compatible Models", None, "Llama2/3/3.1/3.2"),
        ("Extended Compatible Models", None, "InternVL2.0/2.5<br>Mono-InternVL"),
        ("Extended Compatible Models", None, "Brand-New-LM"),
        ("Pooling Models", "A2/A3", "Qwen2.5-Math-RM-72B"),
    ]
    assert parsed[0]["section"] == CORE and parsed[0]["line"] == 20


def test_rows_per_mark_column_with_the_legend():
    rows = {(r["hardware_tab"], r["model_name"], r["model_feature"]): r for r in _rows()}
    # 2 rows x 5 mark columns + 3 (Atlas 300I DUO) + 4 x 1 (extended) + 2 (Pooling: Support, W8A8)
    assert len(rows) == 10 + 3 + 4 + 2
    ds = rows[("A2/A3", "DeepSeek V3/3.1", "model")]
    assert (ds["model_support_status"], ds["status_printed"], ds["model_family"]) == ("supported", "✅", "deepseek")
    assert ds["max_model_len_printed"] == "240k" and ds["supported_hardware"] == "A2/A3"
    assert ds["source_line"] == 20 and ds["readiness_tier"] == "declared" and ds["stack_id"] == "cann"
    assert ds["locator"] == f"{CORE} > tab 'A2/A3', row 'DeepSeek V3/3.1', column 'Support'"
    assert ds["source_url"].endswith("/blob/182b75ea/docs/source/user_guide/support_matrix/supported_models.md")
    qn = {f: rows[("A2/A3", "Qwen3-Next", f)]["model_support_status"]
          for f in ("model", "bf16", "w8a8", "tensor_parallel", "expert_parallel")}
    assert qn == {"model": "experimental", "bf16": "supported", "w8a8": "untested",
                  "tensor_parallel": "unknown", "expert_parallel": "not-supported"}
    assert rows[("A2/A3", "Qwen3-Next", "tensor_parallel")]["status_printed"] is None
    assert rows[("Atlas 300I DUO", "Qwen3-Dense", "bf16")]["model_support_status"] == "not-supported"
    assert rows[("Atlas 300I DUO", "Qwen3-Dense", "model")]["note_printed"] == "FP16"
    assert rows[(None, "InternVL2.0/2.5<br>Mono-InternVL", "model")]["model_family"] == "internvl"


def test_family_states():
    rows = {r["model_name"]: r for r in _rows() if r["model_feature"] == "model"}
    distill = rows["DeepSeek Distill (Qwen/Llama)"]
    assert (distill["model_family"], distill["mapping_status"], distill["mapping_note"]) == (
        None, "unmapped", "two series in one row")
    new = rows["Brand-New-LM"]
    assert (new["model_family"], new["mapping_status"]) == (None, "unreviewed")


def test_reviewed_short_row_reads_the_missing_cell_as_blank():
    rows = {r["model_feature"]: r for r in _rows() if r["model_name"] == "Qwen2.5-Math-RM-72B"}
    assert rows["w8a8"]["model_support_status"] == "unknown"
    assert "read as blank" in rows["w8a8"]["locator"] and "read as blank" not in rows["model"]["locator"]


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("| Tensor Parallel | Expert Parallel |", "| Tensor Paralel | Expert Parallel |", 18,
     "unknown column 'Tensor Paralel'"),
    ("| A2/A3 | 🟡 |  | ❌ |", "| A2/A3 | 🟡 |  |", 21, "row has 9 cells, the header 10"),
    ("| DeepSeek V3/3.1 | ✅ |", "| DeepSeek V3/3.1 | yes |", 20, "column 'Support': 'yes' is not a legend mark"),
    ("    |-------|---------|------|------|--------------------|-----------------|-----|\n", "", 26,
     "table header is not followed by a separator row"),
    ("| Qwen2.5-Math-RM-72B | 🔵 | Reward Model | A2 |", "| Qwen2.5-Math-RM | 🔵 | Reward Model | A2 |", 44,
     "row has 5 cells, the header 6"),
    ("| Llama2/3/3.1/3.2              |", "| DeepSeek Distill (Qwen/Llama) |", 34,
     "listed twice in one table (line 33)"),
])
def test_malformed_matrix_is_one_error_with_file_and_line(tmp_path: Path, old, new, line, message):
    text = MATRIX.read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / "supported_models.md"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        _rows(bad)
    assert str(exc.value).startswith(f"{bad}:{line}: ") and message in str(exc.value)


@pytest.mark.parametrize(("extra", "line", "message"), [
    ('  bert: ["Qwen3-Next"]\n', 3, "'Qwen3-Next' is under 'qwen' and 'bert'"),
    ('  "Mllama": "x"\n  "Qwen3-Dense": "y"\n', 9, "'Qwen3-Dense' is both under family 'qwen' and unassigned"),
])
def test_family_map_lists_a_name_once(tmp_path: Path, extra, line, message):
    text = FAMILIES.read_text(encoding="utf-8")
    if "bert" in extra:
        text = text.replace("unassigned:\n", extra + "unassigned:\n")
    else:
        text += extra
    bad = tmp_path / "f.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        ms.load_families(bad)
    assert str(exc.value) == f"{bad}:{line}: {message}"


# --- the real matrix (committed files: they must exist) ---

def _real_data_rows(local: str = LOCAL) -> list[list[str]]:
    """Table rows of the real file counted here without the importer: a row whose second cell is
    one of the legend's marks (headers and separators have none)."""
    marks = {"✅", "🔵", "❌", "🟡"}
    out = []
    for line in (paths.UPSTREAM / local).read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("|"):
            cells = split_row(line.strip())
            if len(cells) > 1 and cells[1] in marks:
                out.append(cells)
    return out


def test_real_matrix_counts_computed_from_the_file():
    from harness.readiness.registry import Context

    data = _real_data_rows()
    everything = ms.run(Context())["model_support"]
    df = everything[everything["inference_engine"] == "vllm-ascend"]
    model = df[df["model_feature"] == "model"]
    assert len(data) == len(model) == 99
    assert Counter(model["model_support_status"]) == {
        {"✅": "supported", "🔵": "experimental", "❌": "not-supported", "🟡": "untested"}[m]: n
        for m, n in Counter(c[1] for c in data).items()}
    assert set(df["stack_id"]) == {"cann"} and (paths.STACK_SPECS / "cann.yaml").is_file()
    assert df["source_commit"].unique().tolist() == ["182b75ea"]
    assert set(everything["inference_engine"]) == {"vllm-ascend", "vllm-kunlun", "sglang"}


def test_real_kunlun_matrix_one_row_per_model_and_mark_column():
    from harness.readiness.registry import Context

    data = _real_data_rows(KUNLUN)
    df = ms.run(Context())["model_support"]
    df = df[df["inference_engine"] == "vllm-kunlun"]
    assert set(df["stack_id"]) == {"kunlun-xpu"} and (paths.STACK_SPECS / "kunlun-xpu.yaml").is_file()
    # every cell of every table row after the Model column is one row, blanks as unknown
    assert len(df) == sum(len(c) - 1 for c in data)
    blanks = sum(1 for c in data for x in c[1:] if x == "")
    assert (df["model_support_status"] == "unknown").sum() == blanks > 0
    assert set(df.loc[df["model_feature"] == "model", "model_name"]) == {c[0] for c in data}
    assert df["source_commit"].unique().tolist() == ["09869ee7795f8f0ea121fc38d6adbe177fc5006a"]
    assert df["mapping_status"].eq("mapped").all()


def _sglang_rows() -> list[list[str]]:
    """SGLang's table rows, counted without the importer: a row whose last cell holds the √ mark."""
    return [split_row(line.strip()) for line in (paths.UPSTREAM / SGLANG).read_text(encoding="utf-8").splitlines()
            if line.strip().startswith("|") and "√" in line]


def test_real_sglang_matrix_one_row_per_model_and_product_line():
    from harness.readiness.registry import Context

    data = _sglang_rows()
    df = ms.run(Context())["model_support"]
    df = df[df["inference_engine"] == "sglang"]
    assert len(data) == 80 and len(df) == 2 * len(data)  # A2 and A3 per printed row
    assert set(df["stack_id"]) == {"cann"} and set(df["hardware_tab"]) == {"A2", "A3"}
    assert set(df["model_feature"]) == {"model"}
    assert Counter(df["model_support_status"]) == {"supported": 160}  # every mark is the √
    assert df["status_printed"].str.contains("√").all()  # the mark as printed, markup and all
    assert df["mapping_status"].eq("mapped").all()
    assert df["source_commit"].unique().tolist() == ["5142eb0c28c96203d2fea171248dad9dbbfaa2e9"]


def test_a_mark_with_markup_that_is_not_in_the_legend_is_an_error(tmp_path: Path):
    up = tmp_path / "sglang"
    up.mkdir()
    text = (paths.UPSTREAM / SGLANG).read_text(encoding="utf-8")
    bad = text.replace('**<span style="color: green;">√</span>**', '**<span style="color: red;">×</span>**', 1)
    (up / "ascend_npu_support_models.md").write_text(bad, encoding="utf-8")
    fam = ms.load_families(paths.SPECS / ms.FAMILIES)
    with pytest.raises(InputError) as exc:
        ms.support_rows(up / "ascend_npu_support_models.md", SGLANG, fam)
    line = next(n for n, raw in enumerate(bad.splitlines(), 1) if "×" in raw)
    assert str(exc.value).startswith(f"{up / 'ascend_npu_support_models.md'}:{line}: column 'A2 Supported'")
    assert "×" in str(exc.value)


def test_real_family_map_reviews_every_model_name_once():
    names = ({c[0] for c in _real_data_rows()} | {c[0] for c in _real_data_rows(KUNLUN)}
             | {c[0] for c in _sglang_rows()})
    fam = ms.load_families(paths.SPECS / ms.FAMILIES)
    assert names == set(fam["family"]) | set(fam["unassigned"])
