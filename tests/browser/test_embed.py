"""A form embedded in a province portal on a second origin (embed.js, web/embed.py).

The forms and the portal are both served on 127.0.0.1, on different ports: two origins of
one site, as in the demo (localhost:5000 in localhost:5001), so the Lax cookies of plain
HTTP reach the iframe (formengine/web/cookies.py). A third origin, not in the tenant's
list, is refused framing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from formengine.portal import create_portal
from formengine.storage.tables import submissions
from prefill.model import Citizen

from .conftest import LiveServerFactory
from .test_forms import assert_accessible
from .test_journey import HTMX_IDLE, person  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

PROCEDURE = "example-residence-registration"
FRAME = "iframe.formengine-frame"


def frame_height(page: Any) -> int:
    return int(page.eval_on_selector(FRAME, "f => f.getBoundingClientRect().height"))


def wait_for_height(page: Any, condition: str) -> int:
    """Wait until the iframe's height (``h``) satisfies ``condition``, and return it."""
    page.wait_for_function(
        f"() => {{ const h = document.querySelector('{FRAME}').getBoundingClientRect()"
        f".height; return {condition}; }}")
    return frame_height(page)


@pytest.fixture
def sites(population_file: Path, tmp_path: Path,
          live_server_factory: LiveServerFactory) -> dict[str, Any]:
    """A portal in the tenant's list, one that is not, and the forms app."""
    portal, stranger = create_portal("http://x", lang="en"), create_portal("http://x")
    portal_url, stranger_url = live_server_factory(portal), live_server_factory(stranger)
    folder = tmp_path / "tenants"
    folder.mkdir()
    (folder / "demo-portal.toml").write_text(
        f'name = "Sample portal"\norigins = ["{portal_url}"]\nprocedures = ["{PROCEDURE}"]\n'
        'default_language = "vi"\n[branding]\ncolors = { primary = "#0b5394" }\n',
        encoding="utf-8")
    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "demo": True,
                      "population_db": population_file, "secret_key": "x",
                      "tenants": folder,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    forms_url = live_server_factory(app)
    for site in (portal, stranger):
        site.config["PORTAL"]["forms_url"] = forms_url
    return {"app": app, "forms": forms_url, "portal": portal_url, "stranger": stranger_url}


def test_a_portal_embeds_a_form_that_resizes_and_reports_the_submission(
        page: Any, sites: dict[str, Any], person: Citizen) -> None:  # noqa: F811
    page.goto(sites["portal"] + "/")
    frame_element = page.wait_for_selector(FRAME)
    frame = frame_element.content_frame()
    frame.wait_for_selector("html.fe-embedded h1")
    assert frame.url == f"{sites['forms']}/embed/demo-portal/{PROCEDURE}?lang=en"
    first = wait_for_height(page, "h !== 600")
    assert frame_element.get_attribute("title") == frame.title()  # told by the page
    assert frame_element.get_attribute("scrolling") == "no"
    assert_accessible(frame, "the embedded form")

    # Sign in (demo) inside the iframe: the cookies work there, the layout stays.
    frame.click("a:has-text('Sign in (demo)')")
    frame.wait_for_selector("#personal_id")
    assert "fe-embedded" in (frame.get_attribute("html", "class") or "")
    frame.fill("#personal_id", person.personal_id)
    frame.click("form button.fe-button")
    frame.wait_for_selector(f"#f-personal_id:has-text('{person.personal_id}')")
    assert frame.url.startswith(f"{sites['forms']}/embed/demo-portal/{PROCEDURE}")
    frame.locator(".fe-actions button[value=next]").click()
    frame.wait_for_selector("h1:has-text('Where you will live')")
    before = wait_for_height(page, f"h !== {first}")
    frame.locator(".fe-actions button[value=next]").click()  # nothing filled in: errors
    frame.wait_for_selector(".fe-error-summary")
    with_errors = wait_for_height(page, f"h > {before}")
    assert with_errors > before
    inner = frame.evaluate("() => document.getElementById('fe-embed-root')"
                           ".getBoundingClientRect().height")
    assert abs(with_errors - inner) <= 1  # the frame fits its content: no scrollbar
    assert_accessible(frame, "an embedded page with errors")

    frame.select_option("#f-address-province_code", "01")
    frame.wait_for_function(HTMX_IDLE)
    frame.wait_for_selector("#f-address-commune_code option[value='00004']", state="attached")
    frame.select_option("#f-address-commune_code", "00004")
    frame.fill("#f-address-detail", "12 Phố Huế")
    frame.check("#f-reason-1")
    frame.wait_for_function(HTMX_IDLE)
    frame.locator(".fe-actions button[value=next]").click()
    frame.wait_for_selector("h1:has-text('People moving with you')")
    frame.check("#f-confirm")
    frame.locator(".fe-actions button[value=next]").click()
    frame.wait_for_selector("h1:has-text('Check your answers')")
    frame.locator(".fe-actions button[value=submit]").click()
    frame.wait_for_selector("#receipt-number")
    receipt = frame.inner_text("#receipt-number")

    # The host page got the event, with the receipt and nothing personal.
    page.wait_for_selector(f".portal-event[data-receipt='{receipt}']")
    assert PROCEDURE in page.inner_text("#portal-log")
    assert person.personal_id not in page.inner_text("body")
    assert_accessible(frame, "the embedded receipt")
    with sites["app"].extensions["formengine.db"].connect() as connection:
        rows = connection.execute(sa.select(submissions.c.receipt,
                                            submissions.c.tenant)).all()
    assert [tuple(r) for r in rows] == [(receipt, "demo-portal")]


def test_an_origin_not_in_the_list_is_refused_framing(page: Any,
                                                      sites: dict[str, Any]) -> None:
    with page.expect_response(lambda r: "/embed/demo-portal/" in r.url) as embedded:
        page.goto(sites["stranger"] + "/")
    policy = embedded.value.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {sites['portal']}" in policy
    assert sites["stranger"] not in policy
    frame = page.wait_for_selector(FRAME).content_frame()
    page.wait_for_timeout(300)
    assert frame is not None
    # Chromium shows its error page instead of ours: nothing of the form is there.
    assert frame.url == "chrome-error://chromewebdata/"
    assert frame.query_selector("html.fe-embedded") is None
    assert frame_height(page) == 600  # no height was ever posted


def test_the_plain_iframe_url_works_without_the_script(page: Any,
                                                       sites: dict[str, Any]) -> None:
    page.goto(f"{sites['forms']}/embed/demo-portal/{PROCEDURE}")
    assert page.locator("html.fe-embedded h1").is_visible()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.fe-header'))"
                         ".backgroundColor") == "rgb(11, 83, 148)"  # brand.css
    assert page.goto(f"{sites['forms']}/embed/demo-portal/death-registration").status == 404
