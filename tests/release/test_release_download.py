"""`accel download` against a real HTTP server on 127.0.0.1 serving a release made by `accel release`."""

from __future__ import annotations

import pandas as pd
import pytest

from harness import paths
from harness.errors import UserError
from tests.release.conftest import VERSION


def _files(d):
    return sorted(p.name for p in d.rglob("*") if p.is_file()) if d.exists() else []


def test_download_verifies_caches_and_prints_the_folder(server, cache, accel, release):
    code, out, err = accel("download", "--version", VERSION, "--base-url", server.base_url)
    assert code == 0, err
    target = cache / VERSION
    assert out.strip() == str(target)
    assert _files(target) == _files(release)
    assert server.hits[0] == "SHA256SUMS"  # the sums come first
    assert "verified" in err and "[1/" in err  # progress on stderr
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_cache_hit_needs_no_network(server, cache, dead_url, accel):
    assert accel("download", "--version", VERSION, "--base-url", server.base_url)[0] == 0
    hits = len(server.hits)
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--strict")
    assert code == 0 and out.strip() == str(cache / VERSION) and "found verified" in err
    code, out, _ = accel("download", "--version", VERSION, "--offline", "--strict")
    assert code == 0 and out.strip() == str(cache / VERSION)
    assert len(server.hits) == hits


def test_load_with_version_reads_the_verified_release(server, cache, monkeypatch):
    from harness import load

    monkeypatch.setenv("ACCELATLAS_BASE_URL", server.base_url)
    df = load("accelerators", version=VERSION)
    assert len(df) == len(pd.read_parquet(paths.DATASET / "accelerators.parquet"))
    assert (cache / VERSION / "SHA256SUMS").is_file()


def test_missing_release_is_a_404_error_not_a_fallback(server, cache, accel):
    code, out, err = accel("download", "--version", "9.9.9", "--base-url", server.base_url)
    assert code == 2 and "HTTP 404" in err and "Traceback" not in err and out == ""
    assert _files(cache) == []


def test_corrupted_file_is_rejected_and_removed(server, cache, accel):
    server.behaviour["spec_values.parquet"] = "corrupt"
    code, _, err = accel("download", "--version", VERSION, "--base-url", server.base_url)
    assert code == 2 and "spec_values.parquet: checksum mismatch" in err and "removed" in err
    assert _files(cache) == []  # nothing half-written, not even the files that verified


def test_truncated_transfer_is_retried_then_rejected(server, cache, accel):
    server.behaviour["claims.csv"] = "truncate"
    code, _, err = accel("download", "--version", VERSION, "--base-url", server.base_url, "--retries", "2")
    assert code == 2 and "truncated" in err and "after 2 attempts" in err
    assert server.hits.count("claims.csv") == 2
    assert _files(cache) == []


def test_transient_failures_are_retried(server, cache, accel):
    server.behaviour["accelerators.csv"] = lambda nth: "500" if nth == 1 else None
    server.behaviour["sources.json"] = lambda nth: "truncate" if nth == 1 else None
    code, _, err = accel("download", "--version", VERSION, "--base-url", server.base_url)
    assert code == 0, err
    assert "retrying" in err and server.hits.count("accelerators.csv") == 2


def test_unsafe_paths_in_sha256sums_are_refused(server, cache, tmp_path, accel):
    for bad in ("../evil.txt", "/etc/evil.txt", "sub/../../evil.txt"):
        server.bodies["SHA256SUMS"] = f"{'0' * 64}  {bad}\n".encode()
        code, _, err = accel("download", "--version", VERSION, "--base-url", server.base_url)
        assert code == 2 and "unsafe path" in err, bad
    assert _files(cache) == [] and not (cache.parent / "evil.txt").exists()
    assert set(server.hits) == {"SHA256SUMS"}  # nothing listed was fetched


def test_no_network_says_so_in_one_line_and_falls_back(cache, dead_url, accel):
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--retries", "1")
    assert code == 0 and out.strip() == str(paths.DATASET)
    fallback = [line for line in err.splitlines() if "no network" in line]
    assert len(fallback) == 1 and "embedded dataset" in fallback[0]
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--retries", "1", "--strict")
    assert code == 3 and "no network" in err and "Traceback" not in err and out == ""
    assert _files(cache) == []


def test_corrupted_cache_is_not_used_offline(server, cache, accel):
    from harness.download import ensure_release

    assert accel("download", "--version", VERSION, "--base-url", server.base_url)[0] == 0
    (cache / VERSION / "accelerators.csv").write_text("tampered\n")
    with pytest.raises(UserError, match="not in the cache"):
        ensure_release(VERSION, offline=True, fallback=False)
    assert ensure_release(VERSION, offline=True) == paths.DATASET
    # online, the bad copy is replaced by a verified one
    assert ensure_release(VERSION, base=server.base_url, fallback=False) == cache / VERSION
    assert (cache / VERSION / "accelerators.csv").read_text() != "tampered\n"


def test_cache_location_follows_the_environment(monkeypatch, tmp_path):
    from harness.download import cache_root

    monkeypatch.delenv("ACCELATLAS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "accelatlas"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "accelatlas"
    monkeypatch.setenv("ACCELATLAS_CACHE", str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"


def test_sha256sums_parser_accepts_both_modes_and_rejects_junk():
    from harness.download import parse_sums

    h = "ab" * 32
    assert parse_sums(f"{h}  a.csv\n{h} *b.parquet\n") == {"a.csv": h, "b.parquet": h}
    for bad in ("not a sum line\n", "", f"{h}  a.csv\n{h}  a.csv\n", f"{h}  C:/x\n", f"{h}  a\\..\\b\n"):
        with pytest.raises(UserError):
            parse_sums(bad)


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf"])
def test_timeout_must_be_a_positive_number(cache, dead_url, accel, timeout):
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--timeout", timeout)
    assert code == 2 and "--timeout must be a positive number of seconds" in err
    assert "Traceback" not in err and out == ""
    assert _files(cache) == []
