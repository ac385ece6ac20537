"""The append-only row log of a run in progress: one JSON line per row, compacted into Parquet.

Why a log and not a Parquet part per op: a part costs a pandas frame, a pandera validation and a
Parquet file with its rename; for a Core ATen run on the CPU that was ~43 % of the run, more than
the ops. A log line costs one ``write`` to a file opened with ``O_APPEND``. The guarantees stay:

* a row is durable once `append` returns: the process can be killed (SIGKILL) at any instant
  after that and the row survives, because the kernel owns the written bytes; a kill *during*
  the write leaves at most a torn last line, which `read` ignores (its op is redone on resume);
* the log is named ``_pending.jsonl``: dataset readers (pyarrow, pandas, DuckDB globbing
  ``*.parquet``) skip it, so a reader never sees half a run as a table;
* the store turns the log into one validated Parquet part when the run ends, stops or resumes
  (`RunStore.flush`); a crash between writing that part and removing the log leaves rows in both,
  and the next flush skips the rows the parts already hold, so nothing is written twice.

Rows are checked against the registry as they are logged (known columns, non-null where the
registry says so, enumerated values): a harness bug fails on the op that caused it, not at the
end of the run. The full pandera validation runs once per batch, on the frame that is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

LOG_NAME = "_pending.jsonl"


def check(table: str, rows: list[dict], partitions: tuple[str, ...]) -> None:
    """Raise ValueError naming the first row that the registry rejects (cheap, per row)."""
    from harness.dataset.registry import registry

    reg = registry()
    cols = [c for c in reg.tables[table].columns if c not in partitions]
    known = set(reg.tables[table].columns)
    for r in rows:
        extra = set(r) - known
        if extra:
            raise ValueError(f"{table}: unknown column(s) {', '.join(sorted(extra))} in row {r.get('op')!r}")
        for c in cols:
            f, v = reg.column(c), r.get(c)
            if v is None:
                if not f.nullable:
                    raise ValueError(f"{table}: column {c} is null in row {r.get('op')!r}")
            elif f.isin and v not in f.isin:
                raise ValueError(f"{table}: {c}={v!r} is not one of {', '.join(map(str, f.isin))}")


def append(path: Path, rows: list[dict]) -> None:
    """Append ``rows`` as JSON lines with a single write (see the module docstring)."""
    # Python's json round-trips nan and inf (as NaN / Infinity), which a probe's errors can be
    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows).encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    finally:
        os.close(fd)


def read(path: Path) -> list[dict]:
    """The whole rows of the log; a torn line (a kill mid-write) is skipped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    rows = []
    for line in data.split(b"\n"):
        try:
            row = json.loads(line) if line else None
        except ValueError:
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


def repair(path: Path) -> None:
    """Cut a torn last line (no newline: a kill mid-write) before a resumed run appends after it."""
    try:
        with open(path, "rb+") as fh:
            data = fh.read()
            if data and not data.endswith(b"\n"):
                fh.truncate(data.rfind(b"\n") + 1)
    except FileNotFoundError:
        pass
