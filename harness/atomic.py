"""Write outputs so that a failure never leaves a half-written file or directory behind.

Files are written to a temporary sibling and renamed into place (`os.replace` is atomic on one
filesystem). A directory is built in a temporary sibling and swapped in only when complete, so the
previous results stay untouched if anything fails on the way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refuse(target: Path, may_replace) -> None:
    from harness.errors import UserError

    if target.exists() and not target.is_dir():
        raise UserError(f"{target} exists and is not a folder; refusing to replace it")
    if target.is_dir() and any(target.iterdir()) and not (may_replace and may_replace(target)):
        raise UserError(f"{target} holds files that accel did not write; refusing to replace it "
                        "(choose a new or empty folder)")


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike, may_replace=None):
    """Yield a fresh temporary directory; on success it replaces ``target`` whole.

    An existing non-empty ``target`` is replaced only when ``may_replace(target)`` says it holds
    what this caller writes, so a mistyped ``--out`` can never delete someone's folder.
    """
    target = Path(target)
    _refuse(target, may_replace)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; results are meant to be shared
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike, mode: str = "w", **kwargs):
    """Open a temporary file beside ``target``; on success it is renamed onto ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
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
