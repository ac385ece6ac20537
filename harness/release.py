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
- The tables are re-written through `harness.tables.write_table`, so a release's table files are
  byte-identical to the build's; with a fixed `--date` a release is reproducible.
- Every table is validated against its schema first; an invalid table stops the release.
- The directory is built beside the target and swapped in whole (`atomic_dir`); a target that
  exists but is not a release directory is never replaced.
- Citation text comes from the repository's `CITATION.cff`, the one place it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from harness import __version__, paths
from harness.checksums import sha256_file
from harness.errors import UserError
from harness.registry import registry

HOMEPAGE = "https://github.com/accelatlas/accelatlas"
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International"}
CODE_LICENSE = {"name": "Apache-2.0", "path": "https://www.apache.org/licenses/LICENSE-2.0",
                "title": "Apache License 2.0"}
CITATION_FILE = paths.ROOT / "CITATION.cff"
SUMS = "SHA256SUMS"
VERSION_RE = re.compile(r"^\d+(\.\d+)*([-+][0-9A-Za-z.]+)?$")

TABLE_DESCRIPTIONS = {
    "accelerators": "One row per accelerator SKU, values in canonical units, with derived metrics.",
    "spec_values": "One row per (accelerator, field): the value as printed, its state, unit, basis, "
                   "source, tier and locator.",
    "sources": "One row per cited source document (deduplicated by URL).",
    "claims": "Comparison statements made by sources, kept as text and never turned into numbers.",
}
# file format -> (Frictionless mediatype, Croissant encodingFormat)
FORMAT_TYPES = {
    "csv": ("text/csv", "text/csv"),
    "parquet": ("application/vnd.apache.parquet", "application/x-parquet"),
    "json": ("application/json", "application/json"),
}
# registry dtype -> (Frictionless Table Schema type, Croissant dataType)
DTYPE_MAP = {
    "string": ("string", "sc:Text"),
    "float": ("number", "sc:Float"),
    "integer": ("integer", "sc:Integer"),
    "boolean": ("boolean", "sc:Boolean"),
    "datetime": ("datetime", "sc:DateTime"),
}
CROISSANT_CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "equivalentProperty": "cr:equivalentProperty",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet",
    "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField",
    "path": "cr:path", "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex",
    "repeated": "cr:repeated", "replace": "cr:replace", "samplingRate": "cr:samplingRate",
    "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform",
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # registry dtype
    description: str
    unit: str | None
    nullable: bool
    isin: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None


def check_version(version: str) -> str:
    if not version or not VERSION_RE.match(version):
        raise UserError(f"version {version!r} is not a release version; use digits and dots such as 0.2.0 "
                        "(optionally with a suffix such as 0.2.0-rc1)")
    return version


def release_date(date: str | None) -> str:
    """`date` if given (YYYY-MM-DD), else $SOURCE_DATE_EPOCH's date, else today's (UTC)."""
    if date:
        try:
            return dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise UserError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
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


def table_columns(name: str, df) -> list[Column]:
    """Each column's type, unit and description: from the registry, else from the frame's dtype."""
    import pandas as pd

    reg = registry()
    cols = []
    for c in df.columns:
        if c in reg.value_fields or c in reg.columns:
            f = reg.column(c)
            cols.append(Column(c, f.dtype, f.description, f.unit if f.unit != "dimensionless" else None,
                               f.nullable, f.isin, f.min, f.max))
            continue
        s = df[c]
        if pd.api.types.is_bool_dtype(s):
            dtype = "boolean"
        elif pd.api.types.is_integer_dtype(s):
            dtype = "integer"
        elif pd.api.types.is_float_dtype(s):
            dtype = "float"
        elif pd.api.types.is_datetime64_any_dtype(s):
            dtype = "datetime"
        else:
            dtype = "string"
        cols.append(Column(c, dtype, "", None, True))
    return cols


def _table_key(name: str) -> list[str]:
    t = registry().tables.get(name)
    return list(t.key) if t else []


def _frictionless_field(c: Column) -> dict:
    f = {"name": c.name, "type": DTYPE_MAP[c.dtype][0]}
    if c.description:
        f["description"] = c.description
    if c.unit:
        f["unit"] = c.unit  # a custom property: Table Schema has no unit keyword
    constraints: dict = {}
    if not c.nullable:
        constraints["required"] = True
    if c.isin:
        constraints["enum"] = list(c.isin)
    if c.min is not None:
        constraints["minimum"] = c.min
    if c.max is not None:
        constraints["maximum"] = c.max
    if constraints:
        f["constraints"] = constraints
    return f


