"""The spec folder as an input boundary: what kind of file is read, and what is said about the rest.

Every case must end in one line per problem with its path, a non-zero exit where it is an error,
no traceback and no hang (a named pipe or a device used to block `validate` and `build` forever).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import DATA

GOOD = DATA / "bad_specs_multi" / "tier-conflict" / "accelerators" / "test" / "a.yaml"


@pytest.fixture
def specs(tmp_path):
    d = tmp_path / "specs" / "accelerators" / "test"
    d.mkdir(parents=True)
    shutil.copy(GOOD, d / "a.yaml")
    return tmp_path / "specs"


def _ok(accel, folder):
    code, out, err = accel("validate", "--no-tables", folder)
    assert "Traceback" not in out + err
    return code, out, err


def test_the_good_folder_validates(accel, specs):
    assert _ok(accel, specs)[0] == 0


@pytest.mark.parametrize("name", ["b.yml", "b.YAML", "b.Yaml"])
def test_a_misnamed_spec_is_an_error_not_a_silent_skip(accel, specs, name):
    shutil.copy(GOOD, specs / "accelerators" / "test" / name)
    code, out, _ = _ok(accel, specs)
    assert code == 2 and f"{name}:1:" in out and "[spec-file-name]" in out


def test_a_hidden_spec_is_reported_as_a_warning(accel, specs):
    shutil.copy(GOOD, specs / "accelerators" / "test" / ".b.yaml")
    code, out, _ = _ok(accel, specs)
    assert code == 0 and ".b.yaml:1:" in out and "warning:" in out and "[spec-file-name]" in out
    assert accel("validate", "--no-tables", "--strict", specs)[0] == 2


def test_a_symlink_to_a_file_outside_is_refused(accel, specs, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(GOOD, outside)
    (specs / "accelerators" / "test" / "b.yaml").symlink_to(outside)
    code, out, _ = _ok(accel, specs)
    assert code == 2 and "b.yaml:1:" in out and "[file-not-regular]" in out and "symbolic link" in out


def test_one_file_validates_despite_a_broken_symlink_elsewhere(accel, specs, tmp_path):
    (specs / "accelerators" / "test" / "z.yaml").symlink_to(tmp_path / "nowhere" / "x.yaml")
    code, out, _ = _ok(accel, specs / "accelerators" / "test" / "a.yaml")
    assert code == 0, out


def test_a_symlinked_folder_is_not_walked_but_reported(accel, specs, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(GOOD, other / "c.yaml")
    (specs / "accelerators" / "loop").symlink_to(specs / "accelerators")  # a cycle, too
    (specs / "accelerators" / "ext").symlink_to(other)
    code, out, _ = _ok(accel, specs)
    assert code == 2 and "c.yaml" not in out
    assert "loop:1:" in out and "ext:1:" in out and out.count("[file-not-regular]") == 2


def test_a_named_pipe_does_not_hang(specs):
    os.mkfifo(specs / "accelerators" / "test" / "pipe.yaml")
    # a subprocess with a deadline: a hang fails the test instead of stalling the suite
    r = subprocess.run([sys.executable, "-m", "harness.cli", "validate", "--no-tables", str(specs)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "pipe.yaml:1:" in r.stdout and "named pipe" in r.stdout
    assert "[file-not-regular]" in r.stdout and "Traceback" not in r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this platform")
def test_a_device_is_refused_not_read_forever(accel, specs):
    dev = specs / "accelerators" / "test" / "zero.yaml"
    try:
        dev.symlink_to("/dev/zero")
    except OSError:
        pytest.skip("cannot link")
    code, out, _ = _ok(accel, dev)
    assert code == 2 and "[file-not-regular]" in out


def test_a_file_over_the_limit_is_refused_by_size_while_reading(accel, specs, monkeypatch):
    from harness import yamlload

    monkeypatch.setattr(yamlload, "MAX_BYTES", 100)
    code, out, _ = _ok(accel, specs)
    assert code == 2 and "[yaml-too-large]" in out


def test_build_refuses_the_same_inputs_and_writes_nothing(accel, specs, tmp_path):
    os.mkfifo(specs / "accelerators" / "test" / "pipe.yaml")
    out_dir = tmp_path / "out"
    code, _, err = accel("build", "--specs", specs, "--out", out_dir, "--dataset-only")
    assert code == 2 and "pipe.yaml" in err and not out_dir.exists()


@pytest.mark.parametrize("folder", [".drafts", "__wip__"])
def test_specs_in_a_hidden_folder_are_reported_not_skipped_silently(accel, specs, folder):
    d = specs / "accelerators" / "test" / folder
    d.mkdir()
    (d / "bad.yaml").write_text("id: [\n")
    code, out, _ = _ok(accel, specs)
    assert f"{folder}:1:" in out and "hidden folder" in out and "[spec-file-name]" in out
    assert accel("validate", "--no-tables", "--strict", specs)[0] == 2


def test_a_symlinked_vendor_folder_is_an_error(accel, specs, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "b.yaml").write_text("id: [\n")
    (specs / "accelerators" / "linked").symlink_to(real)
    code, out, _ = _ok(accel, specs)
    assert code == 2 and "linked:1:" in out and "[file-not-regular]" in out


def test_a_folder_with_only_a_hidden_spec_fails_like_build(accel, tmp_path):
    d = tmp_path / "accelerators" / "t"
    d.mkdir(parents=True)
    shutil.copy(GOOD, d / ".x1.yaml")
    code, out, err = _ok(accel, tmp_path)
    assert code == 2 and "nothing was checked" in err and "[spec-file-name]" in out
