"""Real-browser tests of the bundled forms: Debian's Chromium driven by Playwright.

The same journey through the example definition runs with JavaScript on (inline
validation, conditional sections and rows swapped in place by htmx) and off (every step is
a full-page POST). axe-core checks every page of every bundled definition, empty and in an
error state, plus the catalogue, check-your-answers and done pages.

The UI is Vietnamese by default; these tests choose English (the ``lang`` cookie) so that
they read well and do not depend on the state of the Vietnamese catalogue.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from formengine.definitions import Catalog

from .axe import format_violations, run_axe
from .conftest import LiveServerFactory

pytestmark = pytest.mark.browser

EXAMPLE = "example-residence-registration"
FORM_PATH = f"/forms/{EXAMPLE}"
MARKER = "() => window.__feMarker"
# htmx marks the element of a request in flight and the target while it swaps and settles.
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"

# What the journey types, and the JSON the service must accept for it.
APPLICANT = {
    "#f-full_name-family": "Nguyễn",
    "#f-full_name-middle": "Văn",
    "#f-full_name-given": "An",
    "#f-personal_id": "001099012345",
    "#f-date_of_birth-day": "15",
    "#f-date_of_birth-month": "6",
    "#f-date_of_birth-year": "1999",
    "#f-phone": "0912 345 678",
    "#f-email": "an.nguyen@example.vn",
}
FIRST_MEMBER = {"name": "Trần Thị Bình", "day": "2", "month": "3", "year": "2001",
                "relationship": "spouse"}
SECOND_MEMBER = {"name": "Nguyễn Minh Châu", "day": "20", "month": "11", "year": "2015",
                 "relationship": "child"}
ACCEPTED = {
    "full_name": {"family": "Nguyễn", "middle": "Văn", "given": "An"},
    "personal_id": "001099012345",
    "date_of_birth": "1999-06-15",
    "sex": "male",
    "phone": "+84912345678",
    "email": "an.nguyen@example.vn",
    "address": {"province_code": "01", "commune_code": "00004", "detail": "12 Phố Huế"},
    "reason": "rented",
    "owner_name": "Lê Văn Cường",
    "owner_consent": True,
    "floor_area": 45.5,
    "rooms": 3,
    "members": [{"name": "Nguyễn Minh Châu", "date_of_birth": "2015-11-20",
                 "relationship": "child"}],
    "documents_held": ["lease"],
    "notes": "Chuyển đến trước ngày 1/7",
    "confirm": True,
}


class SlowValidation:
    """WSGI middleware: inline validation answers late, as over a slow mobile network."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").endswith("/validate"):
            time.sleep(self.seconds)
        return self.app(environ, start_response)