def datapackage(version: str, date: str, tables: dict, files: dict[str, tuple[int, str]], sources_df) -> dict:
    """The Frictionless descriptor; ``files`` maps file name -> (bytes, sha256)."""
    resources = []
    for name, df in tables.items():
        schema = {"fields": [_frictionless_field(c) for c in table_columns(name, df)], "missingValues": [""]}
        if _table_key(name):
            schema["primaryKey"] = _table_key(name)
        for fmt in ("csv", "parquet", "json"):
            fname = f"{name}.{fmt}"
            size, digest = files[fname]
            res = {"name": name if fmt == "csv" else f"{name}-{fmt}", "path": fname,
                   "profile": "tabular-data-resource", "title": f"{name} ({fmt})",
                   "description": TABLE_DESCRIPTIONS.get(name, f"Built table {name}."),
                   "format": fmt, "mediatype": FORMAT_TYPES[fmt][0], "bytes": size, "hash": f"sha256:{digest}",
                   "rows": len(df), "schema": schema}
            if fmt == "csv":
                res["encoding"] = "utf-8"
            resources.append(res)
    srcs = []
    if sources_df is not None:
        for r in sources_df.itertuples(index=False):
            srcs.append({"title": str(r.title), "path": str(r.url)})
    return {
        "profile": "tabular-data-package",
        "name": "accelatlas",
        "id": f"{HOMEPAGE}/releases/tag/v{version}",
        "title": "AccelAtlas: sourced specifications of AI accelerators",
        "description": "Every value carries its source, tier and locator; unknown is null, never 0; throughput "
                       "columns are dense peaks. Export-control metrics are informational, not a legal "
                       "determination.",
        "version": version,
        "created": f"{date}T00:00:00Z",
        "homepage": HOMEPAGE,
        "licenses": [DATA_LICENSE],
        "contributors": [{"title": "AccelAtlas contributors", "role": "author", "path": HOMEPAGE}],
        "keywords": ["AI accelerators", "GPU", "NPU", "hardware specifications"],
        "x-accelatlas-harness-version": __version__,
        "sources": srcs,
        "resources": resources,
    }


def croissant(version: str, date: str, tables: dict, files: dict[str, tuple[int, str]], cite: str) -> dict:
    """The Croissant JSON-LD; each table is a RecordSet read from its CSV FileObject."""
    distribution, record_sets = [], []
    for name, df in tables.items():
        for fmt in ("csv", "parquet", "json"):
            fname = f"{name}.{fmt}"
            size, digest = files[fname]
            distribution.append({"@type": "cr:FileObject", "@id": fname, "name": fname,
                                 "description": f"Table {name} as {fmt.upper()}.", "contentUrl": fname,
                                 "contentSize": f"{size} B", "encodingFormat": FORMAT_TYPES[fmt][1],
                                 "sha256": digest})
        fields = []
        for c in table_columns(name, df):
            desc = c.description or f"Column {c.name}."
            if c.unit:
                desc += f" Unit: {c.unit}."
            fields.append({"@type": "cr:Field", "@id": f"{name}/{c.name}", "name": c.name, "description": desc,
                           "dataType": DTYPE_MAP[c.dtype][1],
                           "source": {"fileObject": {"@id": f"{name}.csv"}, "extract": {"column": c.name}}})
        rs = {"@type": "cr:RecordSet", "@id": name, "name": name,
              "description": TABLE_DESCRIPTIONS.get(name, f"Built table {name}."), "field": fields}
        key = _table_key(name)
        if key:
            rs["key"] = [{"@id": f"{name}/{k}"} for k in key] if len(key) > 1 else {"@id": f"{name}/{key[0]}"}
        record_sets.append(rs)
    return {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": "AccelAtlas",
        "description": "A sourced, validated dataset of AI accelerators: every value carries its source, tier "
                       "and locator; unknown is null, never 0; throughput columns are dense peaks.",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": cite,
        "creator": {"@type": "sc:Organization", "name": "AccelAtlas contributors", "url": HOMEPAGE},
        "datePublished": date,
        "license": DATA_LICENSE["path"],
        "url": HOMEPAGE,
        "version": version,
        "keywords": ["AI accelerators", "GPU", "NPU", "hardware specifications"],
        "distribution": distribution,
        "recordSet": record_sets,
    }


def citation(version: str, date: str) -> tuple[str, str]:
    """(one-line citation, BibTeX) from CITATION.cff, with this release's version and date."""
    from harness.yamlload import read_data

    cff = read_data(CITATION_FILE)
    if not isinstance(cff, dict) or "title" not in cff:
        raise UserError(f"{CITATION_FILE}: not a citation file (no 'title')")
    authors = " and ".join(a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
                           for a in cff.get("authors", []))
    title, url = cff["title"], cff.get("url") or HOMEPAGE
    line = f"{authors} ({date[:4]}). {title}. Version {version}. {url}"
    bibtex = (f"@misc{{accelatlas_{version.replace('.', '_')},\n"
              f"  author = {{{{{authors}}}}},\n  title = {{{{{title}}}}},\n  year = {{{date[:4]}}},\n"
              f"  version = {{{version}}},\n  url = {{{url}}},\n  note = {{Dataset licensed CC-BY-4.0}}\n}}")
    return line, bibtex


def _human(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)  # pragma: no cover


