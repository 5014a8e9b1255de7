"""Fixtures for end-to-end tests: a real Streamlit server and Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import live_server
from tests.conftest import missing_dependency

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).with_name("artifacts")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium itself from phoning home, so every request we see is the page's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free loopback port; yield its URL."""
    port = live_server.free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    args = ["--server.address", "127.0.0.1", "--server.headless", "true"]
    try:
        proc = live_server.start(port, ARTIFACTS / "streamlit.log", args=args, timeout=60)
    except RuntimeError as exc:
        pytest.fail(f"{exc}; see tests/e2e/artifacts/streamlit.log")
    yield f"http://127.0.0.1:{port}"
    live_server.stop(proc)


def require_chromium(path: str = CHROMIUM) -> str:
    """``path`` if Chromium is there; otherwise skip the test (fail it under ``CI=true``)."""
    if not Path(path).exists():
        missing_dependency(f"Chromium not found at {path}; scripts/test.sh installs Debian's chromium package")
    return path


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def offline_page(browser):
    """A Chinese-locale page that records every request URL and page error: (page, requests, errors)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, requests, errors
    context.close()


MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def open_map(page, url: str):
    """Open ``url`` and wait until its folium map has drawn features; returns (iframe element, frame)."""
    page.goto(url, wait_until="domcontentloaded")
    frame_el = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    frame = frame_el.content_frame()
    frame.wait_for_selector("path.leaflet-interactive", timeout=60_000)
    return frame_el, frame


def click_map_at(page, frame_el, frame, lat: float, lon: float) -> tuple[float, float]:
    """Click the Leaflet map at (lat, lon) like a user; returns the page position clicked."""
    frame_el.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = frame_el.bounding_box()
    point = frame.evaluate(
        """([lat, lon]) => { const m = Object.values(window).find(v => v && v._container && v.latLngToContainerPoint);
                             return m.latLngToContainerPoint([lat, lon]); }""",
        [lat, lon],
    )
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    page.mouse.click(x, y)
    return x, y