class SlowRefresh:
    """WSGI middleware: htmx posts to the form itself (a condition changed, a row added)
    answer late, as over a slow mobile network."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if (environ.get("HTTP_HX_REQUEST") == "true" and environ["REQUEST_METHOD"] == "POST"
                and not environ.get("PATH_INFO", "").endswith("/validate")):
            time.sleep(self.seconds)
        return self.app(environ, start_response)


# -- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def engine() -> Flask:
    """One app over the bundled definitions for the whole module (servers are cheap)."""
    return create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "secret_key": "x"})


@pytest.fixture
def base_url(engine: Flask, live_server_factory: LiveServerFactory) -> str:
    return live_server_factory(engine)


def _english(page: Any, base_url: str) -> Any:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base_url}])
    return page


@pytest.fixture
def js(page: Any, base_url: str) -> Any:
    """A page with JavaScript on and the English UI."""
    return _english(page, base_url)


@pytest.fixture
def nojs(nojs_page: Any, base_url: str) -> Any:
    """A page with JavaScript off and the English UI."""
    return _english(nojs_page, base_url)


# -- helpers --------------------------------------------------------------------------------

# With JavaScript off, timers never fire (axe needs them: run them as microtasks) and axe
# never looks inside <noscript>, whose content is exactly what such a page shows: unwrap it.
_PREPARE_NOJS_FOR_AXE = """() => {
  const soon = (fn, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
  window.setTimeout = (fn, _ms, ...args) => soon(fn, ...args);
  window.clearTimeout = () => {};
  window.requestAnimationFrame = (fn) => soon(fn, performance.now());
  window.requestIdleCallback = (fn) => soon(fn, {didTimeout: false, timeRemaining: () => 50});
  for (const element of [...document.querySelectorAll('noscript')]) {
    element.replaceWith(...element.childNodes);
  }
}"""


def assert_accessible(page: Any, where: str, *, javascript: bool = True) -> None:
    """No serious or critical axe-core violation on the page as it is now.

    ``javascript=False`` for a page of a context with JavaScript off (see above); the
    page's ``<noscript>`` elements are unwrapped, their content kept in place.
    """
    if not javascript:
        page.evaluate(_PREPARE_NOJS_FOR_AXE)
    violations = run_axe(page)
    assert violations == [], f"axe on {where} ({page.url}):\n{format_violations(violations)}"


def mark(page: Any) -> None:
    """Leave a marker in the window: it survives htmx swaps, not page loads."""
    page.evaluate("() => { window.__feMarker = 'still here'; }")


def assert_not_reloaded(page: Any, url: str) -> None:
    assert page.url == url
    assert page.evaluate(MARKER) == "still here", "the page was reloaded"


def settle(page: Any) -> None:
    """Wait until no htmx request is in flight and every swap has settled."""
    page.wait_for_function(HTMX_IDLE)


def htmx_swap(page: Any, action: Callable[[], None]) -> None:
    """Do ``action`` (which sends one htmx request) and wait until its swap has settled."""
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        action()
    settle(page)


def button(page: Any, name: str) -> Any:
    """The visible button called ``name`` (forms also carry a hidden default button)."""
    return page.locator("button:not(.fe-visually-hidden)").filter(has_text=name)


def press(page: Any, name: str) -> None:
    """Press a button that posts the whole page and wait for the new page."""
    with page.expect_navigation():
        button(page, name).first.click()


def heading(page: Any) -> str:
    text: str = page.inner_text("h1")
    return text.strip()


def assert_on(page: Any, title: str) -> None:
    """The page is the one called ``title`` (naming the errors shown when it is not)."""
    summary = page.locator(".fe-error-summary")
    problems = summary.inner_text() if summary.count() else ""
    assert heading(page) == title, problems


def error_text(page: Any, field_id: str) -> str:
    """The visible message of a field's inline error (without the hidden "Error:")."""
    text: str = page.locator(f"#{field_id}-error").evaluate(
        "e => [...e.childNodes].filter(n => !(n.classList && "
        "n.classList.contains('fe-visually-hidden'))).map(n => n.textContent).join('')")
    return text.strip()


def fill_all(page: Any, values: dict[str, str]) -> None:
    for selector, value in values.items():
        page.fill(selector, value)


def fill_member(page: Any, index: int, member: dict[str, str]) -> None:
    prefix = f"#f-members-{index}"
    page.fill(f"{prefix}-name", member["name"])
    page.fill(f"{prefix}-date_of_birth-day", member["day"])
    page.fill(f"{prefix}-date_of_birth-month", member["month"])
    page.fill(f"{prefix}-date_of_birth-year", member["year"])
    page.select_option(f"{prefix}-relationship", member["relationship"])


def member_values(page: Any, index: int) -> dict[str, str]:
    prefix = f"#f-members-{index}"
    return {
        "name": page.input_value(f"{prefix}-name"),
        "day": page.input_value(f"{prefix}-date_of_birth-day"),
        "month": page.input_value(f"{prefix}-date_of_birth-month"),
        "year": page.input_value(f"{prefix}-date_of_birth-year"),
        "relationship": page.input_value(f"{prefix}-relationship"),
    }


def focused_id(page: Any) -> str:
    found: str = page.evaluate("() => document.activeElement && document.activeElement.id")
    return found


def assert_focus(page: Any, element_id: str, timeout: float = 5.0) -> None:
    """Focus reaches ``element_id``. The browser applies ``autofocus`` when it next updates
    the rendering after the load, which on a busy machine is a moment after ``goto`` or a
    click returns."""
    deadline = time.monotonic() + timeout
    while focused_id(page) != element_id and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert focused_id(page) == element_id


def fill_residence(page: Any) -> None:
    """Page 2 apart from the reason and what it brings in. The province updates the list of
    communes: in place with JavaScript, with "Update the questions" without."""
    if page.evaluate("() => !!window.htmx"):
        htmx_swap(page, lambda: page.select_option("#f-address-province_code", "01"))
    else:
        page.select_option("#f-address-province_code", "01")
        press(page, "Update the questions")
    page.select_option("#f-address-commune_code", "00004")
    page.fill("#f-address-detail", "12 Phố Huế")


def fill_rented(page: Any) -> None:
    page.fill("#f-owner_name", "Lê Văn Cường")
    page.check("#f-owner_consent-0")
    page.fill("#f-floor_area", "45.5")
    # The floor area controls whether rooms is required: leaving it refreshes the fields.
    # Wait for that as a person would; what is typed meanwhile is lost (see the report).
    page.press("#f-floor_area", "Tab")
    if page.evaluate("() => !!window.htmx"):
        settle(page)
    page.fill("#f-rooms", "3")


def fill_household_rest(page: Any) -> None:
    page.check("input[name=documents_held][value=lease]")
    page.fill("#f-notes", "Chuyển đến trước ngày 1/7")
    page.check("#f-confirm")


def accepted(page: Any) -> Any:
    return json.loads(page.text_content("#accepted-data"))["answers"]


def check_answers(page: Any) -> dict[str, str]:
    """Check your answers as {label: value}."""
    rows = page.locator(".fe-summary__row")
    return {
        rows.nth(i).locator(".fe-summary__key").inner_text().strip():
            rows.nth(i).locator(".fe-summary__value").inner_text().strip()
        for i in range(rows.count())
    }


def summary_links(page: Any) -> list[tuple[str, str]]:
    """(target id, text) of every link of the error summary."""
    links: list[tuple[str, str]] = page.eval_on_selector_all(
        ".fe-error-summary a",
        "as => as.map(a => [a.getAttribute('href').slice(1), a.textContent.trim()])")
    return [(target, text) for target, text in links]


def assert_check_answers(page: Any) -> None:
    assert_on(page, "Check your answers before sending")
    shown = check_answers(page)
    text = "\n".join(f"{k}: {v}" for k, v in shown.items())
    for expected in ("Nguyễn", "001099012345", "Phường Ba Đình", "Rented or borrowed home",
                     "Lê Văn Cường", "Nguyễn Minh Châu", "Lease", "Chuyển đến trước ngày 1/7"):
        assert expected in text, f"{expected!r} not on check your answers:\n{text}"
    assert "Trần Thị Bình" not in text, "the removed member is still there"


# -- JavaScript on --------------------------------------------------------------------------

def test_inline_validation_without_page_load(js: Any, base_url: str) -> None:
    """A field checks itself on change, in place, with the message Continue would give."""
    js.goto(base_url + FORM_PATH)
    url = js.url
    mark(js)

    js.fill("#f-personal_id", "12345")
    htmx_swap(js, lambda: js.press("#f-personal_id", "Tab"))
    assert js.locator("#f-personal_id-error").is_visible()
    assert_not_reloaded(js, url)
    inline = error_text(js, "f-personal_id")
    assert inline
    assert js.get_attribute("#f-personal_id", "aria-describedby") == (
        "f-personal_id-hint f-personal_id-error")
    assert js.input_value("#f-personal_id") == "12345"
    # Only the changed field speaks up: the empty required ones wait for Continue.
    assert js.locator(".fe-error-message").count() == 1
    assert js.locator(".fe-error-summary").count() == 0
    assert_accessible(js, "page 1 with an inline error")

    js.fill("#f-personal_id", "001099012345")
    htmx_swap(js, lambda: js.press("#f-personal_id", "Tab"))
    assert js.locator("#f-personal_id-error").count() == 0
    assert_not_reloaded(js, url)
    assert "fe-input--error" not in (js.get_attribute("#f-personal_id", "class") or "")

    js.fill("#f-personal_id", "12345")
    press(js, "Continue")
    assert js.evaluate(MARKER) is None, "Continue must post the whole page"
    assert error_text(js, "f-personal_id") == inline
    assert ("f-personal_id", inline) in summary_links(js)
    assert js.input_value("#f-personal_id") == "12345"


def test_date_is_checked_once_complete_on_a_slow_network(
        js: Any, engine: Flask, live_server_factory: LiveServerFactory) -> None:
    """Typing a date part by part over a slow network keeps every part, with no error
    about the parts not typed yet; leaving the date checks it."""
    base_url = live_server_factory(SlowValidation(engine, seconds=0.3))
    _english(js, base_url)
    js.goto(base_url + FORM_PATH)
    js.click("#f-date_of_birth-day")
    for part in ("15", "6", "1999"):
        js.keyboard.type(part)
        js.keyboard.press("Tab")
    assert_focus(js, "f-sex-0")
    settle(js)
    parts = [js.input_value(f"#f-date_of_birth-{p}") for p in ("day", "month", "year")]
    assert parts == ["15", "6", "1999"]
    assert js.locator("#f-date_of_birth-error").count() == 0

    # Leaving a wrong date shows its error in place; a part fixed later clears it.
    js.click("#f-date_of_birth-day")
    js.keyboard.press("Control+A")
    js.keyboard.type("31")
    js.keyboard.press("Tab")
    js.keyboard.type("2")
    htmx_swap(js, lambda: js.click("#f-phone"))
    assert js.locator("#f-date_of_birth-error").is_visible()
    js.fill("#f-date_of_birth-day", "28")
    htmx_swap(js, lambda: js.click("#f-phone"))
    assert js.locator("#f-date_of_birth-error").count() == 0


def test_answers_typed_during_a_refresh_are_kept(
        js: Any, engine: Flask, live_server_factory: LiveServerFactory) -> None:
    """A condition refreshes the page's fields; what the citizen types meanwhile stays."""
    base_url = live_server_factory(SlowRefresh(engine, seconds=0.5))
    _english(js, base_url)
    js.goto(base_url + FORM_PATH + "?page=residence")
    mark(js)
    js.check("#f-reason-2")  # rented: the owner questions appear after a slow refresh
    js.fill("#f-address-detail", "12 Phố Huế")  # typed while the refresh is in flight
    js.wait_for_selector("#f-owner_name")
    settle(js)
    assert js.input_value("#f-address-detail") == "12 Phố Huế"
    assert js.is_checked("#f-reason-2")


def test_error_summary(js: Any, base_url: str) -> None:
    """A failing Continue starts the page with a focused summary linking to each input."""
    js.goto(base_url + FORM_PATH)
    js.fill("#f-personal_id", "12345")
    press(js, "Continue")

    assert js.title().startswith("Error:")
    first = js.locator("main > *").first
    assert "fe-error-summary" in (first.get_attribute("class") or "")
    alert = js.locator(".fe-error-summary [role=alert]")
    assert alert.locator("h2").inner_text().strip() == "There is a problem"
    assert focused_id(js) == "" and js.evaluate(
        "() => document.activeElement.classList.contains('fe-error-summary')")

    links = summary_links(js)
    assert alert.locator("a").count() == len(links) > 0
    assert [target for target, _ in links][:3] == [
        "f-full_name-family", "f-full_name-given", "f-personal_id"]
    for target, message in links:
        assert js.locator(f"#{target}").count() == 1, f"summary links to missing #{target}"
        tag = js.eval_on_selector(f"#{target}", "e => e.tagName")
        assert tag in ("INPUT", "SELECT", "TEXTAREA"), f"#{target} is a {tag}"
        # Each summary message is the inline message of an error on the page.
        assert message in js.inner_text("#main-form")
    for target, _ in links:
        js.click(f".fe-error-summary a[href='#{target}']")
        assert focused_id(js) == target
    assert_accessible(js, "page 1 after a failing Continue")


def test_journey_with_javascript(js: Any, base_url: str) -> None:
    """Conditional sections and rows change in place; the answers reach the done page."""
    js.goto(base_url + FORM_PATH)
    fill_all(js, APPLICANT)
    js.check("#f-sex-0")
    settle(js)
    press(js, "Continue")

    # Page 2: the reason brings in other questions, without a page load.
    assert_on(js, "Where you will live")
    url = js.url
    mark(js)
    js.fill("#f-address-detail", "X")
    htmx_swap(js, lambda: js.press("#f-address-detail", "Tab"))
    assert js.locator("#f-address-detail-error").is_visible()
    short = error_text(js, "f-address-detail")
    fill_residence(js)
    htmx_swap(js, lambda: js.press("#f-address-detail", "Tab"))
    assert js.locator("#f-address-detail-error").count() == 0
    assert js.locator("#f-previous_address").count() == 0

    htmx_swap(js, lambda: js.check("input[name=reason][value=move]"))
    assert js.locator("#f-previous_address").is_visible()
    assert js.locator("#f-previous_address-commune_code").is_visible()
    assert js.locator("#f-owner_name").count() == 0
    assert js.input_value("#f-address-commune_code") == "00004"
    assert js.is_checked("input[name=reason][value=move]")
    assert_accessible(js, "page 2 with the previous address")

    htmx_swap(js, lambda: js.check("input[name=reason][value=own-home]"))
    assert js.locator("#f-previous_address").count() == 0
    assert js.locator("#f-owner_name").count() == 0

    htmx_swap(js, lambda: js.check("input[name=reason][value=rented]"))
    assert js.locator("#f-owner_name").is_visible()
    assert js.locator("#f-owner_consent-0").is_visible()
    assert js.locator("#f-previous_address").count() == 0
    assert_not_reloaded(js, url)
    fill_rented(js)
    settle(js)
    assert_accessible(js, "page 2 with the owner questions")

    # The message shown inline is the one Continue shows for the same value.
    js.fill("#f-address-detail", "X")
    press(js, "Continue")
    assert_on(js, "Where you will live")
    assert error_text(js, "f-address-detail") == short
    js.fill("#f-address-detail", "12 Phố Huế")
    press(js, "Continue")

    # Page 3: rows are added and removed in place; focus moves into a new row.
    assert_on(js, "People moving with you")
    url = js.url
    mark(js)
    htmx_swap(js, lambda: button(js, "Add").click())
    assert js.locator("#f-members-0-name").is_visible()
    assert_focus(js, "f-members-0-name")
    fill_member(js, 0, FIRST_MEMBER)
    settle(js)
    htmx_swap(js, lambda: button(js, "Add").click())
    assert js.locator("#f-members-1-name").is_visible()
    assert_focus(js, "f-members-1-name")
    assert member_values(js, 0) == FIRST_MEMBER
    fill_member(js, 1, SECOND_MEMBER)
    settle(js)
    assert_accessible(js, "page 3 with two rows")

    htmx_swap(js, lambda: js.get_by_role("button", name="Remove Member 1").click())
    assert js.locator("#f-members-1").count() == 0
    assert member_values(js, 0) == SECOND_MEMBER
    assert_not_reloaded(js, url)
    fill_household_rest(js)
    settle(js)
    press(js, "Continue")

    # Check your answers; "Change" goes back to a page and Continue comes straight back.
    assert_check_answers(js)
    assert_accessible(js, "check your answers")
    with js.expect_navigation():
        js.get_by_role("button", name="Change Reason for registering").click()
    assert_on(js, "Where you will live")
    assert js.is_checked("input[name=reason][value=rented]")
    assert js.input_value("#f-owner_name") == "Lê Văn Cường"
    press(js, "Continue")
    assert_check_answers(js)

    press(js, "Accept and send")
    assert_on(js, "Application sent")
    assert accepted(js) == ACCEPTED
    assert_accessible(js, "the done page")


# -- JavaScript off -------------------------------------------------------------------------

def test_journey_without_javascript(nojs: Any, base_url: str) -> None:
    """The same journey with full-page POSTs only."""
    nojs.goto(base_url + FORM_PATH)
    assert nojs.locator(".fe-error-summary").count() == 0

    # Page 1: nothing is checked before Continue; then summary and inline errors.
    fill_all(nojs, {**APPLICANT, "#f-personal_id": "12345"})
    nojs.press("#f-personal_id", "Tab")
    assert nojs.locator(".fe-error-message").count() == 0
    press(nojs, "Continue")
    assert nojs.title().startswith("Error:")
    links = summary_links(nojs)
    assert [target for target, _ in links] == ["f-personal_id", "f-sex-0"]
    assert error_text(nojs, "f-personal_id") == links[0][1]
    for selector, value in {**APPLICANT, "#f-personal_id": "12345"}.items():
        assert nojs.input_value(selector) == value, f"{selector} lost what was typed"
    nojs.click(".fe-error-summary a[href='#f-sex-0']")
    assert_focus(nojs, "f-sex-0")
    assert_accessible(nojs, "page 1 after a failing Continue, no JavaScript", javascript=False)
    nojs.fill("#f-personal_id", "001099012345")
    nojs.check("#f-sex-0")
    press(nojs, "Continue")

    # Page 2: "Update the questions" (in <noscript>) or Continue brings in the questions.
    assert_on(nojs, "Where you will live")
    fill_residence(nojs)
    nojs.check("input[name=reason][value=move]")
    assert nojs.locator("#f-previous_address").count() == 0
    press(nojs, "Update the questions")
    assert nojs.locator("#f-previous_address-commune_code").is_visible()
    assert nojs.locator(".fe-error-summary").count() == 0
    assert nojs.input_value("#f-address-commune_code") == "00004"
    assert_accessible(nojs, "page 2 with the previous address, no JavaScript",
                      javascript=False)

    nojs.check("input[name=reason][value=rented]")
    press(nojs, "Continue")
    assert nojs.title().startswith("Error:")
    assert nojs.locator("#f-previous_address").count() == 0
    targets = [target for target, _ in summary_links(nojs)]
    assert targets == ["f-owner_name", "f-owner_consent-0"]
    assert nojs.locator("#f-owner_name-error").is_visible()
    fill_rented(nojs)
    press(nojs, "Continue")

    # Page 3: rows by full-page POSTs; the new row's first input has the focus.
    assert_on(nojs, "People moving with you")
    press(nojs, "Add")
    assert_focus(nojs, "f-members-0-name")
    fill_member(nojs, 0, FIRST_MEMBER)
    press(nojs, "Add")
    assert_focus(nojs, "f-members-1-name")
    assert member_values(nojs, 0) == FIRST_MEMBER
    fill_member(nojs, 1, SECOND_MEMBER)
    with nojs.expect_navigation():
        nojs.get_by_role("button", name="Remove Member 1").click()
    assert nojs.locator("#f-members-1").count() == 0
    assert member_values(nojs, 0) == SECOND_MEMBER
    fill_household_rest(nojs)
    press(nojs, "Continue")

    assert_check_answers(nojs)
    with nojs.expect_navigation():
        nojs.get_by_role("button", name="Change Reason for registering").click()
    assert nojs.is_checked("input[name=reason][value=rented]")
    press(nojs, "Continue")
    assert_check_answers(nojs)
    press(nojs, "Accept and send")
    assert accepted(nojs) == ACCEPTED


# -- accessibility of every bundled page ----------------------------------------------------

def _definition_ids(page: Any) -> Iterator[str]:
    """The procedure ids the catalogue page links to."""
    hrefs: list[str] = page.eval_on_selector_all(
        ".fe-catalogue a", "as => as.map(a => a.getAttribute('href'))")
    for href in hrefs:
        path = urlsplit(href).path
        assert path.startswith("/forms/"), href
        yield path.removeprefix("/forms/")


def test_every_bundled_page_is_accessible(page: Any, engine: Flask, base_url: str) -> None:
    """axe finds nothing serious on the catalogue and on every page of every definition,
    empty and after a failing Continue (in the default language, Vietnamese)."""
    catalog: Catalog = engine.extensions["formengine.catalog"]
    assert not catalog.problems, f"bundled definitions refused: {catalog.problems}"
    page.set_extra_http_headers({"Accept-Language": "vi"})
    page.goto(base_url + "/")
    assert page.get_attribute("html", "lang") == "vi"
    assert_accessible(page, "the catalogue")
    ids = list(_definition_ids(page))
    assert sorted(ids) == sorted(d.id for d in catalog)
    assert EXAMPLE in ids

    checked = in_error = 0
    for procedure_id in ids:
        definition = catalog.get(procedure_id)
        assert definition is not None
        if definition.min_assurance:  # signed-in pages: test_signed_in_pages_are_accessible
            page.goto(f"{base_url}/forms/{procedure_id}")
            assert page.locator("a[href^='/auth/']").count() or page.locator("h1").count()
            assert_accessible(page, f"{procedure_id}: the sign-in level page")
            continue
        for form_page in definition.pages:
            page.goto(f"{base_url}/forms/{procedure_id}?page={form_page.id}")
            assert page.locator("input[name=_page]").input_value() == form_page.id
            assert_accessible(page, f"{procedure_id} page {form_page.id}")
            with page.expect_navigation():
                page.locator(".fe-actions button[value=next]").click()
            # Every page of the example asks for something, so an empty Continue fails.
            if procedure_id == EXAMPLE or page.locator(".fe-error-summary").count():
                assert page.title().startswith(("Error:", "Lỗi:")), page.title()
                assert page.locator("input[name=_page]").input_value() == form_page.id
                assert_accessible(page, f"{procedure_id} page {form_page.id} with errors")
                in_error += 1
            checked += 1
    example = catalog.get(EXAMPLE)
    assert example is not None
    assert checked >= len(example.pages) and in_error >= len(example.pages)


def test_signed_in_pages_are_accessible(page: Any, population_file: Any, tmp_path: Any,
                                        live_server_factory: LiveServerFactory) -> None:
    """axe finds nothing serious on every page of the procedures that need a sign-in,
    prefilled for a synthetic citizen (demo sign-in), empty and after a failing Continue."""
    from prefill.model import Citizen
    from prefill.sqlite import read_documents

    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "demo": True,
                      "secret_key": "x", "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    base = live_server_factory(app)
    person = next(c for c in (Citizen.model_validate(d) for d in read_documents(
        population_file)) if c.household is not None and c.date_of_death is None
        and c.spouse is not None and c.date_of_birth is not None
        and c.date_of_birth.year < 1995)
    page.goto(f"{base}/auth/demo")
    page.fill("#personal_id", person.personal_id)
    page.click("form button.fe-button")
    page.wait_for_url(base + "/")
    catalog: Catalog = app.extensions["formengine.catalog"]
    checked = 0
    for definition in catalog:
        if not definition.min_assurance:
            continue
        for form_page in definition.pages:
            page.goto(f"{base}/forms/{definition.id}?page={form_page.id}")
            assert_accessible(page, f"{definition.id} page {form_page.id}, signed in")
            with page.expect_navigation():
                page.locator(".fe-actions button[value=next]").click()
            if page.locator(".fe-error-summary").count():
                assert_accessible(page, f"{definition.id} page {form_page.id} with errors")
            checked += 1
    assert checked > 0
