"""The upstream files the importers read, copied into `specs/upstream/` with their provenance.

One record per local file or folder (`specs/upstream/PROVENANCE.yaml`): upstream repository,
commit, date, path, licence, and the SHA-256 of every file, computed by `accel upstream --rehash`
and checked by `accel upstream --check` (the tests run it). Importers and evidence tables take
their provenance from here, so a row says which upstream file, at which commit, it came from.
Nothing outside the checkout is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harness import paths
from harness.errors import UserError

NAME = "PROVENANCE.yaml"


@dataclass(frozen=True)
class Upstream:
    local: str  # file, or folder ending in "/", under specs/upstream/
    repo: str | None
    commit: str | None
    date: str | None
    path: str
    licence: str | None = None
    url: str | None = None
    what: str | None = None
    sha256: dict = field(default_factory=dict, compare=False, hash=False)

    def blob_url(self, upstream_path: str | None = None) -> str | None:
        if self.url and upstream_path is None:
            return self.url
        if not (self.repo and self.commit):
            return self.url
        return f"https://github.com/{self.repo}/blob/{self.commit}/{upstream_path or self.path}"

    def as_dict(self) -> dict:
        """What snapshots record as a file's provenance."""
        return {"repo": self.repo, "commit": self.commit, "date": self.date, "path": self.path}


def _root(root: Path | None) -> Path:
    return Path(root) if root is not None else paths.UPSTREAM


def load(root: Path | None = None) -> dict[str, Upstream]:
    """``{local: Upstream}`` from PROVENANCE.yaml."""
    from harness.yamlload import read_data

    root = _root(root)
    doc = read_data(root / NAME) if (root / NAME).is_file() else {"entries": []}
    out = {}
    for e in doc.get("entries") or []:
        out[e["local"]] = Upstream(local=e["local"], repo=e.get("repo"), commit=e.get("commit"),
                                   date=e.get("date"), path=e["path"], licence=e.get("licence"),
                                   url=e.get("url"), what=e.get("what"), sha256=dict(e.get("sha256") or {}))
    return out


def for_file(local: str, root: Path | None = None) -> Upstream:
    """The record covering ``local`` (a file, or a file inside a recorded folder)."""
    table = load(root)
    if local in table:
        return table[local]
    for key, rec in table.items():
        if key.endswith("/") and local.startswith(key):
            return rec
    raise UserError(f"{local} has no provenance record in specs/upstream/{NAME}")


def files_of(rec: Upstream, root: Path | None = None) -> list[str]:
    """The files (relative to specs/upstream/) a record covers, as they are on disk now."""
    root = _root(root)
    if rec.local.endswith("/"):
        base = root / rec.local
        return sorted(p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
    return [rec.local] if (root / rec.local).is_file() else []


def check(root: Path | None = None) -> list[str]:
    """Every difference between the files and PROVENANCE.yaml (empty when they agree)."""
    from harness.checksums import sha256_file

    root = _root(root)
    table = load(root)
    problems, covered = [], set()
    for rec in table.values():
        on_disk = files_of(rec, root)
        if not on_disk:
            problems.append(f"{rec.local}: listed in {NAME} but missing")
        for f in on_disk:
            covered.add(f)
            want = rec.sha256.get(f)
            if want is None:
                problems.append(f"{f}: no sha256 in {NAME} (run accel upstream --rehash)")
            elif sha256_file(root / f) != want:
                problems.append(f"{f}: changed since its sha256 was recorded")
        for f in rec.sha256:
            if f not in on_disk:
                problems.append(f"{f}: has a sha256 but is missing")
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and rel not in covered and rel not in (NAME, "README.md"):
            problems.append(f"{rel}: not listed in {NAME}")
    return problems


def rehash(root: Path | None = None) -> int:
    """Rewrite the sha256 maps in PROVENANCE.yaml from the files; returns how many files."""
    import re

    from harness.checksums import sha256_file

    root = _root(root)
    text = (root / NAME).read_text(encoding="utf-8")
    text = re.sub(r"\n    sha256:\n(?:      .*\n)*", "\n", text)
    table = load(root)
    n = 0
    for rec in table.values():
        files = files_of(rec, root)
        lines = "".join(f"      {f}: {sha256_file(root / f)}\n" for f in files)
        n += len(files)
        anchor = f"  - local: {rec.local}\n"
        start = text.index(anchor)
        nxt = text.find("\n  - local: ", start + len(anchor))
        end = len(text) if nxt < 0 else nxt + 1
        block = text[start:end].rstrip("\n") + "\n"
        text = text[:start] + block + "    sha256:\n" + lines + text[end:]
    (root / NAME).write_text(text, encoding="utf-8")
    return n
