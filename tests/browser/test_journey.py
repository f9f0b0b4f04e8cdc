"""The whole journey in a real browser: sign in, fill, leave half-way, come back to the
draft, check answers, send twice by a double click, get one receipt, download the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from formengine.storage.tables import submissions
from prefill.model import Citizen
from prefill.sqlite import read_documents

from .conftest import LiveServerFactory
from .test_forms import assert_accessible

pytestmark = pytest.mark.browser

FORM = "/forms/example-residence-registration"
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


@pytest.fixture
def served(population_file: Path, tmp_path: Path,
           live_server_factory: LiveServerFactory) -> tuple[str, Any]:
    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "demo": True,
                      "population_db": population_file, "secret_key": "x",
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    return live_server_factory(app), app


@pytest.fixture(scope="module")
def person(population_file: Path) -> Citizen:
    for doc in read_documents(population_file):
        citizen = Citizen.model_validate(doc)
        if (citizen.household is not None and citizen.date_of_death is None
                and citizen.date_of_birth is not None and citizen.date_of_birth.is_complete
                and citizen.date_of_birth.year < 2000):
            return citizen
    raise AssertionError("no adult in the population")


def continue_(page: Any) -> None:
    page.locator(".fe-actions button[value=next]").click()


def test_sign_in_leave_resume_send_once_and_download(page: Any, served: tuple[str, Any],
                                                      person: Citizen,
                                                      tmp_path: Path) -> None:
    base, app = served
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base}])
    page.goto(f"{base}/auth/demo?next={FORM}")
    page.fill("#personal_id", person.personal_id)
    page.click("form button.fe-button")
    page.wait_for_url(base + FORM)
    assert page.locator("#f-personal_id").inner_text() == person.personal_id
    continue_(page)
    page.wait_for_selector("h1:has-text('Where you will live')")
    page.select_option("#f-address-province_code", "01")
    page.wait_for_function(HTMX_IDLE)
    page.wait_for_selector("#f-address-commune_code option[value='00004']", state="attached")
    page.select_option("#f-address-commune_code", "00004")
    page.fill("#f-address-detail", "12 Phố Huế")
    page.locator("#f-address-detail").blur()  # inline validation saves the draft
    page.wait_for_function(HTMX_IDLE)
    page.wait_for_selector("#draft-status:has-text('saved at')")
    page.check("#f-reason-1")
    page.wait_for_function(HTMX_IDLE)
    continue_(page)
    page.wait_for_selector("h1:has-text('People moving with you')")

    # Leave half-way: open the form again, as after closing the browser.
    page.goto(base + FORM)
    assert page.locator("#resumed").is_visible()
    assert page.locator("h1").inner_text() == "People moving with you"
    assert_accessible(page, "a resumed draft")
    page.check("#f-confirm")
    continue_(page)
    page.wait_for_selector("h1:has-text('Check your answers')")
    assert "12 Phố Huế" in page.inner_text("main")

    # A double click on "Accept and send": one submission, one receipt.
    page.locator(".fe-actions button[value=submit]").dblclick()
    page.wait_for_selector("#receipt-number")
    receipt = page.inner_text("#receipt-number")
    assert_accessible(page, "the receipt")
    with app.extensions["formengine.db"].connect() as connection:
        rows = connection.execute(sa.select(submissions.c.receipt)).scalars().all()
    assert rows == [receipt]

    with page.expect_download() as download:
        page.click(f"a[href='/submissions/{receipt}.pdf']")
    saved = tmp_path / "receipt.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    page.goto(base + "/submissions")
    assert receipt in page.inner_text("main")
