"""The metadata files of a release, computed from the tables just written and the registry.

* ``datapackage.json``: a Frictionless Data Package (resources, bytes, sha256, Table Schemas);
* ``croissant.json``: MLCommons Croissant JSON-LD (FileObjects with sha256, RecordSets);
* ``README.md``: the dataset card (contents, licence, citation, how to verify);
* the citation, from the repository's ``CITATION.cff``, the one place it is written.

Nothing is typed by hand: sizes, hashes, row counts and column descriptions come from the files
and from the field registry (`schemas/fields.yaml`); tables outside the registry (readiness
tables) get their column types from the Parquet schema. `harness.release.write` writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness import __version__, paths
from harness.dataset.registry import registry
from harness.errors import UserError

HOMEPAGE = "https://github.com/accelatlas/accelatlas"
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International"}
CODE_LICENSE = {"name": "Apache-2.0", "path": "https://www.apache.org/licenses/LICENSE-2.0",
                "title": "Apache License 2.0"}
CITATION_FILE = paths.ROOT / "CITATION.cff"
SUMS = "SHA256SUMS"

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
    """The Frictionless descriptor of the core tables' CSV files (Frictionless' own format, which
    `frictionless validate` checks in full: bytes, hash, rows, types, constraints, keys). The same
    rows as Parquet, JSON and SQLite, and the readiness subset, are covered by SHA256SUMS, the
    manifest and croissant.json. ``files`` maps file name -> (bytes, sha256)."""
    resources = []
    for name, df in tables.items():
        schema = {"fields": [_frictionless_field(c) for c in table_columns(name, df)], "missingValues": [""]}
        if _table_key(name):
            schema["primaryKey"] = _table_key(name)
        fname = f"{name}.csv"
        size, digest = files[fname]
        resources.append({"name": name, "path": fname, "profile": "tabular-data-resource", "title": name,
                          "description": TABLE_DESCRIPTIONS.get(name, f"Built table {name}."),
                          "format": "csv", "mediatype": FORMAT_TYPES["csv"][0], "encoding": "utf-8",
                          "bytes": size, "hash": f"sha256:{digest}", "rows": len(df), "schema": schema})
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


def croissant(version: str, date: str, tables: dict, readiness: dict, files: dict[str, tuple[int, str]],
              cite: str) -> dict:
    """The Croissant JSON-LD: each core table a RecordSet read from its CSV FileObject (its Parquet
    and JSON files listed beside it), each readiness table one read from its Parquet file."""
    distribution, record_sets = [], []

    def record_set(name, df, file_id):
        fields = []
        for c in table_columns(name, df):
            desc = c.description or f"Column {c.name}."
            if c.unit:
                desc += f" Unit: {c.unit}."
            fields.append({"@type": "cr:Field", "@id": f"{name}/{c.name}", "name": c.name, "description": desc,
                           "dataType": DTYPE_MAP[c.dtype][1],
                           "source": {"fileObject": {"@id": file_id}, "extract": {"column": c.name}}})
        rs = {"@type": "cr:RecordSet", "@id": name, "name": name,
              "description": TABLE_DESCRIPTIONS.get(name, f"Built table {name}."), "field": fields}
        key = _table_key(name)
        if key:
            rs["key"] = [{"@id": f"{name}/{k}"} for k in key] if len(key) > 1 else {"@id": f"{name}/{key[0]}"}
        return rs

    def file_object(fname, fmt, description):
        size, digest = files[fname]
        return {"@type": "cr:FileObject", "@id": fname, "name": fname, "description": description,
                "contentUrl": fname, "contentSize": f"{size} B", "encodingFormat": FORMAT_TYPES[fmt][1],
                "sha256": digest}

    for name, df in tables.items():
        for fmt in ("csv", "parquet", "json"):
            distribution.append(file_object(f"{name}.{fmt}", fmt, f"Table {name} as {fmt.upper()}."))
        record_sets.append(record_set(name, df, f"{name}.csv"))
    for name, df in readiness.items():
        fname = f"readiness/{name}.parquet"
        distribution.append(file_object(fname, "parquet", f"Readiness table {name} (Parquet)."))
        record_sets.append(record_set(name, df, fname))
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
        stem, _, ext = fname.rpartition("/")[2].rpartition(".")
        rows = str(counts[stem]) if stem in counts and ext in FORMAT_TYPES else ""
        lines.append(f"| `{fname}` | {rows} | {_human(size)} | `{digest[:16]}…` |")
    lines += [
        "", "Each core table comes as Parquet, CSV and JSON (an array of records) and in `accelatlas.sqlite` "
        "(with Datasette's `metadata.json`); the software-readiness evidence is its own subset, Parquet only, "
        "in `readiness/`. Column types, units and descriptions are in `datapackage.json` (Frictionless, the "
        "core CSV tables), `croissant.json` (MLCommons Croissant, every table) and each Parquet file's own "
        "metadata. `datasets.load_dataset(<folder or hub id>, \"<table>\")` reads any table (configs above).", "",
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
