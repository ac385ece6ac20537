"""FlagGems importer: conf/operators.yaml -> declared evidence for the `flagos` stack."""

import tempfile
from pathlib import Path

import pytest

from harness.readiness import snapshot
from harness.readiness.importers import flaggems
from harness.errors import UserError
from harness.paths import OPLISTS, UPSTREAM

DOC = {"ops": [
    {"id": "abs", "for": ["abs"], "labels": ["aten", "pointwise"], "stages": [{"stable": "1.0"}]},
    {"id": "add", "for": ["add.Tensor", "add_.Tensor", "None"], "labels": ["aten"],
     "stages": [{"beta": "4.1"}, {"stable": "5.3"}]},
    {"id": "silu_and_mul", "for": ["silu_and_mul"], "labels": ["fused"], "stages": [{"stable": "2.0"}]},
    {"id": "old_op", "for": ["erf"], "labels": ["aten"], "stages": [{"stable": "1.0"}, {"removed": "5.0"}]},
    {"id": "avg_pool1d", "for": ["avg_pool1d"], "labels": ["aten"], "stages": [{"alpha": "5.4"}],
     "device": ["nvidia"]},
    {"id": "absolute", "for": ["abs"], "labels": ["aten"], "stages": [{"stable": "1.1"}]},
]}


def test_aten_operators_become_declared_entries_with_their_latest_stage():
    rows, counts = flaggems.entries(DOC)
    got = {(r["op"], r["scope"]): r for r in rows}
    assert set(got) == {("abs", "*"), ("add.Tensor", "*"), ("add_.Tensor", "*"), ("avg_pool1d", "nvidia")}
    assert all(r["status"] == "declared_supported" for r in rows)
    assert got[("add.Tensor", "*")]["detail"] == "FlagGems operator 'add', stable since 5.3"
    assert got[("abs", "*")]["detail"].startswith("FlagGems operator 'abs',")  # first listing kept
    assert counts == {"operators": 6, "aten_operators": 5, "removed": 1, "device_limited": 1, "overloads": 4,
                      "aliased": 0}


def test_fused_removed_and_placeholder_names_are_not_evidence():
    ops = {r["op"] for r in flaggems.entries(DOC)[0]}
    assert "silu_and_mul" not in ops and "erf" not in ops and "None" not in ops


@pytest.mark.parametrize("doc, message", [
    ({"operators": []}, "'ops:' list"),
    ({"ops": [{"for": ["abs"]}]}, "needs an 'id'"),
    ({"ops": [{"id": "x", "labels": ["aten"], "stages": [{"gamma": "1"}]}]}, "unknown stage 'gamma'"),
    ({"ops": [{"id": "x", "labels": ["aten"], "stages": ["stable"]}]}, "one-key mappings"),
])
def test_malformed_lists_are_one_clear_error(doc, message):
    with pytest.raises(UserError, match=message):
        flaggems.entries(doc)


@pytest.mark.skipif(not (UPSTREAM / flaggems.FILE).exists(), reason="shared/upstream absent")
def test_committed_snapshot_is_what_the_importer_writes_from_the_real_file():
    fresh = flaggems.build(UPSTREAM, OPLISTS)
    assert fresh["sources"]["flaggems"]["repo"] == "flagos-ai/FlagGems"
    assert fresh["count_aten_operators"] < fresh["count_operators"]
    committed = snapshot.read(OPLISTS / "flagos" / f"{fresh['snapshot']}.yaml")
    key = lambda e: (e["op"], e.get("scope", "*"))  # noqa: E731
    assert sorted(map(key, committed["entries"])) == sorted(map(key, fresh["entries"]))


BACKENDS = {"reviewed": {"repo": "flagos-ai/FlagGems", "commit": "abc"}, "backends": {
    "vendora": {"stack": "stack-a", "black_list": "x/_vendora/op_black_list.yaml", "tested": "2026-03-11",
                "excluded": {"abs": "failed in all dtypes", "silu_and_mul": "failed in all dtypes",
                             "not_an_op": "failed", "add": {"reason": "failed in bf16", "dtypes": ["BF16"]}}},
    "vendorb": {"stack": "stack-b", "black_list": None},
}}


def test_a_backend_black_list_makes_its_aten_ops_unsupported_in_its_scope_only():
    rows, unmapped, partial, sources = flaggems.exclusion_entries(DOC, BACKENDS)
    assert [(r["op"], r["status"], r["scope"]) for r in rows] == [("abs", "declared_unsupported", "vendora")]
    assert unmapped == {"vendora": ["not_an_op"]}            # no FlagGems operator of that id
    assert partial == {"vendora": ["add (bfloat16)"]}         # some dtypes only: no op-level row
    assert set(sources) == {"black-list-vendora"}             # a backend without a list adds nothing
    assert sources["black-list-vendora"]["date"] == "2026-03-11"


