"""The partitioned Parquet store of harness runs (probes and benchmarks), and each run's metadata.

Layout (hive style, so pandas, ``pyarrow.dataset`` and DuckDB read it as one table)::

    results/probes/stack_id=rocm/run_id=20260101T120000Z-1a2b3c/part-00000.parquet
                                                                part-00001.parquet ...
                                                                _pending.jsonl
                                                                _run.json
    results/bench/device_type=cuda/run_id=.../part-00000.parquet

* Probe runs are filed by software stack (``stack_id``: `harness.runs.device.stack_of`, so a
  ROCm run is ``rocm``, not ``cuda``), with the torch device type as a column; bench runs are
  still filed by device type (`PARTITIONS`).
* Rows arrive in an append-only log (`harness.runs.rowlog`, ``_pending.jsonl``: one line per row,
  durable once written, skipped by dataset readers) and become a validated Parquet part when the
  run ends, stops or resumes (`RunStore.flush`); `append` writes a part directly (a bench writes
  one per suite). Parts are written to a temporary name and renamed (`harness.atomic`), so a
  killed run leaves only whole parts plus the log, and loses at most the row in flight.
  ``--resume`` reads both back to skip what is done. A run that completes is compacted into one
  ``part-00000.parquet`` (the folder is rebuilt beside the old one and swapped in whole), so
  published results are one file per run.
* The partition columns live in the path, not in the files, as hive readers expect; `read_table`
  returns them as plain string columns.
* Columns, dtypes and keys come from the field registry (``schemas/fields.yaml``, tables
  ``probe_results`` and ``bench_results``): the Arrow schema of every part is derived from it, so
  all parts of all runs share one schema (a part whose float column is all null still writes
  float64, never Arrow's null type). Frames are validated with the generated pandera schema
  when `harness.dataset.tableschemas` is installed.
* ``_run.json`` (underscore: dataset readers skip it) holds what is per run rather than per row:
  harness version, git sha, torch version, device name, driver/runtime, start/end time, command
  line, options, status (running / complete / interrupted). A few of these are repeated as
  columns so a query over many runs needs no join.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import secrets
import shlex
import sys
from pathlib import Path

from harness import __version__, paths
from harness.atomic import atomic_file
from harness.errors import UserError
from harness.runs import rowlog

# table -> its hive partition columns, outermost first
PARTITIONS = {"probe_results": ("stack_id", "run_id"), "bench_results": ("device_type", "run_id")}


def partitions(table: str) -> tuple[str, ...]:
    return PARTITIONS.get(table, ("device_type", "run_id"))
META_NAME = "_run.json"
ARROW_TYPES = {"string": "string", "float": "float64", "integer": "int64", "boolean": "bool_"}


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def git_sha(root: Path = paths.ROOT) -> str | None:
    """The checkout's HEAD commit, read from .git without running git; None when unknown.

    A copy without .git (a device machine's working tree) takes ``ACCEL_GIT_SHA`` from the
    environment instead."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head or None
        ref = head.split(":", 1)[1].strip()
        loose = git / ref
        if loose.exists():
            return loose.read_text().strip() or None
        packed = git / "packed-refs"
        if packed.exists():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0]
    except OSError:
        pass
    return os.environ.get("ACCEL_GIT_SHA") or None


def command_line(argv: list[str] | None = None) -> str:
    """The command as typed, with the program named as a user would type it (``accel``, not a path)."""
    argv = list(sys.argv if argv is None else argv)
    if argv:
        prog = Path(argv[0]).name
        argv[0] = "accel" if prog in ("accel", "cli.py", "__main__.py") else prog
    return " ".join(shlex.quote(a) for a in argv)


def run_metadata(kind: str, run_id: str, device, options: dict, argv: list[str] | None = None) -> dict:
    import torch

    return {
        "kind": kind, "run_id": run_id, "status": "running",
        "harness_version": __version__, "git_sha": git_sha(), "torch_version": torch.__version__,
        "device_type": device.type, "stack_id": getattr(device, "stack_id", device.type),
        "device": device.torch_device, "device_name": device.name,
        "runtime": device.runtime, "python": platform.python_version(), "platform": platform.platform(),
        "start_time": utc_now(), "end_time": None,
        "command_line": command_line(argv), "options": options,
    }


def table_columns(table: str) -> list[str]:
    from harness.dataset.registry import registry

    return list(registry().tables[table].columns)


def arrow_schema(table: str):
    """The Arrow schema of a part file: the table's registry columns minus the partitions."""
    import pyarrow as pa

    from harness.dataset.registry import registry

    reg = registry()
    fields = [pa.field(c, getattr(pa, ARROW_TYPES[reg.column(c).dtype])(), nullable=reg.column(c).nullable)
              for c in reg.tables[table].columns if c not in partitions(table)]
    return pa.schema(fields)


