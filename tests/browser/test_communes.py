"""Real-browser tests of the commune list of an address (``x-widget: commune``): narrowed as
you type with JavaScript, a plain select updated by the province without it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from formengine.app import create_app
from formengine.config import PROJECT_ROOT

from .conftest import LiveServerFactory
from .test_forms import accepted, assert_accessible, assert_on, htmx_swap, press, settle

pytestmark = pytest.mark.browser

FORM = "/forms/address-only"
SEARCH, SELECT = "#f-address-commune_code-search", "#f-address-commune_code"
DEFINITION = {
    "x-procedure": {"id": "address-only", "version": "1",
                    "title": {"vi": "Địa chỉ", "en": "Your address", "fr": "Votre adresse"}},
    "type": "object",
    "properties": {"address": {"$ref": "components/address.json"}},
    "required": ["address"],
}
ACCEPTED = {"address": {"province_code": "01", "commune_code": "00004", "detail": "12 Phố Huế"}}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """An app serving one form: an address."""
    folder = tmp_path_factory.mktemp("definitions")
    shutil.copytree(PROJECT_ROOT / "form_definitions" / "components", folder / "components")
    (folder / "address-only.json").write_text(json.dumps(DEFINITION, ensure_ascii=False))
    return create_app({"definitions": [Path(folder)], "secret_key": "x"})


@pytest.fixture
def base_url(engine: Flask, live_server_factory: LiveServerFactory) -> str:
    return live_server_factory(engine)


def english(page: Any, base_url: str) -> Any:
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base_url}])
    return page


def option_values(page: Any) -> list[str]:
    values: list[str] = page.eval_on_selector_all(f"{SELECT} option", "os => os.map(o => o.value)")
    return values


def narrow(page: Any, text: str) -> None:
    """Type ``text`` in the search box as a person would and wait for the narrowed list."""
    page.fill(SEARCH, "")
    with page.expect_response(lambda r: "/units/communes" in r.url):
        page.locator(SEARCH).press_sequentially(text, delay=30)
    settle(page)


def test_typing_narrows_the_list_and_keeps_the_choice(page: Any, base_url: str) -> None:
    js = english(page, base_url)
    js.goto(base_url + FORM)
    assert js.inner_text(f"{SELECT} option") == "Choose the province or city first"
    assert js.locator(SEARCH).count() == 0  # nothing to narrow yet

    htmx_swap(js, lambda: js.select_option("#f-address-province_code", "01"))
    assert js.locator(SEARCH).is_visible()
    assert js.get_attribute(SEARCH, "aria-controls") == SELECT[1:]
    label = js.locator(f"label[for='{SEARCH[1:]}']")
    assert label.inner_text().strip() == "Type to narrow the list"
    every = option_values(js)
    assert len(every) == 127 and every[0] == ""  # Hà Nội's 126 communes and the placeholder

    narrow(js, "ba dinh")
    assert option_values(js) == ["", "00004"]
    assert js.inner_text(f"{SELECT} option[value='00004']") == "Phường Ba Đình"
    js.select_option(SELECT, "00004")

    # Narrowing again never loses the choice: it stays selected, first after the placeholder.
    narrow(js, "hoan kiem")
    assert option_values(js) == ["", "00004", "00070"]
    assert js.input_value(SELECT) == "00004"
    # Enter narrows at once and does not send the page.
    url = js.url
    js.fill(SEARCH, "")
    with js.expect_response(lambda r: "/units/communes" in r.url):
        js.press(SEARCH, "Enter")
    settle(js)
    assert js.url == url and len(option_values(js)) == 127
    assert js.input_value(SELECT) == "00004"
    assert_accessible(js, "the address with a narrowed commune list")

    js.fill("#f-address-detail", "12 Phố Huế")
    settle(js)
    press(js, "Continue")
    assert_on(js, "Check your answers before sending")
    assert "Phường Ba Đình" in js.inner_text("main")
    press(js, "Accept and send")
    assert accepted(js) == ACCEPTED


def test_a_new_province_lists_its_own_communes(page: Any, base_url: str) -> None:
    js = english(page, base_url)
    js.goto(base_url + FORM)
    htmx_swap(js, lambda: js.select_option("#f-address-province_code", "01"))
    js.select_option(SELECT, "00004")
    htmx_swap(js, lambda: js.select_option("#f-address-province_code", "79"))
    values = option_values(js)
    assert "00004" not in values and "26743" in values  # Phường Bến Thành
    assert js.input_value(SELECT) == ""


def test_without_javascript_the_province_updates_the_select(nojs_page: Any,
                                                            base_url: str) -> None:
    nojs = english(nojs_page, base_url)
    nojs.goto(base_url + FORM)
    assert not nojs.locator(SEARCH).is_visible()
    nojs.select_option("#f-address-province_code", "01")
    press(nojs, "Update the questions")
    assert nojs.locator(".fe-error-summary").count() == 0
    assert not nojs.locator(SEARCH).is_visible()  # it needs JavaScript: not shown
    assert len(option_values(nojs)) == 127
    nojs.select_option(SELECT, "00004")
    nojs.fill("#f-address-detail", "12 Phố Huế")
    assert_accessible(nojs, "the address without JavaScript", javascript=False)
    press(nojs, "Continue")
    assert_on(nojs, "Check your answers before sending")
    press(nojs, "Accept and send")
    assert accepted(nojs) == ACCEPTED
