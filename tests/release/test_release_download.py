"""`accel download` against a fault-injecting HTTP server on 127.0.0.1 serving a real release.

The server (tests/release/conftest.py) misbehaves per file: 404/500/503/429, corruption,
truncation, an endless body, a trickle, redirects to another loopback port. The trust anchor is
the digest of the release's manifest, pinned as the package would pin it (`pins` fixture).
"""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest

from harness import paths
from harness.errors import UserError
from tests.release.conftest import VERSION


def _files(d):
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()) if d.exists() else []


def _get(accel, server, *extra):
    return accel("download", "--version", VERSION, "--base-url", server.base_url, *extra)


def test_download_verifies_caches_and_prints_the_folder(server, cache, accel, release):
    code, out, err = _get(accel, server)
    assert code == 0, err
    target = cache / VERSION
    assert out.strip() == str(target)
    assert _files(target) == _files(release)
    assert server.hits[0] == "accel-manifest.json"  # the trust anchor comes first
    assert "verified" in err and "[1/" in err
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_cache_hit_needs_no_network(server, cache, dead_url, accel):
    assert _get(accel, server)[0] == 0
    hits = len(server.hits)
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url)
    assert code == 0 and out.strip() == str(cache / VERSION) and "found verified" in err
    code, out, _ = accel("download", "--version", VERSION, "--offline")
    assert code == 0 and out.strip() == str(cache / VERSION)
    assert len(server.hits) == hits


def test_load_with_version_reads_the_verified_release(server, cache, monkeypatch):
    from harness import load

    monkeypatch.setenv("ACCELATLAS_BASE_URL", server.base_url)
    df = load("accelerators", version=VERSION)
    assert len(df) == len(pd.read_parquet(paths.DATASET / "accelerators.parquet"))
    assert (cache / VERSION / "accel-manifest.json").is_file()


def test_a_version_the_package_does_not_pin_is_refused_before_any_request(server, cache, accel):
    code, out, err = accel("download", "--version", "9.9.9", "--base-url", server.base_url)
    assert code == 2 and "pins no digest for release 9.9.9" in err and out == ""
    assert server.hits == [] and _files(cache) == []


def test_another_release_served_under_a_pinned_version_is_refused(server, cache, accel, pins, release):
    pins.write_text(json.dumps({VERSION: "ab" * 32}))  # the package pins a different release
    code, _, err = _get(accel, server)
    assert code == 2 and "not the manifest pinned" in err and _files(cache) == []
    assert server.hits == ["accel-manifest.json"]


def test_wrong_version_is_refused_even_with_a_matching_digest(server, cache, accel, release):
    from harness.checksums import sha256_file

    # the server answers 0.1.0's files for 9.9.9; a user passes that manifest's digest for 9.9.9
    server.version = "9.9.9"
    digest = sha256_file(release / "accel-manifest.json")
    code, _, err = accel("download", "--version", "9.9.9", "--base-url", server.base_url, "--manifest-sha256", digest)
    assert code == 2 and "not 9.9.9" in err and _files(cache) == []


def test_a_manifest_without_a_required_table_is_refused(server, cache, accel, release):
    m = json.loads((release / "accel-manifest.json").read_text())
    del m["files"]["accelerators.parquet"]
    body = (json.dumps(m, sort_keys=True, indent=1) + "\n").encode()
    server.bodies["accel-manifest.json"] = body
    import hashlib

    code, _, err = _get(accel, server, "--manifest-sha256", hashlib.sha256(body).hexdigest())
    assert code == 2 and "does not list accelerators.parquet" in err and _files(cache) == []


def test_corrupted_file_is_rejected_and_removed(server, cache, accel):
    server.behaviour["spec_values.parquet"] = "corrupt"
    code, _, err = _get(accel, server)
    assert code == 2 and "spec_values.parquet: checksum mismatch" in err and "removed" in err
    assert _files(cache) == []  # nothing half-written, not even the files that verified


def test_truncated_transfer_is_retried_then_rejected(server, cache, accel):
    server.behaviour["claims.csv"] = "truncate"
    code, _, err = _get(accel, server, "--retries", "2")
    assert code == 2 and "truncated" in err and "after 2 attempts" in err
    assert server.hits.count("claims.csv") == 2
    assert _files(cache) == []


def test_transient_failures_are_retried(server, cache, accel):
    server.behaviour["accelerators.csv"] = lambda nth: "500" if nth == 1 else None
    server.behaviour["sources.json"] = lambda nth: "truncate" if nth == 1 else None
    code, _, err = _get(accel, server)
    assert code == 0, err
    assert "retrying" in err and server.hits.count("accelerators.csv") == 2


def test_retry_after_is_honoured(server, cache, accel, monkeypatch):
    import harness.release.fetch as fetch

    slept = []
    monkeypatch.setattr(fetch.time, "sleep", lambda s: slept.append(s))
    server.behaviour["claims.json"] = lambda nth: ("429", "7") if nth == 1 else None
    code, _, err = _get(accel, server)
    assert code == 0, err
    assert 7 in slept


