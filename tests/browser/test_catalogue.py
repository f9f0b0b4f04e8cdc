"""Real-browser tests of the catalogue search, with JavaScript (htmx narrows the results as
you type, the live region announces the count) and without (an ordinary GET form); axe-core
checks each state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from tests.test_catalogue import ALL

from .conftest import LiveServerFactory
from .test_forms import assert_accessible, settle

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(make_app: Callable[..., Flask], live_server_factory: LiveServerFactory) -> str:
    return live_server_factory(make_app(*ALL))


def english(page: Any, base_url: str) -> Any:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base_url}])
    return page


def shown(page: Any) -> list[str]:
    """The procedure ids listed, in order."""
    hrefs: list[str] = page.eval_on_selector_all(
        ".fe-catalogue a", "as => as.map(a => a.getAttribute('href'))")
    return [href.removeprefix("/forms/") for href in hrefs]


def status(page: Any) -> str:
    text: str = page.inner_text("#fe-search-status")
    return text.strip()


def wait_for_status(page: Any, text: str) -> None:
    """Wait until the live region says ``text`` and the swap has settled."""
    page.wait_for_function(
        "text => document.getElementById('fe-search-status').textContent.trim() === text",
        arg=text)
    settle(page)


def test_search_narrows_as_you_type(page: Any, base_url: str) -> None:
    english(page, base_url).goto(base_url + "/")
    assert status(page) == "7 procedures"
    assert_accessible(page, "the catalogue")
    # The live region stays the same element (so it is announced); the page is not reloaded.
    page.evaluate("() => { window.__feMarker = 1; "
                  "document.getElementById('fe-search-status').__feLive = 1; }")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url)
            if r.headers.get("hx-request") == "true" else None)

    typed = "dang ky khai sinh"
    page.locator("#fe-q").press_sequentially(typed, delay=20)
    wait_for_status(page, "2 procedures match “dang ky khai sinh”")
    assert shown(page) == ["birth-registration", "permanent-residence"]
    assert page.evaluate("() => window.__feMarker") == 1, "the page was reloaded"
    assert page.evaluate("() => document.getElementById('fe-search-status').__feLive") == 1
    assert page.get_attribute("#fe-search-status", "role") == "status"
    assert len(requests) < len(typed) / 2, f"not debounced: {requests}"
    # The address says what was searched: it can be shared, reloaded, bookmarked.
    assert parse_qs(urlsplit(page.url).query) == {"q": ["dang ky khai sinh"]}
    assert page.evaluate("() => document.activeElement.id") == "fe-q"
    french = page.get_attribute(".fe-languages a[lang=fr]", "href")
    assert french == "?lang=fr&q=dang%20ky%20khai%20sinh"  # switching keeps the search
    assert_accessible(page, "search results")

    page.locator("#fe-q").fill("passport")
    wait_for_status(page, "No procedure matches “passport”")
    assert shown(page) == []
    assert page.locator(".fe-no-results").is_visible()
    assert_accessible(page, "no result")

    page.locator("#fe-q").fill("")
    wait_for_status(page, "7 procedures")
    assert len(shown(page)) == len(ALL)

    page.reload()
    assert page.input_value("#fe-q") == ""


def test_enter_with_javascript_searches_in_place(page: Any, base_url: str) -> None:
    english(page, base_url).goto(base_url + "/")
    page.evaluate("() => { window.__feMarker = 1; }")
    page.locator("#fe-q").fill("ho khau")
    page.locator("#fe-q").press("Enter")
    wait_for_status(page, "1 procedure matches “ho khau”")
    assert shown(page) == ["permanent-residence"]
    assert page.evaluate("() => window.__feMarker") == 1


def test_search_without_javascript(nojs_page: Any, base_url: str) -> None:
    page = english(nojs_page, base_url)
    page.goto(base_url + "/")
    assert_accessible(page, "the catalogue without JavaScript", javascript=False)
    page.locator("#fe-q").fill("khai tu")
    with page.expect_navigation():
        page.locator(".fe-search button[type=submit]").click()
    assert page.url.endswith("/?q=khai+tu")
    assert status(page) == "1 procedure matches “khai tu”"
    assert shown(page) == ["death"]
    assert page.input_value("#fe-q") == "khai tu"
    assert_accessible(page, "search results without JavaScript", javascript=False)

    page.locator("#fe-q").fill("zzz")
    with page.expect_navigation():
        page.locator("#fe-q").press("Enter")
    assert shown(page) == [] and "No procedure matches" in status(page)
    assert_accessible(page, "no result without JavaScript", javascript=False)


def test_search_on_a_phone(browser: Any, base_url: str) -> None:
    """On a narrow screen the box and the button fit without horizontal scrolling."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = english(context.new_page(), base_url)
        page.goto(base_url + "/?q=khai")
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth")
        box = page.locator("#fe-q").bounding_box()
        assert box is not None and box["width"] >= 200
        assert_accessible(page, "search on a phone")
    finally:
        context.close()
