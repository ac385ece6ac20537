"""The Python API and the environment as input boundaries: documented ValueErrors, never a raw
TypeError, UnicodeEncodeError or OverflowError."""

from __future__ import annotations

import pytest

from harness.errors import UserError


@pytest.mark.parametrize("kwargs", [
    {"table": 123}, {"table": None}, {"table": "../etc/passwd"}, {"table": "accelerators", "version": 1.0},
    {"table": "accelerators", "version": "٠.٢.٠"}, {"table": "accelerators", "version": "0.2"},
    {"table": "accelerators", "version": "0.2.0\n"}, {"table": "accelerators", "version": "9" * 400 + ".0.0"},
    {"table": "accelerators", "version": "0.1.0", "manifest_sha256": "not-hex"},
])
def test_load_raises_value_error_for_bad_arguments(kwargs, monkeypatch, tmp_path):
    from harness import load

    monkeypatch.setenv("ACCELATLAS_CACHE", str(tmp_path))
    monkeypatch.setenv("ACCELATLAS_OFFLINE", "1")
    with pytest.raises(ValueError) as info:
        load(**kwargs)
    assert isinstance(info.value, UserError)
    assert "\n" not in str(info.value).strip()


@pytest.mark.parametrize("version", ["٠.٢.٠", "0.2.0 ", "v0.2.0", "", "0.2.0-" + "x" * 100, "1.2.3.4"])
def test_release_and_download_refuse_odd_versions_in_one_line(accel, tmp_path, version):
    for cmd in (["release", "--version", version, "--out", tmp_path / "r", "--from", tmp_path],
                ["download", "--version", version, "--dest", tmp_path / "d"]):
        code, out, err = accel(*cmd)
        assert code == 2 and "is not a release version" in err and "Traceback" not in err


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-1e9", "abc", "１２３", "-1"])
def test_source_date_epoch_out_of_range_is_one_line(accel, tmp_path, monkeypatch, epoch):
    from tests.release.conftest import make_source

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, _, err = accel("release", "--version", "0.1.0", "--out", tmp_path / "r", "--from",
                         make_source(tmp_path / "s"))
    assert code == 2 and "SOURCE_DATE_EPOCH" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("name,value", [("ACCELATLAS_OFFLINE", "perhaps"), ("ACCELATLAS_BASE_URL", "http://a b/"),
                                        ("ACCELATLAS_CACHE", "a\x00b")])
def test_bad_environment_variables_are_one_line(accel, monkeypatch, name, value):
    import os

    if "\x00" in value:  # the OS refuses NUL in the environment itself; the parser is tested directly
        from harness import envflags

        monkeypatch.setattr(os, "environ", {**os.environ, name: value})
        with pytest.raises(UserError, match=name):
            envflags.path(name)
        return
    monkeypatch.setenv(name, value)
    code, _, err = accel("download", "--version", "0.1.0", "--manifest-sha256", "ab" * 32)
    assert code == 2 and "Traceback" not in err and (name in err or "base URL" in err)


def test_a_foreign_parquet_file_is_one_line_not_a_key_error(accel, tmp_path):
    import pandas as pd

    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "accelerators.parquet")
    code, _, err = accel("list", "--results", tmp_path)
    assert code == 2 and "not an AccelAtlas 'accelerators' table" in err and "Traceback" not in err


def test_results_dir_of_the_wrong_type_is_a_value_error():
    from harness import load

    with pytest.raises(ValueError, match="results_dir must be a folder path"):
        load("accelerators", results_dir=123)


def test_tilde_of_an_unknown_user_is_one_line(accel, monkeypatch):
    monkeypatch.setenv("ACCELATLAS_RESULTS", "~no_such_user_xyz/results")
    code, _, err = accel("list")
    assert code == 2 and "ACCELATLAS_RESULTS" in err and "Traceback" not in err


@pytest.mark.parametrize("out", [".", ".."])
def test_out_naming_the_current_folder_is_refused(accel, tmp_path, monkeypatch, out):
    import shutil

    from tests.conftest import DATA

    spec = tmp_path / "specs" / "accelerators" / "test"
    spec.mkdir(parents=True)
    shutil.copy(DATA / "bad_specs_multi" / "tier-conflict" / "accelerators" / "test" / "a.yaml", spec / "a.yaml")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, _, err = accel("build", "--specs", tmp_path / "specs", "--out", out, "--dataset-only")
    assert code == 2 and "current folder or one above it" in err and "Traceback" not in err
    assert sorted(p.name for p in work.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "specs", "work"]


def test_ascii_only_output_streams_get_escapes_not_a_crash():
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "harness.cli", "show", "h20"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr and "\\u" in r.stdout
