"""Co-applicants in a real browser: the applicant asks, the other person agrees in their
own browser with their own sign-in, and the applicant's form fills in (JavaScript off for
the applicant: everything is a plain form post)."""

from __future__ import annotations

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

FORM = "/forms/marriage-registration"


def single(person: Citizen, sex: str) -> bool:
    return (person.date_of_death is None and person.marital_status == "single"
            and person.sex == sex and person.nationality == "VN"
            and person.date_of_birth is not None and person.date_of_birth.is_complete
            and 1975 <= person.date_of_birth.year <= 2000
            and person.permanent_residence is not None)


@pytest.fixture(scope="module")
def couple(population_file: Path) -> tuple[Citizen, Citizen]:
    people = [Citizen.model_validate(d) for d in read_documents(population_file)]
    return (next(p for p in people if single(p, "male")),
            next(p for p in people if single(p, "female")))


def sign_in(page: Any, base: str, person: Citizen, target: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base}])
    page.goto(f"{base}/auth/demo?next={target}")
    page.fill("#personal_id", person.personal_id)
    page.click("form button.fe-button")
    page.wait_for_url(base + target)


def test_the_other_person_agrees_and_the_form_fills_in(
        nojs_page: Any, page: Any, couple: tuple[Citizen, Citizen], population_file: Path,
        tmp_path: Path, live_server_factory: LiveServerFactory) -> None:
    applicant, partner = couple
    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "demo": True,
                      "population_db": population_file, "secret_key": "x",
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    base = live_server_factory(app)
    target = FORM + "?page=partner"
    sign_in(nojs_page, base, applicant, target)
    nojs_page.fill("#f-partner-full_name-given", "typed before asking")
    nojs_page.fill("#co-applicant-id", partner.personal_id)
    with nojs_page.expect_navigation():
        nojs_page.click("button[value='co-applicant:ask']")
    assert nojs_page.locator("#co-applicant").get_attribute("data-consent") == "pending"
    assert nojs_page.input_value("#f-partner-full_name-given") == "typed before asking"
    link = nojs_page.input_value("#co-applicant-link")
    assert_accessible(nojs_page, "the partner page with the link", javascript=False)

    path = link.split("://", 1)[1].split("/", 1)[1]
    sign_in(page, base, partner, "/" + path)
    assert applicant.full_name.text in page.inner_text("#consent")
    assert_accessible(page, "the consent page")
    with page.expect_navigation():
        page.click("button[value=grant]")
    assert page.locator("#consent-decided").is_visible()
    assert_accessible(page, "the consent page after agreeing")

    with nojs_page.expect_navigation():
        nojs_page.click("button[value='co-applicant:check']")
    assert nojs_page.locator("#co-applicant").get_attribute("data-consent") == "granted"
    assert nojs_page.inner_text("#f-partner-full_name-given") == partner.full_name.given
    assert nojs_page.inner_text("#f-partner-personal_id") == partner.personal_id
    assert nojs_page.locator("input[name='partner.full_name.given']").count() == 0
    assert_accessible(nojs_page, "the partner page filled from the register",
                      javascript=False)