def test_retry_after_beyond_the_deadline_fails_at_once(server, cache, accel):
    server.behaviour["claims.json"] = ("429", "3600")
    code, _, err = _get(accel, server, "--retries", "5")
    assert code == 2 and "retry after 3600" in err and server.hits.count("claims.json") == 1


def test_an_endless_body_stops_at_the_listed_size(server, cache, accel):
    server.behaviour["sources.csv"] = "endless"
    code, _, err = _get(accel, server)
    assert code == 2 and "sent more than" in err and _files(cache) == []


def test_a_trickle_cannot_outlast_the_deadline(server, cache, accel):
    server.behaviour["sources.csv"] = "trickle"
    code, _, err = _get(accel, server, "--deadline", "1.5", "--timeout", "1")
    assert code == 2 and "deadline of 1.5 s" in err and _files(cache) == []


def test_headers_sent_a_byte_at_a_time_cannot_outlast_the_deadline(server, cache, accel):
    server.behaviour["accel-manifest.json"] = "slowheaders"
    code, _, err = _get(accel, server, "--deadline", "1.5", "--timeout", "1")
    assert code == 2 and "deadline of 1.5 s" in err and _files(cache) == []


def test_a_file_mirror_serves_regular_files_only(cache, accel, release, tmp_path):
    import os
    import shutil

    mirror = tmp_path / "mirror" / VERSION
    shutil.copytree(release, mirror)
    url = (tmp_path / "mirror").as_uri() + "/{version}/"
    code, _, err = accel("download", "--version", VERSION, "--base-url", url)
    assert code == 0, err
    (mirror / "claims.csv").unlink()
    os.mkfifo(mirror / "claims.csv")  # would block an open() forever
    code, _, err = accel("download", "--version", VERSION, "--base-url", url, "--dest", tmp_path / "d")
    assert code == 2 and "named pipe" in err and not (tmp_path / "d").exists()


def test_a_redirect_to_another_host_is_refused_unless_allowed(server, other_server, cache, accel):
    server.behaviour["claims.csv"] = ("redirect", other_server.url_of("claims.csv"))
    code, _, err = _get(accel, server)
    assert code == 2 and "redirects to another host" in err and _files(cache) == []
    assert other_server.hits == []
    code, _, err = _get(accel, server, "--allow-redirects")
    assert code == 0, err
    assert other_server.hits == ["claims.csv"]


def test_a_redirected_manifest_still_needs_the_pin(server, other_server, cache, accel):
    other_server.bodies["accel-manifest.json"] = b'{"tampered": true}\n'
    server.behaviour["accel-manifest.json"] = ("redirect", other_server.url_of("accel-manifest.json"))
    code, _, err = _get(accel, server, "--allow-redirects")
    assert code == 2 and "not the manifest pinned" in err


def test_missing_file_is_a_404_error(server, cache, accel):
    server.behaviour["claims.csv"] = "404"
    code, out, err = _get(accel, server)
    assert code == 2 and "HTTP 404" in err and "Traceback" not in err and out == ""
    assert _files(cache) == []


def test_a_full_disk_is_a_local_error_not_a_network_retry(server, cache, accel, monkeypatch):
    import builtins
    import errno

    real_open = builtins.open

    def full_disk(path, mode="r", *a, **k):
        fh = real_open(path, mode, *a, **k)
        if "w" in mode and str(path).endswith("claims.json"):
            def write(_data):
                raise OSError(errno.ENOSPC, "No space left on device")
            fh.write = write
        return fh

    monkeypatch.setattr(builtins, "open", full_disk)
    code, _, err = _get(accel, server, "--retries", "3")
    assert code == 2 and "No space left on device" in err and "cannot write" in err
    assert "retrying" not in err and server.hits.count("claims.json") == 1


def test_no_network_is_an_error_unless_fallback_is_asked_for(cache, dead_url, accel):
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--retries", "1")
    assert code == 3 and "no network" in err and "Traceback" not in err and out == ""
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--retries", "1",
                           "--fallback-local")
    assert code == 0 and out.strip() == str(paths.DATASET)
    said = [line for line in err.splitlines() if "no network" in line]
    assert len(said) == 1 and "--fallback-local" in said[0]
    assert _files(cache) == []


def test_a_pinned_version_is_never_swapped_for_the_working_tree(cache, dead_url, monkeypatch):
    from harness import load

    monkeypatch.setenv("ACCELATLAS_BASE_URL", dead_url)
    with pytest.raises(ValueError, match="no network"):
        load("accelerators", version=VERSION)


def test_a_tampered_cache_is_caught_and_fetched_again(server, cache, accel):
    from harness.release.download import ensure_release

    assert _get(accel, server)[0] == 0
    d = cache / VERSION
    # rewrite a table and every checksum beside it: the pinned manifest digest still catches it
    (d / "accelerators.csv").write_text("tampered\n")
    from harness import manifest

    manifest.write(d, "release", {"version": VERSION, "date": "2026-12-01"})
    with pytest.raises(UserError, match="not verified in the cache"):
        ensure_release(VERSION, offline=True)
    assert ensure_release(VERSION, base=server.base_url) == d
    assert (d / "accelerators.csv").read_text() != "tampered\n"