def dataset_card(version: str, date: str, tables: dict, files: dict[str, tuple[int, str]],
                 cite: tuple[str, str], changes_line: str) -> str:
    counts = {n: len(df) for n, df in tables.items()}
    lines = [
        f"<!-- generated by `accel release --version {version}`; do not edit -->",
        f"# AccelAtlas {version}", "",
        f"Released {date}. A sourced, validated dataset of AI accelerators: "
        + ", ".join(f"{counts[n]} {n.replace('_', ' ')}" for n in counts) + ".", "",
        "Every value carries its source, its tier (`official` vendor document, `reported` press or third "
        "party, `estimated`) and a locator in the source. Unknown is null, never 0; \"not disclosed\" and "
        "\"not supported\" are explicit states. Throughput columns are **dense** peaks. Export-control "
        "metrics (TPP, performance density, 3A090 tests) are informational, not a legal determination.", "",
        "## Files", "",
        "| file | rows | size | sha256 |", "|---|---:|---:|---|",
    ]
    for fname, (size, digest) in sorted(files.items()):
        stem, _, ext = fname.rpartition(".")
        rows = str(counts[stem]) if stem in counts and ext in FORMAT_TYPES else ""
        lines.append(f"| `{fname}` | {rows} | {_human(size)} | `{digest[:16]}…` |")
    lines += [
        "", "Each table comes as Parquet, CSV and JSON (an array of records). Column types, units and "
        "descriptions are in `datapackage.json` (Frictionless) and `croissant.json` (MLCommons Croissant).", "",
        "## Verify", "",
        "```sh", f"sha256sum -c {SUMS}              # every file, against the published sums",
        f"accel download --version {version}   # fetch, verify and cache it", "```", "",
        "## Tables", "",
    ]
    for n, df in tables.items():
        key = ", ".join(_table_key(n)) or "none"
        lines.append(f"- **{n}** ({counts[n]} rows, {len(df.columns)} columns, key: {key}): "
                     f"{TABLE_DESCRIPTIONS.get(n, 'built table.')}")
    lines += [
        "", "## Licence", "",
        f"- Data: [{DATA_LICENSE['title']}]({DATA_LICENSE['path']}) (`CC-BY-4.0`). Credit \"AccelAtlas "
        "contributors\" and keep the per-value source citations.",
        f"- Code (the `accel` harness): [{CODE_LICENSE['title']}]({CODE_LICENSE['path']}) (`Apache-2.0`).",
        "- Cited documents remain under their publishers' terms; the dataset records figures and where they "
        "stand, not the documents.", "",
        "## How to cite", "", cite[0], "", "```bibtex", cite[1], "```", "",
        f"The repository's `CITATION.cff` holds the same metadata ({HOMEPAGE}).", "",
        "## Changes", "", changes_line + " See `CHANGES.md`.", "",
    ]
    return "\n".join(lines)


def _guard_target(out: Path, source: Path) -> None:
    out_r, src_r = out.resolve(), Path(source).resolve()
    if out_r == src_r or src_r in out_r.parents or out_r in src_r.parents:
        raise UserError(f"--out {out} overlaps the tables' folder {source}; choose another folder")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / SUMS).exists())):
        raise UserError(f"{out} exists and is not a release directory (no {SUMS}); refusing to replace it")


def _dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def make_release(version: str, out: Path, *, source: Path | None = None, previous: Path | None = None,
                 date: str | None = None) -> dict:
    """Write a complete release of the tables under ``source`` to ``out``; return a summary dict."""
    from harness import diff
    from harness.atomic import atomic_dir
    from harness.tables import check, write_table

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

    with atomic_dir(out, may_replace=lambda d: (d / SUMS).exists()) as tmp:
        for name, df in tables.items():
            write_table(df, tmp, name)
        (tmp / "CHANGES.md").write_text(changes_md, encoding="utf-8")

        def describe(names):
            return {n: ((tmp / n).stat().st_size, sha256_file(tmp / n)) for n in names}

        table_files = describe(f"{n}.{fmt}" for n in tables for fmt in FORMAT_TYPES)
        (tmp / "datapackage.json").write_text(
            _dump_json(datapackage(version, date, tables, table_files, tables.get("sources"))), encoding="utf-8")
        (tmp / "croissant.json").write_text(
            _dump_json(croissant(version, date, tables, table_files, cite[1])), encoding="utf-8")
        card_files = {**table_files, **describe(["CHANGES.md", "datapackage.json", "croissant.json"])}
        (tmp / "README.md").write_text(dataset_card(version, date, tables, card_files, cite, changes_line),
                                       encoding="utf-8")
        listed = sorted(p.name for p in tmp.iterdir() if p.is_file() and p.name != SUMS)
        sums = "".join(f"{sha256_file(tmp / n)}  {n}\n" for n in listed)
        (tmp / SUMS).write_text(sums, encoding="utf-8")
    return {"out": out, "version": version, "date": date, "files": len(listed) + 1,
            "tables": {n: len(df) for n, df in tables.items()}, "changes": changes_line}
