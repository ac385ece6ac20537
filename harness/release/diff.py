"""Value-level changes between two versions of the dataset, as markdown.

A side is a release directory (or any folder holding ``spec_values.parquet``, directly or under
``dataset/`` or ``results/dataset/``) or a git revision, read with ``git show REV:path`` into
memory so the work tree is never touched. The comparison is on the long ``spec_values`` table,
one row per (accelerator, field), because that is where each value's state and source live:

- SKUs added and removed (from ``accelerators`` when present, else from ``spec_values``);
- per SKU and field: a value that appeared, disappeared, changed, or changed state
  (known -> undisclosed, ...), and a value whose source alone changed, each with the source
  (URL, tier) on both sides.

Numbers compare on the canonical value with a relative tolerance of 1e-9, so a re-written
``value_printed`` in another unit that converts to the same number is not a change.
"""

from __future__ import annotations

import io
import math
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from harness import paths
from harness.errors import UserError

GIT_TABLE = "results/dataset/{table}.parquet"


@dataclass
class Side:
    label: str
    values: object  # spec_values DataFrame
    accelerators: object | None = None  # accelerators DataFrame, when available

    def sku_names(self) -> dict[str, str]:
        if self.accelerators is not None and "name" in self.accelerators:
            return dict(zip(self.accelerators["accelerator_id"], self.accelerators["name"], strict=True))
        return {a: a for a in self.values["accelerator_id"].unique()}


@dataclass
class Change:
    accelerator_id: str
    field: str
    kind: str  # added | removed | value | state | source
    old: dict | None
    new: dict | None


@dataclass
class Diff:
    old_label: str
    new_label: str
    added: list[tuple[str, str, int]] = field(default_factory=list)  # (id, name, n values)
    removed: list[tuple[str, str, int]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def summary_line(self) -> str:
        skus = {c.accelerator_id for c in self.changes}
        return (f"{len(self.added)} SKU(s) added, {len(self.removed)} removed; {len(self.changes)} value "
                f"change(s) across {len(skus)} SKU(s) since {self.old_label}.")


def _read_dir(path: Path, table: str):
    import pandas as pd

    for cand in (path / f"{table}.parquet", path / "dataset" / f"{table}.parquet",
                 path / "results" / "dataset" / f"{table}.parquet"):
        if cand.is_file():
            return pd.read_parquet(cand)
    return None


def _git_show(rev: str, table: str) -> bytes | None:
    try:
        proc = subprocess.run(["git", "show", f"{rev}:{GIT_TABLE.format(table=table)}"], cwd=paths.ROOT,
                              capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(f"cannot run git to read revision {rev!r}: {exc}") from None
    return proc.stdout if proc.returncode == 0 else None


def load_side(spec: str) -> Side:
    """A release directory or a git revision (``HEAD~1``, a tag, a sha)."""
    import pandas as pd

    path = Path(spec)
    if path.is_dir():
        values = _read_dir(path, "spec_values")
        if values is None:
            raise UserError(f"{spec} holds no spec_values.parquet; give a release directory or a git revision")
        label = spec
        dp = path / "datapackage.json"
        if dp.is_file():
            import json

            try:
                label = f"{json.loads(dp.read_text(encoding='utf-8')).get('version')} ({spec})"
            except ValueError:
                pass
        return Side(label, values, _read_dir(path, "accelerators"))
    if spec.startswith("-") or any(c.isspace() for c in spec):
        raise UserError(f"{spec!r} is neither a directory nor a git revision")
    raw = _git_show(spec, "spec_values")
    if raw is None:
        raise UserError(f"{spec!r} is neither a release directory nor a git revision holding "
                        f"{GIT_TABLE.format(table='spec_values')}")
    acc = _git_show(spec, "accelerators")
    return Side(f"git {spec}", pd.read_parquet(io.BytesIO(raw)),
                pd.read_parquet(io.BytesIO(acc)) if acc is not None else None)


def _records(df) -> dict[tuple[str, str], dict]:
    import pandas as pd

    out = {}
    for rec in df.to_dict("records"):
        clean = {k: (None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v)
                 for k, v in rec.items()}
        out[(clean["accelerator_id"], clean["field"])] = clean
    return out


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=0.0)


def compare(old: Side, new: Side) -> Diff:
    d = Diff(old.label, new.label)
    old_names, new_names = old.sku_names(), new.sku_names()
    old_v, new_v = _records(old.values), _records(new.values)

    def count(recs, sku):
        return sum(1 for a, _ in recs if a == sku)

    d.added = [(s, str(new_names[s]), count(new_v, s)) for s in sorted(set(new_names) - set(old_names))]
    d.removed = [(s, str(old_names[s]), count(old_v, s)) for s in sorted(set(old_names) - set(new_names))]
    gone = {s for s, _, _ in d.added} | {s for s, _, _ in d.removed}
    for key in sorted(set(old_v) | set(new_v)):
        if key[0] in gone:
            continue
        o, n = old_v.get(key), new_v.get(key)
        if o is None:
            kind = "added"
        elif n is None:
            kind = "removed"
        elif o.get("state") != n.get("state"):
            kind = "state"
        elif not _same_number(o.get("value"), n.get("value")) or o.get("value_text") != n.get("value_text"):
            kind = "value"
        elif (o.get("source_url"), o.get("tier")) != (n.get("source_url"), n.get("tier")):
            kind = "source"
        else:
            continue
        d.changes.append(Change(key[0], key[1], kind, o, n))
    return d


def _fmt_value(rec: dict | None) -> str:
    if rec is None:
        return "unknown"
    state = rec.get("state")
    if state != "known":
        return str(state)
    if rec.get("value") is not None:
        unit = rec.get("canonical_unit") or ""
        unit = "" if unit == "dimensionless" else unit
        return f"{float(rec['value']):g} {unit}".strip()
    return str(rec.get("value_text") or "")


def _fmt_source(rec: dict | None) -> str:
    if rec is None or not rec.get("source_url"):
        return ""
    return f"{rec.get('tier') or 'untiered'}: <{rec['source_url']}>"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


KIND_LABELS = {"added": "new value", "removed": "value withdrawn", "value": "value changed", "source": "re-sourced"}


def to_markdown(d: Diff) -> str:
    lines = [f"# Changes: {d.old_label} -> {d.new_label}", "", d.summary_line(), ""]
    if d.added:
        lines += ["## SKUs added", ""] + [f"- `{s}` ({_cell(n)}): {k} values" for s, n, k in d.added] + [""]
    if d.removed:
        lines += ["## SKUs removed", ""] + [f"- `{s}` ({_cell(n)}): {k} values" for s, n, k in d.removed] + [""]
    if d.changes:
        lines += ["## Value changes", ""]
        current = None
        for c in d.changes:
            if c.accelerator_id != current:
                current = c.accelerator_id
                lines += ["", f"### `{current}`", "",
                          "| field | change | old | new | old source | new source |", "|---|---|---|---|---|---|"]
            kind = KIND_LABELS.get(c.kind) or f"{c.old.get('state')} -> {c.new.get('state')}"
            lines.append(f"| `{c.field}` | {kind} | {_cell(_fmt_value(c.old))} | {_cell(_fmt_value(c.new))} | "
                         f"{_cell(_fmt_source(c.old))} | {_cell(_fmt_source(c.new))} |")
        lines.append("")
    if not (d.added or d.removed or d.changes):
        lines += ["No value-level changes.", ""]
    return "\n".join(lines)
