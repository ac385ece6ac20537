"""Release versions: ASCII `MAJOR.MINOR.PATCH`, optionally `-suffix` (`0.2.0`, `0.2.0-rc1`).

A leaf module: the read path (`load(version=...)`), `download` and `release` all parse versions
here, so none of them imports another just to check a string. `re.ASCII` matters: without it
`\\d` accepts Arabic-Indic and other Unicode digits (`٠.٢.٠`), which then break file names and URLs.
"""

from __future__ import annotations

import re

from harness.errors import UserError

VERSION_RE = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(-[0-9A-Za-z][0-9A-Za-z.]{0,31})?$",
                        re.ASCII)


def check_version(version) -> str:
    """``version`` if it is a release version, else a `UserError` (a ValueError) saying why."""
    if not isinstance(version, str):
        raise UserError(f"version must be a string such as '0.2.0', got {type(version).__name__} {version!r}")
    if not VERSION_RE.fullmatch(version):
        shown = ascii(version)[1:-1][:80]
        raise UserError(f"version '{shown}' is not a release version: use ASCII MAJOR.MINOR.PATCH such as "
                        "0.2.0 (optionally with a suffix such as 0.2.0-rc1)")
    return version