def test_a_file_the_manifest_does_not_list_is_never_served(server, cache, accel):
    from harness import load

    assert _get(accel, server)[0] == 0
    d = cache / VERSION
    pd.read_parquet(d / "claims.parquet").to_parquet(d / "extra.parquet")
    with pytest.raises(ValueError, match="no table 'extra'"):
        load("extra", results_dir=d)
    with pytest.raises(UserError, match="not verified"):  # and the copy no longer verifies
        from harness.release.download import ensure_release

        ensure_release(VERSION, offline=True)


def test_a_cache_entry_holding_foreign_files_is_never_replaced(server, cache, accel):
    d = cache / VERSION
    d.mkdir(parents=True)
    (d / "SHA256SUMS").write_text("0" * 64 + "  notes.txt\n")  # looks like a release folder
    (d / "notes.txt").write_text("mine\n")
    code, _, err = _get(accel, server)
    assert code == 2 and "refusing to replace" in err
    assert (d / "notes.txt").read_text() == "mine\n"


def test_concurrent_downloads_into_one_cache_all_succeed(server, cache):
    from harness.release.download import ensure_release

    results, errors = [], []

    def one():
        try:
            results.append(ensure_release(VERSION, base=server.base_url))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(results) == 16 and set(results) == {cache / VERSION}
    assert server.hits.count("accelerators.parquet") == 1  # the others found the verified copy
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]


def test_cache_location_follows_the_environment(monkeypatch, tmp_path):
    from harness.release.download import cache_root

    monkeypatch.delenv("ACCELATLAS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "accelatlas"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "accelatlas"
    monkeypatch.setenv("ACCELATLAS_CACHE", str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"


@pytest.mark.parametrize("opt,bad", [("--timeout", "-1"), ("--timeout", "0"), ("--timeout", "nan"),
                                     ("--timeout", "inf"), ("--retries", "0"), ("--retries", "1000000"),
                                     ("--deadline", "-5"), ("--manifest-sha256", "xyz")])
def test_limits_are_checked(cache, dead_url, accel, opt, bad):
    code, out, err = accel("download", "--version", VERSION, "--base-url", dead_url, opt, bad)
    assert code == 2 and "Traceback" not in err and out == ""
    assert _files(cache) == []


@pytest.mark.parametrize("value,offline", [("1", True), ("true", True), ("YES", True), ("on", True),
                                           ("0", False), ("false", False), ("no", False), ("off", False)])
def test_offline_variable_means_what_it_says(cache, dead_url, accel, monkeypatch, value, offline):
    monkeypatch.setenv("ACCELATLAS_OFFLINE", value)
    code, _, err = accel("download", "--version", VERSION, "--base-url", dead_url, "--retries", "1")
    if offline:
        assert code == 2 and "offline" in err and "no network" not in err
    else:
        assert code == 3 and "no network" in err


def test_offline_variable_with_junk_is_an_error(cache, accel, monkeypatch):
    monkeypatch.setenv("ACCELATLAS_OFFLINE", "maybe")
    code, _, err = accel("download", "--version", VERSION)
    assert code == 2 and "ACCELATLAS_OFFLINE" in err and "not a boolean" in err


def test_release_pin_then_download_trusts_exactly_that_release(tmp_path, monkeypatch, accel):
    """The workflow's path: write a release, pin its manifest into the package, serve it, download it."""
    import harness.release.download as dl
    import harness.release.fetch as fetch
    from tests.release.conftest import _serve, make_source

    pins = tmp_path / "release_pins.json"
    pins.write_text("{}")
    monkeypatch.setattr(dl, "PINS", pins)
    monkeypatch.setattr(fetch, "BACKOFF_S", 0.0)
    monkeypatch.setenv("ACCELATLAS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ACCELATLAS_OFFLINE", raising=False)
    rel = tmp_path / "pub" / "0.3.0"
    src = make_source(tmp_path / "src")
    assert accel("release", "--version", "0.3.0", "--out", rel, "--from", src, "--date", "2026-12-01", "--pin")[0] == 0
    assert set(json.loads(pins.read_text())) == {"0.3.0"}
    # a second, different release of the same version is never re-pinned
    code, _, err = accel("release", "--version", "0.3.0", "--out", tmp_path / "other", "--from", src,
                         "--date", "2026-12-02", "--pin")
    assert code == 2 and "never re-pinned" in err
    srv = _serve(rel, "0.3.0")
    try:
        code, out, err = accel("download", "--version", "0.3.0", "--base-url", srv.base_url)
        assert code == 0, err
        assert out.strip() == str(tmp_path / "cache" / "0.3.0")
    finally:
        srv.shutdown()
        srv.server_close()
