"""FlagGems importer: conf/operators.yaml -> declared evidence for the `flagos` stack."""

import pytest

from harness.coverage import snapshot
from harness.coverage.importers import flaggems
from harness.errors import UserError
from harness.paths import OPLISTS, SHARED_UPSTREAM

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
    assert counts == {"operators": 6, "aten_operators": 5, "removed": 1, "device_limited": 1, "overloads": 4}


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


@pytest.mark.skipif(not (SHARED_UPSTREAM / flaggems.FILE).exists(), reason="shared/upstream absent")
def test_committed_snapshot_is_what_the_importer_writes_from_the_real_file():
    fresh = flaggems.build(SHARED_UPSTREAM)
    assert fresh["sources"]["flaggems"]["repo"] == "flagos-ai/FlagGems"
    assert fresh["count_aten_operators"] < fresh["count_operators"]
    committed = snapshot.read(OPLISTS / "flagos" / f"{fresh['snapshot']}.yaml")
    key = lambda e: (e["op"], e.get("scope", "*"))  # noqa: E731
    assert sorted(map(key, committed["entries"])) == sorted(map(key, fresh["entries"]))
