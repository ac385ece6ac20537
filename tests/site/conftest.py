"""The site built once from this checkout's results, and a real browser: the system's Chromium
driven by Playwright. Browser tests skip (with the reason) only where Playwright or Chromium is
absent; no browser build is ever downloaded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHOTS_KEPT = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(site folder, build report)."""
    from harness.site import build

    out = tmp_path_factory.mktemp("site") / "site"
    return out, build(out)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    from harness.site.screenshot import chromium_path, launch

    if chromium_path() is None:
        pytest.skip("no system Chromium (apt-get install chromium, or set ACCELATLAS_CHROMIUM)")
    with sync_api.sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


def _open(browser, width=1280, height=900):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    return ctx, page


@pytest.fixture
def tab(browser):
    """A fresh page; the test fails if any page it opened logged an error or warning, or opened a dialog."""
    ctx, page = _open(browser)
    yield page
    problems = list(page.problems)
    ctx.close()
    assert not problems, problems


@pytest.fixture
def phone(browser):
    ctx, page = _open(browser, width=390, height=844)
    yield page
    problems = list(page.problems)
    ctx.close()
    assert not problems, problems


@pytest.fixture(scope="session")
def shots(tmp_path_factory):
    """Save a screenshot as a test artefact (a pytest tmp folder), and into tests/site/screenshots/
    when ACCELATLAS_KEEP_SCREENSHOTS is set."""
    folder = tmp_path_factory.mktemp("screenshots")

    def snap(page, name: str, full_page: bool = False) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if os.environ.get("ACCELATLAS_KEEP_SCREENSHOTS"):
            SHOTS_KEPT.mkdir(exist_ok=True)
            shutil.copyfile(path, SHOTS_KEPT / path.name)
        return path

    return snap


def url(site_dir: Path, page: str) -> str:
    name, _, fragment = page.partition("#")
    return (site_dir / name).as_uri() + (f"#{fragment}" if fragment else "")
