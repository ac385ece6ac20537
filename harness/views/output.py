"""Write a command's output file atomically; an unwritable path is one clean error."""

from __future__ import annotations

from pathlib import Path

from harness.errors import UserError


def write_atomic(path: Path, write, binary: bool = False) -> None:
    """Call ``write(fh)`` on a temporary file that replaces ``path`` only when complete."""
    from harness.atomic import atomic_file

    kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
    try:
        with atomic_file(path, "wb" if binary else "w", **kwargs) as fh:
            write(fh)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
