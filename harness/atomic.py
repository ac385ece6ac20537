"""Write outputs so that a failure, or a kill -9 at any point, never loses or half-writes them.

Files are written to a temporary sibling and renamed into place (`os.replace` is atomic on one
filesystem). A folder is built in a temporary sibling and swapped in only when complete:

    1. lock the parent folder (flock; concurrent writers of one parent take turns)
    2. recover: restore `.NAME.accel-old-*` if NAME is missing (a crash between the renames),
       then delete stale `.NAME.accel-tmp-*` / `.NAME.accel-old-*` debris of dead processes
    3. refuse a target accel may not replace (a symlink, a file, a folder it did not write)
    4. build in `.NAME.accel-tmp-PID-XXXX`, then write the folder's manifest (`harness.manifest`)
    5. rename NAME to `.NAME.accel-old-PID-XXXX`, rename the temporary folder to NAME
    6. delete the old folder, its manifest last (so a half-deleted one is still provably ours)

A kill between any two steps leaves either the old or the new folder at NAME, or the old one
beside it, which step 2 of the next run (or `recover`, called by readers) puts back. Debris is
only ever deleted when its name is one accel made (the pattern, with the pid of a process that
is gone); a folder accel did not write is never replaced or deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

from harness import manifest

_held = threading.local()  # per-thread re-entrancy of parent locks (flock is per open file)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextlib.contextmanager
def dir_lock(folder: Path):
    """Hold an exclusive lock on ``folder`` (created if missing) while the block runs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = str(folder.resolve())
    held = getattr(_held, "keys", None)
    if held is None:
        held = _held.keys = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    try:
        import fcntl
    except ImportError:  # no flock on this platform: single-writer semantics only
        fcntl = None
    fd = os.open(folder, os.O_RDONLY)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            held.pop(key, None)
    finally:
        os.close(fd)  # closing releases the flock


def _debris(target: Path, kind: str) -> list[tuple[Path, int]]:
    """Our leftover siblings of ``target`` (``kind`` is 'tmp' or 'old'), with their pids."""
    rx = re.compile(rf"^\.{re.escape(target.name)}\.accel-{kind}-(\d+)-[A-Za-z0-9_]+$")
    out = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return out
    for p in entries:
        m = rx.match(p.name)
        if m and not p.is_symlink():
            out.append((p, int(m.group(1))))
    return out


def remove_tree(p: Path) -> None:
    """Delete a folder of ours, its manifest last (a half-deleted folder still says what it was)."""
    if not p.is_dir() or p.is_symlink():
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
        return
    last = [p / manifest.NAME]
    for child in p.iterdir():
        if child in last:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                child.unlink()
    for f in last:
        with contextlib.suppress(FileNotFoundError):
            f.unlink()
    with contextlib.suppress(OSError):
        p.rmdir()


def recover(target: str | os.PathLike) -> bool:
    """Put back a folder lost between the two renames, and clear our dead debris beside it.

    Returns True when ``target`` was restored. Cheap when there is nothing to do."""
    target = Path(target)
    if not target.parent.is_dir():
        return False
    olds, tmps = _debris(target, "old"), _debris(target, "tmp")
    if not olds and not tmps:
        return False
    restored = False
    with dir_lock(target.parent):
        olds = [p for p, pid in _debris(target, "old") if not _alive(pid) and p.is_dir()]
        if not target.exists() and not target.is_symlink():
            complete = [p for p in olds if p.is_dir()]  # an old folder was whole when it was renamed
            if complete:
                newest = max(complete, key=lambda p: p.stat().st_mtime)
                os.replace(newest, target)
                restored = True
        for p, pid in _debris(target, "old") + _debris(target, "tmp"):
            if not _alive(pid):
                remove_tree(p)
    return restored


def _refuse(target: Path, kind: str | None, may_replace) -> None:
    from harness.errors import UserError

    if target.is_symlink():
        raise UserError(f"{target} is a symbolic link; accel does not replace links: give the real folder "
                        f"({os.path.realpath(target)}) or a new path")
    if target.exists() and not target.is_dir():
        raise UserError(f"{target} exists and is not a folder; refusing to replace it (choose a new path)")
    if not target.is_dir():
        return
    if may_replace is not None:
        if any(target.iterdir()) and not may_replace(target):
            raise UserError(f"{target} holds files that accel did not write; refusing to replace it "
                            "(choose a new or empty folder)")
        return
    why = manifest.ownership(target, kind)
    if why:
        raise UserError(f"refusing to replace {target}: {why}. Choose a new or empty folder, "
                        f"or move it away yourself")


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike, kind: str | None = None, *, may_replace=None, extra: dict | None = None):
    """Yield a fresh temporary folder; on success it replaces ``target`` whole.

    With ``kind`` the folder gets a manifest (`harness.manifest`, ``extra`` merged in), and an
    existing ``target`` is replaced only when its own manifest proves accel wrote it, as that
    kind, unchanged. ``may_replace(target)`` overrides that proof for folders that prove
    ownership otherwise (a probe run's own folder)."""
    target = Path(os.path.abspath(target))
    if kind is None and may_replace is None:
        raise ValueError("atomic_dir needs a kind (for the manifest) or may_replace")
    here = Path(os.path.abspath(os.getcwd()))
    if target == here or target in here.parents or target.parent == target:
        from harness.errors import UserError

        raise UserError(f"{target} is the current folder or one above it; give a folder to write into")
    target.parent.mkdir(parents=True, exist_ok=True)
    with dir_lock(target.parent):
        recover(target)
        _refuse(target, kind, may_replace)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.accel-tmp-{os.getpid()}-", dir=target.parent))
        try:
            yield tmp
            if kind is not None:
                manifest.write(tmp, kind, extra)
            os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; results are meant to be shared
        except BaseException:
            remove_tree(tmp)
            raise
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.accel-old-{os.getpid()}-{secrets.token_hex(4)}")
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            remove_tree(old)


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike, mode: str = "w", **kwargs):
    """Open a temporary file beside ``target``; on success it is renamed onto ``target``."""
    from harness.errors import UserError

    target = Path(os.path.abspath(target))
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise UserError(f"{target} is a symbolic link or not a regular file; refusing to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.accel-tmp-{os.getpid()}-", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600
    try:
        with open(tmp, mode, **kwargs) as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
