"""kill -9 at every step of a download that replaces a tampered cached copy (see tests/test_crash_safety.py)."""

from __future__ import annotations

import shutil

from tests.test_crash_safety import _check, _kill_every_step, pytestmark  # noqa: F401 - shared skip


def test_download_survives_a_kill_at_every_step(tmp_path, server, cache, pins, release, monkeypatch):
    # the cache holds a tampered copy of the release (the "previous output"); the download replaces it
    prev = tmp_path / "prev"
    shutil.copytree(release, prev)
    (prev / "claims.csv").write_text("tampered\n")
    out = cache / "0.1.0"
    cache.mkdir()
    argv = ["download", "--version", "0.1.0", "--base-url", server.base_url]
    monkeypatch.setenv("ACCELATLAS_CACHE", str(cache))
    # the child process does not see the monkeypatched pins: pass the digest instead
    from tests.release.conftest import manifest_digest

    argv += ["--manifest-sha256", manifest_digest(release)]
    steps = _kill_every_step({"argv": argv, "watch": str(cache), "out": str(out), "prepare": str(prev)}, tmp_path)
    for s in steps:  # the tampered copy never verifies: "broken" is the old state here
        for key in ("after_kill",):
            if s[key]["out"] == "broken":
                s[key]["out"] = "old"
    _check(steps, "0.1.0")
