"""Make a release directory: the built tables plus everything needed to trust and cite them.

A release is one flat directory::

    accelerators.{parquet,csv,json}  spec_values.*  sources.*  claims.*  (and any coverage tables)
    datapackage.json   Frictionless Data Package: resources, bytes, hashes, Table Schemas
    croissant.json     MLCommons Croissant (JSON-LD): FileObjects with sha256, RecordSets
    README.md          the dataset card: contents, licence, how to cite, how to verify
    CHANGES.md         value-level changes against the previous release (`accel diff`)
    SHA256SUMS         `sha256sum -c` format, covering every other file

Decisions:
- Nothing is typed by hand: sizes, hashes, row counts and column descriptions are computed from
  the files just written and from the field registry (`schemas/fields.yaml`), so the metadata
  cannot drift from the data. Tables outside the registry (readiness tables) get their column
  types from the Parquet schema.
- The tables are re-written through `harness.dataset.tables.write_table`, so a release's table files are
  byte-identical to the build's; with a fixed `--date` a release is reproducible.
- Every table is validated against its schema first; an invalid table stops the release.
- The directory is built beside the target and swapped in whole (`atomic_dir`), with an
  `accel-manifest.json` naming the version and every file's size and SHA-256: the digest a
  package pins to trust downloads (`harness.release.download`). A target that exists is replaced only
  when its own manifest shows accel wrote it as a release, unchanged.
- Citation text comes from the repository's `CITATION.cff`, the one place it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from harness import paths
from harness.checksums import sha256_file
from harness.dataset.registry import registry
from harness.errors import UserError
from harness.release.formats import DATASETTE, SQLITE, datasette_metadata, hf_front_matter, write_sqlite
from harness.release.meta import (
    DATA_LICENSE,
    FORMAT_TYPES,
    HOMEPAGE,
    SUMS,
    TABLE_DESCRIPTIONS,
    citation,
    croissant,
    datapackage,
    dataset_card,
)
from harness.release.versions import check_version

READINESS = "readiness"


def release_date(date: str | None) -> str:
    """`date` if given (YYYY-MM-DD), else $SOURCE_DATE_EPOCH's date, else today's (UTC)."""
    if date:
        try:
            if not (isinstance(date, str) and date.isascii() and len(date) == 10):
                raise ValueError
            return dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise UserError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
    epoch = (os.environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch:
        try:
            if not epoch.isascii() or int(epoch, 10) < 0:
                raise ValueError
            return dt.datetime.fromtimestamp(int(epoch, 10), dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise UserError(f"$SOURCE_DATE_EPOCH={epoch[:30]!r} is not a Unix time in range "
                            "(seconds since 1970, as a whole number)") from None
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def read_tables(source: Path) -> dict:
    """Every built table under ``source`` (its own *.parquet, or dataset/ and coverage/ below it)."""
    import pandas as pd

    source = Path(source)
    files = sorted(source.glob("*.parquet"))
    if not files:
        files = sorted(p for d in ("dataset", "coverage") for p in (source / d).glob("*.parquet"))
    if not files:
        raise UserError(f"no built tables (*.parquet) under {source}; run `accel build` first")
    tables: dict = {}
    for f in files:
        if f.stem in tables:
            raise UserError(f"two tables named '{f.stem}' under {source}")
        tables[f.stem] = pd.read_parquet(f)
    order = [t for t in registry().tables if t in tables] + sorted(t for t in tables if t not in registry().tables)
    return {t: tables[t] for t in order}


def _guard_target(out: Path, source: Path) -> None:
    out_r, src_r = out.resolve(), Path(source).resolve()
    if out_r == src_r or src_r in out_r.parents or out_r in src_r.parents:
        raise UserError(f"--out {out} overlaps the tables' folder {source}; choose another folder")


def _dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def make_release(version: str, out: Path, *, source: Path | None = None, previous: Path | None = None,
                 date: str | None = None) -> dict:
    """Write a complete release of the tables under ``source`` to ``out``; return a summary dict."""
    from harness.atomic import atomic_dir
    from harness.dataset.tables import check, write_table
    from harness.release import diff

    check_version(version)
    date = release_date(date)
    source = Path(source) if source else paths.RESULTS
    out = Path(out)
    _guard_target(out, source)
    tables = read_tables(source)
    failures = [line for n, df in tables.items() if n in registry().tables for line in check(n, df)]
    if failures:
        raise UserError("tables fail their schemas; no release written:\n  " + "\n  ".join(failures))
    if previous is not None:
        old = diff.load_side(str(previous))
        new = diff.Side(f"{version} (this release)", tables["spec_values"], tables.get("accelerators"))
        changes = diff.compare(old, new)
        changes_md = diff.to_markdown(changes)
        changes_line = changes.summary_line()
    else:
        changes_md = (f"# Changes in AccelAtlas {version}\n\nFirst release: there is no previous release to "
                      f"compare with ({len(tables.get('accelerators', []))} accelerators, "
                      f"{len(tables.get('spec_values', []))} values).\n")
        changes_line = "First release."
    cite = citation(version, date)

    reg = registry()
    core = {n: df for n, df in tables.items() if n not in reg.tables or reg.tables[n].subset == "dataset"}
    readiness = {n: df for n, df in tables.items() if n not in core}
    with atomic_dir(out, "release", extra={"version": version, "date": date}) as tmp:
        for name, df in core.items():
            write_table(df, tmp, name, version=version)
        if readiness:  # the bulky evidence: its own subset, Parquet only
            (tmp / READINESS).mkdir()
            for name, df in readiness.items():
                write_table(df, tmp / READINESS, name, formats=("parquet",), version=version)
        write_sqlite(core, tmp / SQLITE)
        (tmp / DATASETTE).write_text(_dump_json(datasette_metadata(version, date, core, HOMEPAGE, DATA_LICENSE,
                                                                     TABLE_DESCRIPTIONS)), encoding="utf-8")
        (tmp / "CHANGES.md").write_text(changes_md, encoding="utf-8")

        def describe(names):
            return {n: ((tmp / n).stat().st_size, sha256_file(tmp / n)) for n in names}

        table_files = describe([f"{n}.{fmt}" for n in core for fmt in FORMAT_TYPES]
                               + [f"{READINESS}/{n}.parquet" for n in readiness])
        (tmp / "datapackage.json").write_text(
            _dump_json(datapackage(version, date, core, table_files, tables.get("sources"))), encoding="utf-8")
        (tmp / "croissant.json").write_text(
            _dump_json(croissant(version, date, core, readiness, table_files, cite[1])), encoding="utf-8")
        card_files = {**table_files, **describe(["CHANGES.md", "datapackage.json", "croissant.json", SQLITE,
                                                 DATASETTE])}
        card = hf_front_matter(list(core), list(readiness)) + dataset_card(version, date, tables, card_files, cite,
                                                                           changes_line)
        (tmp / "README.md").write_text(card, encoding="utf-8")
        listed = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file() and p.name != SUMS)
        sums = "".join(f"{sha256_file(tmp / n)}  {n}\n" for n in listed)
        (tmp / SUMS).write_text(sums, encoding="utf-8")
    return {"out": out, "version": version, "date": date, "files": len(listed) + 1,
            "tables": {n: len(df) for n, df in tables.items()}, "changes": changes_line}


def pin_release(version: str, out: Path) -> str:
    """Record the sha256 of release ``out``'s manifest as this package's pin for ``version``
    (`harness/release/pins.json`, sorted, one file the wheel carries). Checkout only."""
    from harness import manifest
    from harness.release.download import PINS

    paths.need_checkout("accel release --pin")
    check_version(version)
    m = manifest.read(Path(out))
    if m is None or m.get("kind") != "release" or m.get("version") != version:
        raise UserError(f"{out} is not release {version} (its manifest says otherwise)")
    digest = sha256_file(Path(out) / manifest.NAME)
    pins = json.loads(PINS.read_text(encoding="utf-8")) if PINS.exists() else {}
    if pins.get(version) not in (None, digest):
        raise UserError(f"release {version} is already pinned to another manifest ({pins[version][:16]}…); "
                        "a published version is never re-pinned")
    pins[version] = digest
    from harness.atomic import atomic_file

    with atomic_file(PINS, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(dict(sorted(pins.items())), indent=1) + "\n")
    return digest