def frame(table: str, rows: list[dict]):
    """Rows as a frame in the table's column order and dtypes, validated with pandera when it is
    installed. Without it (a device machine's bare image) the Arrow schema still types the parts."""
    from harness.dataset.tableschemas import coerce, schema_for

    df = coerce(table, rows)
    try:
        schema = schema_for(table)
    except ModuleNotFoundError as exc:
        if exc.name != "pandera":
            raise
        return df
    schema.validate(df, lazy=True)
    return df


class RunStore:
    """One run's folder: its parts and its ``_run.json``."""

    def __init__(self, root: Path, table: str, device_type: str, run_id: str, stack_id: str | None = None):
        from harness.runs.device import DEVICE_STACKS

        self.root, self.table, self.device_type, self.run_id = Path(root), table, device_type, run_id
        # without a detected stack, the reviewed table (no torch needed to read or write a run)
        self.stack_id = stack_id or DEVICE_STACKS.get(device_type, device_type)
        self.partitions = partitions(table)
        values = {"stack_id": self.stack_id, "device_type": device_type, "run_id": run_id}
        self.values = {p: values[p] for p in self.partitions}
        self.dir = self.root.joinpath(*(f"{p}={v}" for p, v in self.values.items()))
        self.log_path = self.dir / rowlog.LOG_NAME

    def exists(self) -> bool:
        return (self.dir / META_NAME).exists()

    def write_meta(self, meta: dict) -> None:
        with atomic_file(self.dir / META_NAME, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, indent=2, sort_keys=True)
            fh.write("\n")

    def read_meta(self) -> dict:
        return read_meta_file(self.dir / META_NAME)

    def parts(self) -> list[Path]:
        return sorted(self.dir.glob("part-*.parquet"))

    def finish(self, meta: dict, compact: bool) -> None:
        """Write the last ``_run.json`` (and compact); a run without a part leaves no folder.

        A run that failed before its first part has nothing to keep or resume: its ``_run.json``
        goes, and so do the folders it leaves empty (never one holding anything else).
        """
        self.flush()
        if self.parts():
            self.write_meta(meta)
            if compact:
                self.compact()
            return
        (self.dir / META_NAME).unlink(missing_ok=True)
        for d in (self.dir, self.dir.parent):
            try:
                d.rmdir()
            except OSError:  # absent, or not empty: leave it
                break

    def append(self, rows: list[dict]) -> Path | None:
        """Write ``rows`` as the next part, atomically; returns its path."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not rows:
            return None
        df = frame(self.table, [self._full(r) for r in rows]).drop(columns=list(self.partitions))
        # plain Arrow types, no pandas metadata: every part (and a compacted run) reads back alike
        arrow = pa.Table.from_pandas(df, schema=arrow_schema(self.table), preserve_index=False)
        arrow = arrow.replace_schema_metadata(None)
        existing = self.parts()
        seq = int(existing[-1].stem.split("-")[1]) + 1 if existing else 0
        target = self.dir / f"part-{seq:05d}.parquet"
        with atomic_file(target, "wb") as fh:
            pq.write_table(arrow, fh)
        return target

    def _full(self, row: dict) -> dict:
        return {**row, "device_type": self.device_type, "stack_id": self.stack_id, "run_id": self.run_id}

    def log(self, rows: list[dict]) -> None:
        """Append ``rows`` to the run's log (checked against the registry first); see `rowlog`."""
        if not rows:
            return
        full = [self._full(r) for r in rows]
        rowlog.check(self.table, full, self.partitions)
        self.dir.mkdir(parents=True, exist_ok=True)
        rowlog.append(self.log_path, [{k: v for k, v in r.items() if k not in self.partitions} for r in full])

    def pending(self) -> list[dict]:
        """The rows in the log, not yet in a part."""
        return rowlog.read(self.log_path)

    def flush(self) -> Path | None:
        """Turn the log into one validated part (rows a part already holds are skipped), then drop it."""
        rows = self.pending()
        if not rows:
            self.log_path.unlink(missing_ok=True)
            return None
        key = self._key()
        have = self._part_keys(key)
        fresh = [r for r in rows if tuple(r.get(k) for k in key) not in have]
        target = self.append(fresh) if fresh else None
        self.log_path.unlink()
        return target

    def reopen(self) -> None:
        """Before a resumed run appends: cut a torn last log line, so new lines start whole."""
        rowlog.repair(self.log_path)

    def _key(self) -> tuple[str, ...]:
        from harness.dataset.registry import registry

        return tuple(k for k in registry().tables[self.table].key if k not in self.partitions)

    def _part_keys(self, key) -> set[tuple]:
        import pyarrow.parquet as pq

        found: set[tuple] = set()
        for part in self.parts():
            cols = pq.read_table(part, columns=list(key)).to_pydict()
            found.update(zip(*(cols[k] for k in key), strict=True))
        return found

    def compact(self) -> None:
        """Merge the parts into one; the run folder is replaced whole, never half-merged."""
        import shutil

        import pyarrow as pa
        import pyarrow.parquet as pq

        from harness.atomic import atomic_dir

        parts = self.parts()
        if len(parts) < 2:
            return
        merged = pa.concat_tables([pq.read_table(p, schema=arrow_schema(self.table)) for p in parts])
        merged_parts = {p.name for p in parts}
        with atomic_dir(self.dir, may_replace=lambda d: (d / META_NAME).is_file()) as tmp:  # the run's own folder
            for f in self.dir.iterdir():  # everything but the parts being merged moves along, folders too
                if f.name in merged_parts:
                    continue
                if f.is_dir() and not f.is_symlink():
                    shutil.copytree(f, tmp / f.name, symlinks=True)
                else:
                    shutil.copy2(f, tmp / f.name, follow_symlinks=False)
            pq.write_table(merged, tmp / "part-00000.parquet")

    def done(self, *key: str) -> set[tuple]:
        """The ``key`` column tuples of the rows already written, parts and log (what a resumed run skips)."""
        return self._part_keys(key) | {tuple(r.get(k) for k in key) for r in self.pending()}

    def read(self):
        """This run's rows (partition columns included)."""
        import pandas as pd

        from harness.dataset.tableschemas import coerce

        frames = [pd.read_parquet(p) for p in self.parts()]
        pending = self.pending()
        if pending:
            frames.append(coerce(self.table, [self._full(r) for r in pending]).drop(columns=list(self.partitions)))
        if not frames:
            return pd.DataFrame(columns=table_columns(self.table))
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        for col in reversed(self.partitions):
            df.insert(0, col, self.values[col])
        if self.table == "probe_results" and "device_type" not in df:  # a run filed by device type (old layout)
            df.insert(1, "device_type", self.device_type)
        return df


