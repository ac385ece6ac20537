"""Output folders as an input boundary: accel replaces only what its own manifest proves it wrote.

Attacks: a downloads folder holding a distro's SHA256SUMS, a folder of files that merely look
like tables, another kind of accel folder, a symlink, a file, a folder accel wrote and a user then
added to; debris of dead runs beside the output; a crash between the two renames.
"""

from __future__ import annotations

import os
import textwrap

import pytest

SPEC = textwrap.dedent("""\
    id: demo/x1
    name: Demo X1
    vendor: demo
    status: shipping
    market: global
    sources:
      ds: {title: Demo datasheet, url: "https://example.com/x1", accessed: "2026-11-28", tier: official}
    values:
      tdp_w: {value: 700, unit: W, source: ds, locator: "Table 1"}
    """)


@pytest.fixture
def specs(tmp_path):
    d = tmp_path / "specs" / "accelerators" / "demo"
    d.mkdir(parents=True)
    (d / "x1.yaml").write_text(SPEC)
    return tmp_path / "specs"


def _build(accel, specs, out):
    return accel("build", "--specs", specs, "--out", out, "--dataset-only")


def _tree(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}


@pytest.mark.parametrize("files", [
    {"SHA256SUMS": "0" * 64 + "  debian.iso\n", "debian.iso": "iso"},   # a downloads folder
    {"accelerators.csv": "mine", "spec_values.parquet": "mine"},         # names that look like tables
    {"notes.txt": "mine"},
])
def test_a_folder_accel_did_not_write_is_never_replaced(accel, specs, tmp_path, files):
    out = tmp_path / "out"
    out.mkdir()
    for name, text in files.items():
        (out / name).write_text(text)
    before = _tree(out)
    code, _, err = _build(accel, specs, out)
    assert code == 2 and "refusing to replace" in err and "did not write it" in err
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_of_another_kind_is_not_replaced(accel, specs, tmp_path):
    from harness.atomic import atomic_dir

    out = tmp_path / "coverage"
    with atomic_dir(out, "coverage") as tmp:
        (tmp / "op_coverage.parquet").write_bytes(b"tables")
    code, _, err = _build(accel, specs, out)
    assert code == 2 and "as a coverage folder, not a dataset folder" in err
    assert (out / "op_coverage.parquet").read_bytes() == b"tables"


def test_its_own_folder_is_replaced_but_not_once_a_user_added_or_changed_a_file(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    assert (out / "accel-manifest.json").is_file()
    assert _build(accel, specs, out)[0] == 0
    (out / "my-analysis.ipynb").write_text("{}")
    code, _, err = _build(accel, specs, out)
    assert code == 2 and "my-analysis.ipynb is not listed" in err and (out / "my-analysis.ipynb").exists()
    (out / "my-analysis.ipynb").unlink()
    (out / "accelerators.csv").write_text("edited by hand\n")
    code, _, err = _build(accel, specs, out)
    assert code == 2 and "accelerators.csv changed since accel wrote it" in err
    assert (out / "accelerators.csv").read_text() == "edited by hand\n"


def test_a_symlinked_out_is_refused_and_left_alone(accel, specs, tmp_path):
    real = tmp_path / "real"
    assert _build(accel, specs, real)[0] == 0
    link = tmp_path / "link"
    link.symlink_to(real)
    before = _tree(real)
    code, _, err = _build(accel, specs, link)
    assert code == 2 and "symbolic link" in err
    assert link.is_symlink() and _tree(real) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_as_out_is_refused(accel, specs, tmp_path):
    out = tmp_path / "out"
    out.write_text("precious")
    code, _, err = _build(accel, specs, out)
    assert code == 2 and "not a folder" in err and out.read_text() == "precious"


def test_debris_of_dead_runs_is_cleared_and_nothing_else(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    dead = 2**22 + 12345  # above the default pid_max of most systems: no such process
    stale = [tmp_path / f".out.accel-tmp-{dead}-abc123", tmp_path / f".out.accel-old-{dead}-def456"]
    for d in stale:
        d.mkdir()
        (d / "accelerators.csv").write_text("half")
    live = tmp_path / f".out.accel-tmp-{os.getpid()}-zzz"  # a run still going: not ours to delete
    live.mkdir()
    users = tmp_path / ".out.backup"
    users.mkdir()
    assert _build(accel, specs, out)[0] == 0
    assert not any(d.exists() for d in stale)
    assert live.exists() and users.exists()


def test_a_folder_lost_between_the_renames_comes_back_on_the_next_read(accel, specs, tmp_path):
    from harness import load

    results = tmp_path / "results"
    out = results / "dataset"
    assert _build(accel, specs, out)[0] == 0
    dead = 2**22 + 4242
    out.rename(results / f".dataset.accel-old-{dead}-a1b2c3d4")  # what a kill between the renames leaves
    assert load("accelerators", results_dir=results)["accelerator_id"].tolist() == ["demo/x1"]
    assert out.is_dir() and sorted(p.name for p in results.iterdir()) == ["dataset"]


def test_gitignore_covers_debris_in_results():
    from tests.conftest import ROOT

    text = (ROOT / ".gitignore").read_text()
    assert ".*.accel-tmp-*" in text and ".*.accel-old-*" in text
