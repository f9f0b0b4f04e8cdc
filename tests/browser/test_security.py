"""Real-browser tests of the hardened HTTP interface (docs/security.md): the strict CSP
breaks nothing, htmx sends the CSRF token, and a refused post without JavaScript keeps
what was typed."""

from __future__ import annotations

from typing import Any

import pytest

from formengine.app import create_app
from formengine.config import PROJECT_ROOT

from .conftest import LiveServerFactory

pytestmark = pytest.mark.browser

FORM_PATH = "/forms/example-residence-registration?lang=en"
#: Collects every CSP violation of the page (an init script is not subject to the CSP).
WATCH_CSP = """document.addEventListener('securitypolicyviolation', e => {
  (window.__feCsp = window.__feCsp || []).push(e.violatedDirective + ' ' + e.blockedURI);
});"""


@pytest.fixture
def base_url(live_server_factory: LiveServerFactory) -> str:
    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"],
                      "secret_key": "browser-security"})
    return live_server_factory(app)


def test_htmx_works_under_the_csp_and_sends_the_token(page: Any, base_url: str) -> None:
    page.add_init_script(WATCH_CSP)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sent: list[dict[str, str]] = []
    page.on("request", lambda r: sent.append(r.headers) if "/validate" in r.url else None)
    page.goto(base_url + FORM_PATH)
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    assert token
    page.fill("#f-personal_id", "12345")
    page.press("#f-personal_id", "Tab")
    page.wait_for_selector("#f-personal_id-error")  # swapped in by htmx: its POST passed
    assert sent and sent[-1].get("x-csrf-token") == token
    assert page.evaluate("() => window.__feCsp || []") == []
    assert not [m for m in console if "Content Security Policy" in m]
    assert page.evaluate("() => htmx.config.allowEval") is False


def test_a_refused_post_without_javascript_keeps_the_answers(nojs_page: Any,
                                                             base_url: str) -> None:
    page = nojs_page
    page.goto(base_url + FORM_PATH)
    page.context.clear_cookies()  # as if the CSRF cookie had gone: the token no longer fits
    page.fill("#f-full_name-family", "Nguyễn")
    page.fill("#f-personal_id", "12345")
    page.click("button.fe-button:has-text('Continue')")
    assert page.locator("h1").inner_text() == "Please confirm to continue"
    page.click("#carried-answers button")
    assert page.input_value("#f-full_name-family") == "Nguyễn"
    assert page.input_value("#f-personal_id") == "12345"
    assert page.locator("#f-personal_id-error").count() == 1  # the page was checked
