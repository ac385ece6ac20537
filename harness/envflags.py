"""The project's environment variables, read one way by the CLI and the Python API alike.

Booleans: `1/true/yes/on` and `0/false/no/off` (any case, surrounding blanks ignored); unset or
empty means the default. Anything else is an error naming the variable, never a silent guess
(`ACCELATLAS_OFFLINE=false` used to mean *offline*).
"""

from __future__ import annotations

import os

from harness.errors import UserError

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    word = raw.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    shown = ascii(raw)[1:-1][:40]
    raise UserError(f"${name}={shown!r} is not a boolean: use one of {', '.join(TRUE)} or {', '.join(FALSE)}")


def path(name: str):
    """A folder named by an environment variable, or None when unset or empty."""
    from pathlib import Path

    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    if "\x00" in raw:
        raise UserError(f"${name} holds a NUL character; it must be a folder path")
    try:
        return Path(raw).expanduser()
    except RuntimeError:  # ~someone who does not exist
        raise UserError(f"${name}={ascii(raw)[1:-1][:60]}: cannot expand '~' (no such user or home)") from None


def text(name: str) -> str | None:
    """A one-line text setting (a URL), or None when unset or empty; control characters refused."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise UserError(f"${name} holds control characters")
    return raw.strip()
