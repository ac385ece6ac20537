import json
import re

import pytest

pytest.importorskip("torch")

from harness.runs import store as st  # noqa: E402
from harness.runs.device import resolve  # noqa: E402


def row(op, dtype="float32", outcome="pass", err=None):
    return {"op": op, "dtype": dtype, "sample_dtype": dtype, "probe_outcome": outcome, "message": None,
            "max_abs_error": err, "max_rel_error": err, "atol": None, "rtol": None, "op_time_ms": None,
            "worker_time_ms": None, "wall_time_ms": 1.0, "note": None, "device_name": "cpu",
            "torch_version": "t", "harness_version": "h"}


@pytest.fixture
def two_runs(tmp_path):
    a = st.RunStore(tmp_path, "probe_results", "cpu", "20260101T000000Z-aaaaaa")
    a.write_meta({"status": "running"})
    a.append([row("abs"), row("neg")])
    a.append([row("relu", outcome="crash")])  # every float column null in this part
    b = st.RunStore(tmp_path, "probe_results", "meta", "20260102T000000Z-bbbbbb")
    b.write_meta({"status": "complete"})
    b.append([row("abs", err=0.5)])
    return tmp_path, a, b


def test_parts_are_numbered_whole_files_and_the_meta_is_skipped_by_readers(two_runs):
    root, a, _ = two_runs
    assert [p.name for p in a.parts()] == ["part-00000.parquet", "part-00001.parquet"]
    assert not list(root.rglob(".*"))  # no temporary file left behind
    assert a.done("op", "dtype") == {("abs", "float32"), ("neg", "float32"), ("relu", "float32")}
    assert a.read_meta() == {"status": "running"}


def test_compaction_merges_parts_and_keeps_the_metadata(two_runs):
    root, a, _ = two_runs
    before = a.read().sort_values("op").reset_index(drop=True)
    a.compact()
    assert [p.name for p in a.parts()] == ["part-00000.parquet"]
    assert a.read_meta() == {"status": "running"}
    after = a.read().sort_values("op").reset_index(drop=True)
    assert after.equals(before)
    assert not [p for p in root.rglob("*") if p.name.startswith(".")]  # no leftovers of the swap


def test_readable_as_one_table_by_pandas_pyarrow_and_duckdb(two_runs):
    import pandas as pd
    import pyarrow.dataset as ds

    root, _, _ = two_runs
    assert len(pd.read_parquet(root)) == 4
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    assert table.schema.field("max_abs_error").type == "double"  # never Arrow's null type
    df = st.read_table(root)
    assert sorted(df["device_type"].unique()) == ["cpu", "meta"] and df["run_id"].nunique() == 2
    assert df.loc[df.device_type == "meta", "max_abs_error"].iloc[0] == 0.5
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.sql(f"select count(*) from read_parquet('{root}/**/*.parquet', hive_partitioning=true) "
                   "where device_type = 'cpu'").fetchall()[0][0]
    assert n == 3


def test_rows_are_validated_against_the_registry(tmp_path):
    pytest.importorskip("harness.dataset.tableschemas")
    bad = st.RunStore(tmp_path, "probe_results", "cpu", "r")
    with pytest.raises(Exception, match="probe_outcome"):
        bad.append([row("abs", outcome="maybe")])
    assert not bad.parts()


def test_arrow_schema_comes_from_the_registry():
    from harness.dataset.registry import registry

    schema = st.arrow_schema("probe_results")
    cols = [c for c in registry().tables["probe_results"].columns if c not in st.partitions("probe_results")]
    assert schema.names == cols


def test_run_ids_sort_by_time():
    rid = st.new_run_id()
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", rid)


def test_git_sha_is_read_without_git(tmp_path):
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    assert st.git_sha(tmp_path) is None  # no commit yet
    (git / "packed-refs").write_text("# pack\n" + "a" * 40 + " refs/heads/main\n")
    assert st.git_sha(tmp_path) == "a" * 40
    (git / "refs" / "heads" / "main").write_text("b" * 40 + "\n")
    assert st.git_sha(tmp_path) == "b" * 40


def test_run_metadata_records_versions_device_and_command(tmp_path):
    meta = st.run_metadata("probe", "rid", resolve("cpu"), {"x": 1}, ["accel", "probe", "--device", "cpu"])
    for key in ("harness_version", "git_sha", "torch_version", "device_name", "runtime", "start_time", "end_time"):
        assert key in meta
    assert meta["command_line"] == "accel probe --device cpu" and meta["options"] == {"x": 1}
    json.dumps(meta)


def test_rows_logged_survive_until_flushed_into_one_validated_part(tmp_path):
    s = st.RunStore(tmp_path, "probe_results", "cpu", "r1")
    s.log([row("abs")])
    s.log([row("neg"), row("relu")])
    assert s.parts() == [] and s.done("op", "dtype") == {("abs", "float32"), ("neg", "float32"), ("relu", "float32")}
    assert len(s.read()) == 3  # a reader of an unfinished run sees the logged rows
    s.flush()
    assert [p.name for p in s.parts()] == ["part-00000.parquet"] and not s.log_path.exists()
    assert sorted(s.read()["op"]) == ["abs", "neg", "relu"]


def test_a_torn_log_line_is_dropped_and_rows_in_a_part_are_not_written_twice(tmp_path):
    s = st.RunStore(tmp_path, "probe_results", "cpu", "r1")
    s.log([row("abs"), row("neg")])
    s.flush()
    s.log([row("neg"), row("relu")])  # neg: as if killed after its part, before the log was removed
    with open(s.log_path, "ab") as fh:
        fh.write(b'{"op": "sigm')  # killed mid-write
    assert {op for op, _ in s.done("op", "dtype")} == {"abs", "neg", "relu"}
    s.reopen()
    s.log([row("exp")])
    s.flush()
    ops = sorted(s.read()["op"])
    assert ops == ["abs", "exp", "neg", "relu"]


def test_a_bad_row_is_refused_before_it_reaches_the_log(tmp_path):
    s = st.RunStore(tmp_path, "probe_results", "cpu", "r1")
    with pytest.raises(ValueError, match="probe_outcome"):
        s.log([row("abs", outcome="maybe")])
    with pytest.raises(ValueError, match="unknown column"):
        s.log([{**row("abs"), "colour": "red"}])
    assert not s.log_path.exists()


def test_probe_runs_are_filed_by_stack_with_the_device_type_as_a_column(tmp_path):
    s = st.RunStore(tmp_path, "probe_results", "cuda", "r1", stack_id="rocm")
    s.log([row("abs")])
    s.flush()
    assert s.dir == tmp_path / "stack_id=rocm" / "run_id=r1"
    df = st.read_table(tmp_path)
    assert (df.stack_id.tolist(), df.device_type.tolist()) == (["rocm"], ["cuda"])
    npu = st.RunStore(tmp_path, "probe_results", "npu", "r2")  # no stack given: the reviewed table
    assert npu.dir.parent.name == "stack_id=cann"
