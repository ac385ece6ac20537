"""llama.cpp's measured ggml op support per backend: snapshots in specs/oplists/ggml/, and tables.

Upstream, each backend runs ``test-backend-ops support --output csv`` into ``docs/ops/<B>.csv``
(one row per op x test case, ``supported`` yes/no), and ``scripts/create_ops_docs.py`` folds the
CSVs into ``docs/ops.md``: per op and backend, ✅ when every test case is supported, 🟡 when some
are, ❌ when none are *or the backend's CSV has no case for the op*. We apply the same rule to a
CSV (``fold_csv``) so both inputs give the same three states: supported, partial, unsupported.

Decisions:

- **A separate axis.** ggml ops are not ATen ops; the denominator is the ops listed in the
  backend's snapshot (every op of the upstream table), never the Core ATen set.
- **❌ is "no passing test case", not proof of absence**: upstream folds "not tested" into it
  (a backend whose CSV predates an op shows ❌). The table keeps upstream's word, ``unsupported``,
  and the summary says so.
- Snapshots are facts only (op -> state) with the upstream repo, path and commit, written by
  ``accel coverage import-ggml`` (``write_snapshots``); the build reads the snapshots, never the
  network. A hand edit is caught because the header names the command that regenerates it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import yaml

from harness.atomic import atomic_file
from harness.readiness.errors import InputError, is_separator, split_row
from harness.readiness.frames import frame, share
from harness.readiness.registry import Context, importer
from harness.readiness.yamlio import check_keys, load

MARKS = {"✅": "supported", "🟡": "partial", "❌": "unsupported"}
STATES = ("supported", "partial", "unsupported")
SNAPSHOT_KEYS = {"backend", "upstream", "method", "ops"}
UPSTREAM_KEYS = {"repo", "path", "commit", "read_via", "note"}
OP_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
SKIP_OPS = {"CONTEXT_ERROR", "BUILD_ERROR"}  # as create_ops_docs.py


def parse_ops_md(path: Path) -> dict[str, dict[str, str]]:
    """``docs/ops.md`` -> {backend: {op: state}} for every backend column of its table."""
    backends: list[str] | None = None
    out: dict[str, dict[str, str]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not a UTF-8 text file ({exc.reason} at byte {exc.start}): "
                                     "expected a copy of llama.cpp docs/ops.md") from None
    for lineno, text in enumerate(lines, 1):
        if not text.lstrip().startswith("|"):
            continue
        cells = split_row(text)
        if cells[0] == "Operation":
            backends = cells[1:]
            if not backends or len(set(backends)) != len(backends):
                raise InputError(path, lineno, f"bad backend header {backends}")
            out = {b: {} for b in backends}
            continue
        if is_separator(cells):
            continue
        if backends is None:
            raise InputError(path, lineno, "table row before the '| Operation | ...' header")
        op, marks = cells[0], cells[1:]
        if not OP_RE.match(op):
            raise InputError(path, lineno, f"{op!r} is not a ggml op name")
        if len(marks) != len(backends):
            raise InputError(path, lineno, f"{len(marks)} marks for {len(backends)} backends")
        for b, mark in zip(backends, marks, strict=True):
            if mark not in MARKS:
                raise InputError(path, lineno, f"unknown mark {mark!r} for {op} on {b} (legend: ✅ 🟡 ❌)")
            if op in out[b]:
                raise InputError(path, lineno, f"op {op} listed twice")
            out[b][op] = MARKS[mark]
    if not out or not any(out.values()):
        raise InputError(path, None, "no '| Operation | <backends> |' table found")
    return out


def fold_csv(path: Path) -> dict[str, dict[str, str]]:
    """``docs/ops/<B>.csv`` -> {backend: {op: state}} by upstream's create_ops_docs.py rule."""
    cases: dict[str, dict[str, list[bool]]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        try:
            need = {"backend_name", "op_name", "test_mode", "error_message"}
            if not reader.fieldnames or not need <= set(reader.fieldnames):
                raise InputError(path, 1, f"CSV header lacks {sorted(need - set(reader.fieldnames or []))}")
            for row in reader:
                if None in row:
                    raise InputError(path, reader.line_num, "row has more cells than the header")
                if row.get("test_mode") != "support":
                    continue
                op = (row.get("op_name") or "").strip()
                backend = (row.get("backend_reg_name") or "").strip() or (row.get("backend_name") or "").strip()
                if not op or not backend or op in SKIP_OPS:
                    continue
                answer = (row.get("error_message") or "").strip().lower()
                if answer not in {"yes", "no"}:
                    raise InputError(path, reader.line_num, f"support answer {answer!r} is not yes/no")
                cases.setdefault(backend, {}).setdefault(op, []).append(answer == "yes")
        except (UnicodeDecodeError, csv.Error) as exc:  # a binary file, or not CSV at all
            why = f"{exc.reason} at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else str(exc)
            raise InputError(path, None, f"not a UTF-8 CSV file ({why}): expected a copy of llama.cpp "
                                         "docs/ops/<backend>.csv") from None
    if not cases:
        raise InputError(path, None, "no 'support' rows found")
    return {b: {op: "supported" if all(v) else "partial" if any(v) else "unsupported"
                for op, v in ops.items()} for b, ops in cases.items()}


def snapshot_name(backend: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", backend.lower()).strip("-") + ".yaml"


def write_snapshots(states: dict[str, dict[str, str]], out_dir: Path, *, repo: str, path: str,
                    commit: str, read_via: str | None = None, command: str = "") -> list[Path]:
    """One YAML per backend, each written atomically; returns the paths written."""
    if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise InputError(path, None, f"commit {commit!r} is not a hex git sha")
    written = []
    for backend, ops in sorted(states.items()):
        doc = {
            "backend": backend,
            "upstream": {"repo": repo, "path": path, "commit": commit, **({"read_via": read_via} if read_via else {})},
            "method": "llama.cpp test-backend-ops support mode, folded per op by scripts/create_ops_docs.py rules",
            "ops": {op: ops[op] for op in sorted(ops)},
        }
        target = Path(out_dir) / snapshot_name(backend)
        with atomic_file(target, encoding="utf-8") as fh:
            fh.write(f"# Generated by `{command or 'accel coverage import-ggml'}`; do not edit by hand.\n")
            fh.write(f"# ggml op support of the {backend} backend as published by {repo}.\n")
            yaml.safe_dump(doc, fh, sort_keys=False, allow_unicode=True, width=100)
        written.append(target)
    return written


def read_snapshot(path: Path) -> list[dict]:
    doc = load(path)
    check_keys(doc, SNAPSHOT_KEYS, SNAPSHOT_KEYS - {"method"}, path, "ggml snapshot")
    check_keys(doc["upstream"], UPSTREAM_KEYS, {"repo", "path", "commit"}, path, "upstream")
    ops = doc["ops"]
    if not isinstance(ops, dict) or not ops:
        raise InputError(path, doc.line, "'ops' must be a non-empty mapping of op -> state")
    bad = {op: s for op, s in ops.items() if s not in STATES or not OP_RE.match(str(op))}
    if bad:
        raise InputError(path, getattr(ops, "line", doc.line), f"bad op entries {bad} (states: {', '.join(STATES)})")
    up = doc["upstream"]
    return [{"ggml_op": op, "ggml_backend": str(doc["backend"]), "support_state": s,
             "source_repo": up["repo"], "source_path": up["path"], "source_commit": str(up["commit"])}
            for op, s in ops.items()]


def summarise(df: pd.DataFrame) -> list[dict]:
    rows = []
    for backend, g in df.groupby("ggml_backend", sort=True):
        full = int((g["support_state"] == "supported").sum())
        part = int((g["support_state"] == "partial").sum())
        rows.append({
            "ggml_backend": backend, "n_supported": full, "n_partial": part,
            "n_total": len(g), "coverage_share": share(full, len(g)),
            "any_support_share": share(full + part, len(g)),
            "source_repo": g["source_repo"].iloc[0], "source_path": g["source_path"].iloc[0],
            "source_commit": g["source_commit"].iloc[0],
            "note": "denominator = ggml ops in the upstream table; 'unsupported' also covers ops "
                    "with no test case for this backend (upstream does not tell them apart)",
        })
    return rows


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.specs / "oplists" / "ggml"]


@importer("ggml", produces=["ggml_coverage", "ggml_coverage_summary"], inputs=_inputs)
def run(ctx: Context):
    """llama.cpp ggml op support per backend, from the snapshots in specs/oplists/ggml/."""
    rows = [r for p in sorted(_inputs(ctx)[0].glob("*.yaml")) for r in read_snapshot(p)]
    if not rows:
        return {}
    df = pd.DataFrame(rows)
    dup = df[df.duplicated(["ggml_backend", "ggml_op"], keep=False)]
    if len(dup):
        raise InputError(_inputs(ctx)[0], None, f"backend {dup['ggml_backend'].iloc[0]} is in two snapshots")
    return {"ggml_coverage": frame("ggml_coverage", rows),
            "ggml_coverage_summary": frame("ggml_coverage_summary", summarise(df))}
