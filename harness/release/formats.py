"""The release's files for other ecosystems: SQLite with Datasette metadata, and the Hugging Face
card header that gives `datasets.load_dataset` one config per table.

Decisions:
- SQLite holds the core (dataset) tables only, each indexed on its key; `metadata.json` beside it
  is Datasette's format: title, licence, source, and per table its description and per column its
  description with its unit, all from the registry.
- The Hugging Face header declares every table as a config (`data_files` pointing at its Parquet
  file), the core `accelerators` table as the default, so `load_dataset(folder, "spec_values")` or
  `load_dataset("<hub id>", "op_coverage")` reads one table, typed by Parquet.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness.dataset.registry import registry

SQLITE = "accelatlas.sqlite"
DATASETTE = "metadata.json"


def write_sqlite(tables: dict, path: Path) -> None:
    """The tables as one SQLite database (page size and order fixed: same tables, same bytes)."""
    reg = registry()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA page_size = 4096")
        con.execute("PRAGMA journal_mode = OFF")
        for name, df in tables.items():
            df.to_sql(name, con, index=False)
            key = list(reg.tables[name].key) if name in reg.tables else []
            if key:
                cols = ", ".join(f'"{k}"' for k in key)
                con.execute(f'CREATE UNIQUE INDEX "{name}_key" ON "{name}" ({cols})')
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def datasette_metadata(version: str, date: str, tables: dict, homepage: str, licence: dict,
                       descriptions: dict) -> dict:
    reg = registry()
    out_tables = {}
    for name, df in tables.items():
        cols = {}
        for c in df.columns:
            try:
                field = reg.column(c)
            except KeyError:
                continue
            # units go into the description: Datasette's `units` key wants Pint names (no TFLOPS)
            cols[c] = field.description + (f" Unit: {field.unit}." if field.unit else "")
        out_tables[name] = {"description": descriptions.get(name, f"Built table {name}."), "columns": cols}
    return {
        "title": f"AccelAtlas {version}",
        "description": f"Released {date}. Every value carries its source, tier and locator; unknown is null, "
                       "never 0; throughput columns are dense peaks (see spec_values.source_url).",
        "license": licence["name"], "license_url": licence["path"],
        "source": "AccelAtlas", "source_url": homepage,
        "databases": {"accelatlas": {"tables": out_tables}},
    }


def hf_front_matter(core: list[str], readiness: list[str]) -> str:
    """The YAML header of a Hugging Face dataset card: licence and one config per table."""
    lines = ["---", "license: cc-by-4.0", "pretty_name: AccelAtlas", "tags:", "- hardware", "- ai-accelerators",
             "configs:"]
    for name in core:
        lines += [f"- config_name: {name}", f"  data_files: {name}.parquet"]
        if name == "accelerators":
            lines.append("  default: true")
    for name in readiness:
        lines += [f"- config_name: {name}", f"  data_files: readiness/{name}.parquet"]
    lines.append("---")
    return "\n".join(lines) + "\n"
