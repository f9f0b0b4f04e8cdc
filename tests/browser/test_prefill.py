"""Register prefill in a real browser: locked data is visible and not editable, and the
"This is wrong" flow carries a correction to the submission (JavaScript on and off)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from prefill.model import Citizen
from prefill.sqlite import read_documents

from .conftest import LiveServerFactory
from .test_forms import assert_accessible

pytestmark = pytest.mark.browser

FORM = "/forms/example-residence-registration"


@pytest.fixture
def base_url(population_file: Path, tmp_path: Path,
             live_server_factory: LiveServerFactory) -> str:
    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "demo": True,
                      "population_db": population_file, "secret_key": "x",
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    return live_server_factory(app)


@pytest.fixture(scope="module")
def head(population_file: Path) -> Citizen:
    """A household head living with others, with a full date of birth."""
    for doc in read_documents(population_file):
        person = Citizen.model_validate(doc)
        if (person.relationship_to_head == "head" and person.household is not None
                and len(person.household.members) >= 2 and person.date_of_birth is not None
                and person.date_of_birth.is_complete and person.date_of_death is None):
            return person
    raise AssertionError("no household head in the population")


def sign_in(page: Any, base_url: str, person: Citizen) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base_url}])
    page.goto(f"{base_url}/auth/demo?next={FORM}")
    page.fill("#personal_id", person.personal_id)
    page.click("form button.fe-button")
    page.wait_for_url(base_url + FORM)


def check_locked(page: Any, person: Citizen) -> None:
    locked = page.locator('[data-prefilled="locked"]')
    assert locked.count() >= 5
    assert page.locator("#f-personal_id").inner_text() == person.personal_id
    assert page.locator("#f-full_name-given").inner_text() == person.full_name.given
    for name in ("personal_id", "full_name.given", "full_name.family", "date_of_birth.day",
                 "sex"):
        assert page.locator(f'[name="{name}"]').count() == 0, f"{name} can be edited"
    members = [m.personal_id for m in person.household.members  # type: ignore[union-attr]
               if m.personal_id != person.personal_id]
    assert page.locator("#f-household-0-personal_id").inner_text() == members[0]
    assert page.locator('button[value^="add:household"]').count() == 0
    assert page.locator('button[value^="remove:household"]').count() == 0


def test_locked_data_and_this_is_wrong_with_javascript(page: Any, base_url: str,
                                                       head: Citizen) -> None:
    sign_in(page, base_url, head)
    check_locked(page, head)
    assert page.locator("#f-phone").is_editable()
    assert_accessible(page, "prefilled first page")
    box = page.locator("#f-full_name-correction")
    assert not box.is_visible()
    page.locator("#f-full_name-correction-box summary").click()
    assert box.is_visible()
    box.fill("My middle name is Minh")
    assert_accessible(page, "prefilled first page with the correction box open")
    page.locator(".fe-actions button[value=next]").click()
    page.wait_for_selector("h1:has-text('Where you will live')")
    page.locator(".fe-actions button[value=back]").click()
    page.wait_for_selector("#f-full_name-correction")
    assert page.locator("#f-full_name-correction").input_value() == "My middle name is Minh"
    assert page.locator("#f-full_name-correction").is_visible()  # kept open


def test_correction_reaches_the_submission_without_javascript(nojs_page: Any, base_url: str,
                                                              head: Citizen) -> None:
    page = nojs_page
    sign_in(page, base_url, head)
    check_locked(page, head)
    page.locator("#f-full_name-correction-box summary").click()  # <details>: no script
    page.fill("#f-full_name-correction", "My middle name is Minh")
    page.locator(".fe-actions button[value=next]").click()
    page.wait_for_selector("h1:has-text('Where you will live')")
    page.select_option("#f-address-province_code", "01")
    page.locator('#f-address-province_code-group button[value="refresh"]').click()
    page.select_option("#f-address-commune_code", "00004")
    page.fill("#f-address-detail", "12 Phố Huế")
    page.check("#f-reason-1")  # own home
    page.locator(".fe-actions button[value=next]").click()
    page.wait_for_selector("h1:has-text('People moving with you')")
    page.check("#f-confirm")
    page.locator(".fe-actions button[value=next]").click()
    page.wait_for_selector("h1:has-text('Check your answers')")
    assert "You reported that this is wrong: My middle name is Minh" in page.inner_text("main")
    page.locator(".fe-actions button[value=submit]").click()
    page.wait_for_selector("#receipt-number")
    record = json.loads(page.text_content("#accepted-data"))
    assert record["answers"]["personal_id"] == head.personal_id
    assert record["answers"]["full_name"]["given"] == head.full_name.given
    assert [c["reported"] for c in record["corrections"]] == ["My middle name is Minh"]
    assert record["provenance"]["/personal_id"]["mode"] == "locked"