def test_backend_file_shape_is_checked(tmp_path):
    bad = tmp_path / "mappings" / "flaggems-backends.yaml"
    bad.parent.mkdir()
    bad.write_text("reviewed: {}\nbackends:\n  x: {stack: musa}\n")
    with pytest.raises(UserError, match="needs 'stack' and 'black_list'"):
        flaggems.load_backends(bad)
    bad.write_text("reviewed: {}\nbackends:\n  x: {stack: musa, black_list: f, excluded: {abs: [1]}}\n")
    with pytest.raises(UserError, match="excluded.abs"):
        flaggems.load_backends(bad)


def test_readiness_reads_the_backend_scope_row_or_the_library_row():
    import pandas as pd

    from harness.readiness.importers.stacks import backend_rows
    from harness.views import readiness

    cov = pd.DataFrame([
        {"stack_id": "flagos", "reference_set": "core", "dtype": "*", "device_scope": "*",
         "n_reference_ops": 10, "n_declared_supported": 8, "n_declared_unsupported": 0},
        {"stack_id": "flagos", "reference_set": "core", "dtype": "*", "device_scope": "vendora",
         "n_reference_ops": 10, "n_declared_supported": 7, "n_declared_unsupported": 1},
    ])
    import yaml

    path = Path(tempfile.mkdtemp()) / "backends.yaml"
    path.write_text(yaml.safe_dump(BACKENDS))
    tables = {"op_coverage": cov, "flaggems_backends": pd.DataFrame(backend_rows(path))}
    a = readiness.via_flaggems("stack-a", tables)
    assert (a[0]["backend"], a[0]["core_ops_offered"], a[0]["core_ops_excluded"]) == ("_vendora", 7, 1)
    assert a[0]["offered_share"] == pytest.approx(0.7)
    b = readiness.via_flaggems("stack-b", tables)
    assert (b[0]["core_ops_offered"], b[0]["black_list_tested"]) == (8, None)
    assert readiness.via_flaggems("stack-c", tables) == []


def test_a_test_issue_exclusion_is_a_known_failure_not_unsupported():
    backends = {"reviewed": {}, "backends": {"vendora": {
        "stack": "stack-a", "black_list": "x", "excluded": {
            "abs": {"reason": "the reference needs a dim", "kind": "test-issue"}}}}}
    rows, *_ = flaggems.exclusion_entries(DOC, backends)
    assert [(r["op"], r["status"]) for r in rows] == [("abs", "known_failure")]
    assert "test issue" in rows[0]["detail"]


def test_an_unknown_exclusion_kind_is_refused(tmp_path):
    f = tmp_path / "mappings" / "flaggems-backends.yaml"
    f.parent.mkdir()
    f.write_text("reviewed: {}\nbackends:\n  x: {stack: musa, black_list: f, excluded: "
                 "{abs: {reason: r, kind: flaky}}}\n")
    with pytest.raises(UserError, match="kind is one of"):
        flaggems.load_backends(f)


def test_reviewed_aliases_rename_spellings_and_exclusions_follow_them(tmp_path):
    doc = {"ops": [{"id": "flip", "for": ["filp"], "labels": ["aten"], "stages": [{"stable": "2.1"}]}]}
    rows, counts = flaggems.entries(doc, {"filp": "flip"})
    assert [r["op"] for r in rows] == ["flip"] and counts["aliased"] == 1
    assert "registered as 'filp'" in rows[0]["detail"]
    backends = {"reviewed": {}, "backends": {"v": {"stack": "s", "black_list": "x",
                                                   "excluded": {"flip": "failed"}}}}
    excl, *_ = flaggems.exclusion_entries(doc, backends, {"filp": "flip"})
    assert [r["op"] for r in excl] == ["flip"]


@pytest.mark.parametrize("text, message", [
    ("aliases: {filp: {aten: flip}}\n", "needs 'aten'"),
    ("aliases: {filp: {aten: flip, reason: r}}\nunmapped: {filp: why}\n", "both aliased and unmapped"),
    ("aliases: [filp]\n", "expected 'aliases:'"),
])
def test_the_alias_file_is_checked(tmp_path, text, message):
    f = tmp_path / "aliases.yaml"
    f.write_text(text)
    with pytest.raises(UserError, match=message):
        flaggems.load_aliases(f)


def test_every_reviewed_alias_names_an_aten_overload_of_the_scored_torch():
    pytest.importorskip("torch")
    from harness.readiness import native

    names = set(native.load())
    aliases = flaggems.load_aliases(OPLISTS / flaggems.ALIASES)
    assert aliases, "the reviewed alias file is empty"
    assert sorted(t for t in aliases.values() if t not in names) == []
    assert not set(aliases) & names  # an alias for a name torch already has would hide it
