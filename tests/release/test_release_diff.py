"""`accel diff` and CHANGES.md: SKUs added/removed, value and state changes with both sources."""

from __future__ import annotations

import shutil

import pandas as pd

from tests.release.conftest import make_source


def _edited(tmp_path):
    """A copy of the dataset with one value changed, one state changed, one SKU removed and one added."""
    src = make_source(tmp_path / "new")
    vals = pd.read_parquet(src / "spec_values.parquet")
    acc = pd.read_parquet(src / "accelerators.parquet")
    i = vals.index[(vals.accelerator_id == "nvidia/h100-sxm5") & (vals.field == "tdp_w")][0]
    vals.loc[i, "value"] = 750.0
    vals.loc[i, "source_url"] = "https://example.com/new-datasheet"
    j = vals.index[(vals.accelerator_id == "nvidia/h20") & (vals.field == "memory_capacity_gb")][0]
    vals.loc[j, ["state", "value"]] = ["undisclosed", pd.NA]
    gone = "alibaba/hanguang-800"
    vals, acc = vals[vals.accelerator_id != gone], acc[acc.accelerator_id != gone]
    new_acc = acc[acc.accelerator_id == "nvidia/h20"].assign(accelerator_id="demo/x1", name="Demo X1")
    new_val = vals[vals.accelerator_id == "nvidia/h20"].head(2).assign(accelerator_id="demo/x1")
    pd.concat([vals, new_val]).to_parquet(src / "spec_values.parquet")
    pd.concat([acc, new_acc]).to_parquet(src / "accelerators.parquet")
    return src


def test_diff_of_two_folders_reports_every_kind_of_change(tmp_path, accel):
    old = make_source(tmp_path / "old")
    code, out, _ = accel("diff", old, _edited(tmp_path))
    assert code == 0
    assert "## SKUs added" in out and "`demo/x1` (Demo X1): 2 values" in out
    assert "## SKUs removed" in out and "`alibaba/hanguang-800`" in out
    h100 = next(line for line in out.splitlines() if line.startswith("| `tdp_w`"))
    assert "700 W" in h100 and "750 W" in h100 and "https://example.com/new-datasheet" in h100
    h20 = next(line for line in out.splitlines() if line.startswith("| `memory_capacity_gb`"))
    assert "known -> undisclosed" in h20 and "96 GB" in h20
    assert "1 SKU(s) added, 1 removed; 2 value change(s)" in out


def test_release_writes_changes_against_the_previous_release(release, tmp_path, accel):
    code, _, err = accel("release", "--version", "0.2.0", "--out", tmp_path / "0.2.0", "--from", _edited(tmp_path),
                         "--previous", release, "--date", "2026-12-02")
    assert code == 0, err
    changes = (tmp_path / "0.2.0" / "CHANGES.md").read_text()
    assert changes.startswith("# Changes: 0.1.0") and "0.2.0 (this release)" in changes
    assert "known -> undisclosed" in changes and "`demo/x1`" in changes
    assert "1 SKU(s) added" in (tmp_path / "0.2.0" / "README.md").read_text()


def test_identical_sides_have_no_changes(release, accel):
    code, out, _ = accel("diff", release, release)
    assert code == 0 and "No value-level changes." in out


def test_git_revision_is_read_without_touching_the_work_tree(release, accel):
    code, out, err = accel("diff", "HEAD", release)
    assert code == 0, err
    assert out.startswith("# Changes: git HEAD ->")


def test_unknown_side_is_one_clean_error(tmp_path, accel):
    code, _, err = accel("diff", "no-such-rev-xyz", tmp_path)
    assert code == 2 and "neither a release directory nor a git revision" in err and "Traceback" not in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = accel("diff", empty, empty)
    assert code == 2 and "no spec_values.parquet" in err


def test_diff_out_file(tmp_path, accel, release):
    shutil.copytree(release, tmp_path / "copy")
    code, _, err = accel("diff", release, tmp_path / "copy", "--out", tmp_path / "CHANGES.md")
    assert code == 0 and (tmp_path / "CHANGES.md").read_text().startswith("# Changes:")
