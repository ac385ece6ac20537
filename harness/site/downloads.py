"""The downloads page: the built tables with their sizes and SHA-256, what a release holds, how to
cite, the licences.

The tables are copied into the site (data/dataset/, data/coverage/) from the results folders,
and each copy is checked against the folder's own `accel-manifest.json` as it is made (the
manifest is copied beside them): a file that does not match its manifest stops the build
instead of being published with a wrong hash.
Sizes and hashes on the page are the manifest's, never typed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from harness.checksums import sha256_file
from harness.errors import UserError
from harness.site.html import esc, page, table

RELEASE_FILES = (
    ("<table>.parquet, .csv, .json", "the core tables (accelerators, spec_values, sources, claims, prices, "
     "completeness, field_completeness), each with its units and descriptions in the Parquet metadata"),
    ("accelatlas.sqlite, metadata.json", "the same tables in SQLite, with Datasette's metadata"),
    ("readiness/", "the software-readiness evidence as Parquet (op coverage, op evidence, CUDA-API, Triton, "
     "ggml, MLPerf)"),
    ("SHA256SUMS", "every file's SHA-256"),
    ("accel-manifest.json", "every file's size and hash and the version; its digest is pinned in the package "
     "and is what `accel download` trusts"),
    ("datapackage.json", "a Frictionless Data Package of the CSV tables (frictionless validate passes)"),
    ("croissant.json", "MLCommons Croissant metadata over every table"),
    ("README.md", "a dataset card; datasets.load_dataset(folder, \"<table>\") reads one config per table"),
    ("CHANGES.md", "what changed since the previous release"),
)


def copy_tables(folder: Path, dest: Path) -> list[tuple[str, int, str]]:
    """Copy the files ``folder``'s manifest lists into ``dest``, checking each; (name, bytes, sha256)."""
    mpath = folder / "accel-manifest.json"
    try:
        raw = mpath.read_bytes()
        files = json.loads(raw.decode("utf-8"))["files"]
        listed = sorted((str(n), int(m["bytes"]), str(m["sha256"])) for n, m in files.items())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{mpath}: no readable accel manifest ({exc}); rebuild with `accel build`") from None
    dest.mkdir(parents=True, exist_ok=True)
    for name, size, digest in listed:
        src = folder / name
        if "/" in name or name.startswith(".") or not src.is_file() or src.is_symlink():
            raise UserError(f"{folder}: its manifest lists '{name}', which is not a plain file there")
        if src.stat().st_size != size or sha256_file(src) != digest:
            raise UserError(f"{src} does not match its manifest (size or SHA-256); rebuild with `accel build`")
        shutil.copyfile(src, dest / name)
    (dest / "accel-manifest.json").write_bytes(raw)  # the list the copies were checked against
    return listed


def render(groups: list[tuple[str, str, list]], citation: str | None) -> str:
    sections = []
    for title, where, files in groups:
        rows = [[f'<a href="{esc(where)}/{esc(n)}">{esc(n)}</a>', f"{size:,}", f"<code>{esc(d)}</code>"]
                for n, size, d in files]
        sections.append(f"<h3>{esc(title)}</h3>" + table(["file", "bytes", "SHA-256"], rows, cls="grid files")
                        + f'<p class="small">The list: <a href="{esc(where)}/accel-manifest.json">'
                        "accel-manifest.json</a></p>")
    rel = table(["file", "what it holds"], [[f"<code>{esc(f)}</code>", esc(t)] for f, t in RELEASE_FILES])
    cite = (f'<pre class="cff">{esc(citation)}</pre><p><a href="CITATION.cff">CITATION.cff</a></p>' if citation
            else "<p>See CITATION.cff in the repository.</p>")
    body = f"""<h1>Downloads</h1>
<p class="lede">The tables this site was generated from, as built (<code>accel build</code>); sizes and
SHA-256 from each folder's <code>accel-manifest.json</code>, checked when the site was written.</p>
{''.join(sections)}
<h2>Releases</h2><p>A release is one folder written by
<code>accel release --version X.Y.Z --out dist/X.Y.Z</code> and published from a <code>vX.Y.Z</code> tag
(GitHub Release, PyPI, Hugging Face). <code>accel download --version X.Y.Z</code> fetches one and checks
every file against the manifest digest the package pins. It holds:</p>{rel}
<h2 id="cite">How to cite</h2><p>Cite the dataset as below, and the original source of any figure you quote
(every value names its source).</p>{cite}
<h2 id="licence">Licence</h2><p>Data: <a href="https://creativecommons.org/licenses/by/4.0/">CC-BY-4.0</a>.
Code: <a href="https://www.apache.org/licenses/LICENSE-2.0">Apache-2.0</a>.</p>"""
    return page("Downloads", body, active="downloads.html")
