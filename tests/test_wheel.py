"""`pip install accelatlas` gives the data: the wheel and sdist build, and the wheel installed into
a fresh virtual environment outside any checkout runs the main commands with no network."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT

pytest.importorskip("build")


def test_the_package_list_names_every_harness_package():
    tomllib = pytest.importorskip("tomllib")
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in (ROOT / "harness").rglob("__init__.py")}
    assert found <= listed and listed - found == {"accelatlas_data"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    return wheels[0], sdists[0]


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory):
    """A fresh venv (reusing this interpreter's installed dependencies, so no network) with only
    the wheel installed, in a folder with no checkout in or above it."""
    home = tmp_path_factory.mktemp("elsewhere")
    env_dir = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)], check=True, timeout=300)
    py = env_dir / "bin" / "python"
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(dist[0])],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return py, home


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACCELATLAS_", "PYTHONPATH"))}
    env["ACCELATLAS_OFFLINE"] = "1"
    return env


def _run(venv, *args, code=0):
    py, home = venv
    r = subprocess.run([str(py), "-c", "import sys; from harness.cli import main; sys.exit(main(sys.argv[1:]))",
                        *map(str, args)], cwd=home, env=_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == code, (args, r.stdout[-1500:], r.stderr[-1500:])
    assert "Traceback" not in r.stderr
    return r.stdout, r.stderr


# runs several commands in one interpreter of the venv (each through `main`, its output captured):
# the same commands from the same installed wheel, without paying interpreter and pandas start-up
# for each; a command that raised shows as a traceback in its stderr
_MANY = """
import contextlib, io, json, sys, traceback
from harness.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            traceback.print_exc()
            code = 99
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def _run_many(venv, *calls):
    """``calls``: (args, expected exit code); returns [(stdout, stderr)] in order."""
    import json

    py, home = venv
    argvs = [[str(a) for a in args] for args, _ in calls]
    r = subprocess.run([str(py), "-c", _MANY, json.dumps(argvs)], cwd=home, env=_env(), capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    results = json.loads(r.stdout.strip().splitlines()[-1])
    for (args, code), (got, out, err) in zip(calls, results, strict=True):
        assert got == code, (args, out[-1500:], err[-1500:])
        assert "Traceback" not in err, (args, err[-1500:])
    return [(out, err) for _, out, err in results]


def test_the_wheel_carries_the_dataset_and_no_raw_upstream_copies(dist):
    names = zipfile.ZipFile(dist[0]).namelist()
    for table in ("accelerators", "spec_values", "sources", "claims", "prices", "completeness"):
        assert f"accelatlas_data/results/dataset/{table}.parquet" in names
    assert "accelatlas_data/schemas/fields.yaml" in names
    assert not [n for n in names if n.startswith("accelatlas_data/specs/upstream/") and "/epoch/" not in n]
    assert not [n for n in names if n.startswith(("schemas/", "results/", "specs/"))]  # no generic top-level names


def test_the_sdist_holds_what_a_rebuild_needs(dist):
    import tarfile

    names = tarfile.open(dist[1]).getnames()
    top = names[0].split("/")[0]
    for need in ("specs/upstream/PROVENANCE.yaml", "specs/accelerators/nvidia/h20.yaml",
                 "results/dataset/accel-manifest.json", "tests/conftest.py", "schemas/fields.yaml"):
        assert f"{top}/{need}" in names, need


def test_main_commands_work_from_the_installed_wheel(venv):
    out, _ = _run(venv, "compare", "h100-sxm5", "kunlun-p800", "zhenwu-810e")  # alone: a cold start
    assert "H100 SXM5" in out and "n/d" in out
    py, home = venv
    r = subprocess.run([str(py), "-c", "from harness import load; print(load('accelerators').shape[0])"],
                       cwd=home, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and int(r.stdout) >= 80, r.stderr
    spec = ROOT / "specs" / "accelerators" / "nvidia" / "h20.yaml"
    listed, shown, ready, complete, cross, _ = _run_many(
        venv, (("list", "--market", "china-specific"), 0), (("show", "ascend-910b"), 0),
        (("readiness", "ascend-910b"), 0), (("completeness",), 0), (("crosscheck", "epoch"), 0),
        (("validate", spec), 0))
    assert "china-specific" in listed[0]
    assert "Sources:" in shown[0]
    assert "CANN" in ready[0]
    assert "all" in complete[0]
    assert "explained" in cross[0]


def test_checkout_only_commands_say_what_they_need(venv):
    calls = [((*args,), 2) for args in (("build",), ("schema",), ("upstream", "--check"), ("coverage", "build"))]
    results = _run_many(venv, *calls, (("probe", "--device", "cpu", "--ops", "abs"), 2),
                        (("bench", "--device", "cpu"), 2))
    for (args, _), (_, err) in zip(calls, results, strict=False):
        assert "needs a checkout" in err, args
    assert "--out DIR" in results[-2][1] and "--out DIR" in results[-1][1]


def test_a_pinned_version_is_refused_not_swapped_when_installed(venv):
    _, err = _run(venv, "download", "--version", "0.1.0", code=2)
    assert "pins no digest" in err or "offline" in err
