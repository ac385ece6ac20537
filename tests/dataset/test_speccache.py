"""The per-file parse cache of `accel build`: a cached parse gives exactly what parsing gives, an
edited file is parsed again, and a damaged, hostile or stale entry is a miss, never an error."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from harness import paths
from harness.dataset import speccache
from harness.dataset.validate import validate_paths

SPEC = textwrap.dedent("""\
    id: demo/{sku}
    name: Demo {sku}
    vendor: demo
    status: shipping
    market: global
    released: "2024-03"
    sources:
      ds: {{title: Demo datasheet, url: "https://example.com/{sku}", accessed: "2026-11-28", tier: official}}
    values:
      tdp_w: {{value: {tdp}, unit: W, source: ds, locator: "Table 1"}}
      bf16_tflops: {{value: 100, unit: TFLOPS, basis: dense, source: ds, locator: "Table 2"}}
      fp8_tflops: {{value: 300, unit: TFLOPS, basis: dense, source: ds, locator: "Table 2"}}
    """)  # fp8 = 3x bf16: a ratio warning, so cached problems are exercised too


@pytest.fixture
def specs(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCELATLAS_CACHE", str(tmp_path / "cache"))
    d = tmp_path / "specs" / "accelerators" / "demo"
    d.mkdir(parents=True)
    for sku, tdp in (("x1", 700), ("x2", 500), ("x3", 400)):
        (d / f"{sku}.yaml").write_text(SPEC.format(sku=sku, tdp=tdp))
    return tmp_path / "specs"


def _tree(d: Path) -> dict:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def _build(accel, specs, out, *more):
    return accel("build", "--specs", specs, "--out", out, "--dataset-only", *more)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "specs").glob("*.json"))


def test_every_shipped_spec_round_trips_through_the_encoding():
    report = validate_paths([paths.SPECS], stack_dir=paths.STACK_SPECS)
    assert len(report.specs) > 50
    for spec in report.specs:
        assert speccache._decode(json.loads(json.dumps(speccache._encode(spec)))) == spec, spec.path


def test_a_cached_parse_builds_the_bytes_a_fresh_parse_builds(accel, specs, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    code, _, err = _build(accel, specs, out)
    assert code == 0 and "parsed 3 of 3 spec files" in err and len(_entries(cache)) == 3
    (specs / "accelerators" / "demo" / "x2.yaml").write_text(SPEC.format(sku="x2", tdp=450))
    code, _, err = _build(accel, specs, out)
    assert code == 0 and "parsed 1 of 3 spec files, 2 unchanged since a cached parse" in err
    cached = _tree(out)
    code, _, err = _build(accel, specs, out, "--force")  # --force parses every file anew
    assert code == 0 and "parsed 3 of 3 spec files" in err and "unchanged since" not in err
    assert _tree(out) == cached


def test_cached_problems_are_the_problems_parsing_finds(specs, tmp_path):
    cache = tmp_path / "cache"
    fresh = validate_paths([specs], cache_dir=cache)
    again = validate_paths([specs], cache_dir=cache)
    assert fresh.n_cached == 0 and again.n_cached == 3
    assert again.problems == fresh.problems and any(p.rule == "ratio-fp8-bf16" for p in again.problems)
    assert again.specs == fresh.specs


@pytest.mark.parametrize("damage", [
    b"", b"not json", b"{\"format\": 1}", b"[1, 2, 3]", b"{\"format\": 1, \"key\": \"x\", \"spec\": 1, \"problems\": []}",
])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(specs, tmp_path, damage):
    cache = tmp_path / "cache"
    fresh = validate_paths([specs], cache_dir=cache)
    for entry in _entries(cache):
        entry.write_bytes(damage)
    again = validate_paths([specs], cache_dir=cache)
    assert again.n_cached == 0 and again.specs == fresh.specs and again.problems == fresh.problems
    assert validate_paths([specs], cache_dir=cache).n_cached == 3  # rewritten


def test_an_entry_naming_anything_but_the_known_shapes_is_a_miss(specs, tmp_path):
    cache = tmp_path / "cache"
    validate_paths([specs], cache_dir=cache)
    for entry in _entries(cache):
        doc = json.loads(entry.read_text())
        doc["spec"] = {"$": "os.system", "v": {"command": "touch pwned"}}  # a hostile edit
        entry.write_text(json.dumps(doc))
    again = validate_paths([specs], cache_dir=cache)
    assert again.n_cached == 0 and len(again.specs) == 3
    assert not (Path.cwd() / "pwned").exists()
    with pytest.raises(ValueError):
        speccache._decode({"$": "Spec", "v": {"path": "x", "extra": 1}})  # fields must be exactly the class's


def test_another_entry_s_content_under_this_key_is_a_miss(specs, tmp_path):
    cache = tmp_path / "cache"
    validate_paths([specs], cache_dir=cache)
    a, b = _entries(cache)[:2]
    a.write_bytes(b.read_bytes())  # b's entry, which records b's key, copied over a
    assert validate_paths([specs], cache_dir=cache).n_cached == 2


def test_the_key_covers_the_day_the_code_the_path_and_the_bytes(monkeypatch):
    base = speccache.key(b"id: a/b\n", "specs/a/b.yaml", "a/b.yaml")
    assert speccache.key(b"id: a/c\n", "specs/a/b.yaml", "a/b.yaml") != base
    assert speccache.key(b"id: a/b\n", "other/a/b.yaml", "a/b.yaml") != base
    assert speccache.key(b"id: a/b\n", "specs/a/b.yaml", "b.yaml") != base

    class Tomorrow:
        @staticmethod
        def today():
            import datetime

            return datetime.date.today() + datetime.timedelta(days=1)

    import datetime as real

    class FakeDt:
        date = Tomorrow
        datetime = real.datetime

    monkeypatch.setattr(speccache, "dt", FakeDt)
    assert speccache.key(b"id: a/b\n", "specs/a/b.yaml", "a/b.yaml") != base  # future-date checks
    monkeypatch.undo()
    monkeypatch.setattr(speccache, "code_digest", lambda: "another version of the parser")
    assert speccache.key(b"id: a/b\n", "specs/a/b.yaml", "a/b.yaml") != base


def test_an_unwritable_cache_costs_time_not_the_build(accel, specs, tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("ACCELATLAS_CACHE", str(blocker))
    code, _, err = _build(accel, specs, tmp_path / "out")
    assert code == 0 and "parsed 3 of 3 spec files" in err


def test_an_entry_that_is_a_link_a_pipe_or_too_large_is_a_miss_without_reading_it(specs, tmp_path, monkeypatch):
    import os

    cache = tmp_path / "cache"
    validate_paths([specs], cache_dir=cache)
    a, b, c = _entries(cache)
    target = tmp_path / "elsewhere.json"
    target.write_bytes(a.read_bytes())
    a.unlink()
    a.symlink_to(target)  # a link is not followed
    b.unlink()
    os.mkfifo(b)  # a named pipe must not hang the build
    monkeypatch.setattr(speccache, "MAX_ENTRY_BYTES", 10)  # every real entry is larger
    again = validate_paths([specs], cache_dir=cache)
    assert again.n_cached == 0 and len(again.specs) == 3