def read_table(root: Path):
    """Every run under ``root`` (e.g. results/probes) as one frame; partition columns as strings."""
    import pyarrow.dataset as ds

    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    df = table.to_pandas()
    for col in {p for ps in PARTITIONS.values() for p in ps}:
        if col in df:
            df[col] = df[col].astype(str)
    return df


META_TEXT = ("kind", "run_id", "status", "harness_version", "git_sha", "torch_version", "device_type", "stack_id",
             "device", "device_name", "runtime", "python", "platform", "start_time", "end_time", "command_line")
META_MAX_BYTES = 1_000_000


def read_meta_file(path: Path) -> dict:
    """A run's `_run.json`, read as data that anyone can edit: a regular file of at most 1 MB,
    a JSON object whose known text fields are text and whose `options` is a mapping. Anything
    else is one `UserError` naming the file."""
    from harness.yamlload import LoadError, read_regular

    try:
        meta = json.loads(read_regular(path, META_MAX_BYTES).decode("utf-8"))
    except LoadError as exc:
        raise UserError(f"{path}: {exc.message}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UserError(f"{path}: not a run's metadata (JSON): {str(exc)[:120]}") from None
    if not isinstance(meta, dict):
        raise UserError(f"{path}: run metadata must be a JSON object, got {type(meta).__name__}")
    for key in META_TEXT:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise UserError(f"{path}: '{key}' must be text, got {meta[key]!r:.60}")
    if not isinstance(meta.get("options", {}), dict):
        raise UserError(f"{path}: 'options' must be a mapping")
    return meta


def find_run(root: Path, table: str, device_type: str, run_id: str, stack_id: str | None = None) -> RunStore | None:
    store = RunStore(root, table, device_type, run_id, stack_id)
    return store if store.exists() else None


def other_device_types(root: Path, run_id: str) -> list[str]:
    """Device types of the runs under ``root`` named ``run_id``, whatever folder they are filed in
    (to explain a --resume with the wrong device)."""
    if not Path(root).exists():
        return []
    found = set()
    for p in Path(root).glob(f"*=*/run_id={run_id}/{META_NAME}"):
        try:
            meta = read_meta_file(p)
        except UserError:
            continue
        found.add(str(meta.get("device_type") or p.parent.parent.name.split("=", 1)[1]))
    return sorted(found)


# run kind -> (folder under results/, registry table of its rows)
KINDS = {"probe": ("probes", "probe_results"), "bench": ("bench", "bench_results")}


def default_root(kind: str) -> Path:
    """results/probes or results/bench of the checkout; outside one, the caller must say --out."""
    if not paths.IS_CHECKOUT:
        raise UserError(f"outside a checkout, say where to store the {kind} run: --out DIR")
    return paths.RESULTS / KINDS[kind][0]

