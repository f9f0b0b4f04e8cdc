"""Fixtures for real-browser tests: Debian's Chromium driven by Playwright (sync API).

The browser is /usr/bin/chromium from Debian (``./dev test`` installs it); Playwright's own
browser downloads (``playwright install``) are never used.

Fixtures:
    live_server_factory  serve a WSGI app on 127.0.0.1 (random port), return its base URL
    browser              one headless Chromium per test session (per xdist worker)
    page                 a fresh context + page with JavaScript on
    nojs_page            a fresh context + page with JavaScript off

Accessibility checks: ``from .axe import run_axe`` (tests/browser/axe.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast instead of hanging for Playwright's default 30 s.
DEFAULT_TIMEOUT_MS = 10_000

LiveServerFactory = Callable[[Any], str]


@pytest.fixture
def live_server_factory() -> Iterator[LiveServerFactory]:
    """Return ``start(app) -> "http://127.0.0.1:PORT"``; every server is stopped at teardown."""
    started: list[tuple[BaseWSGIServer, threading.Thread]] = []

    def start(app: Any) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(
            target=server.serve_forever,
            # A short poll interval keeps shutdown() at teardown fast (default: 0.5 s).
            kwargs={"poll_interval": 0.05},
            name=f"live-server-{server.server_port}",
            daemon=True,
        )
        thread.start()
        started.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start

    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's chromium. "
            "Run ./dev test (it installs it) or: apt-get install chromium",
            pytrace=False,
        )
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
    )
    yield browser
    browser.close()


def _new_page(browser: Any, **context_options: Any) -> Iterator[Any]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context with JavaScript enabled."""
    yield from _new_page(browser, java_script_enabled=True)


@pytest.fixture
def nojs_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context with JavaScript disabled (progressive enhancement)."""
    yield from _new_page(browser, java_script_enabled=False)
