"""Screenshots of the site in the system's Chromium, driven by Playwright (the browser tests use
`launch` too). The README's picture is made by this module, not by hand:

    python -m harness.site.screenshot docs/site-index.png

It builds the site from the current results into a temporary folder, opens PAGE (default
index.html) at 1280x800 and writes the PNG. Playwright is a dev dependency; no browser build is
ever downloaded (`playwright install` is never run): the executable is $ACCELATLAS_CHROMIUM, or
the first of `chromium`, `chromium-browser`, `google-chrome` on PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_path() -> str | None:
    """The system Chromium to drive, or None."""
    given = os.environ.get("ACCELATLAS_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def launch(playwright):
    """A headless Chromium from the system (never a downloaded build)."""
    path = chromium_path()
    if path is None:
        from harness.errors import UserError

        raise UserError("no Chromium found: install one (Debian: apt-get install chromium) or set ACCELATLAS_CHROMIUM")
    return playwright.chromium.launch(executable_path=path, args=["--disable-gpu", "--no-first-run"])


def shoot(site: Path, out: Path, page: str = "index.html", width: int = 1280, height: int = 800) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            name, _, fragment = page.partition("#")
            tab.goto((Path(site).resolve() / name).as_uri() + (f"#{fragment}" if fragment else ""))
            tab.wait_for_load_state("load")
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m harness.site.screenshot", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="PNG file to write")
    ap.add_argument("--page", default="index.html", help="page of the site (default index.html)")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    args = ap.parse_args(argv)
    from harness.site import build

    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "site")
        shoot(Path(tmp) / "site", args.out, args.page, args.width, args.height)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
