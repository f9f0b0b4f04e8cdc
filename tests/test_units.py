"""Tests for formengine.web.units (GET /units/communes, the options as you type)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


def values(client: FlaskClient, query: str) -> list[str]:
    response = client.get("/units/communes?" + query)
    assert response.status_code == 200
    return re.findall(r'<option value="([^"]*)"', response.get_data(as_text=True))


def test_search_ignores_case_and_diacritics(client: FlaskClient) -> None:
    for typed in ("ba%20dinh", "BA%20DINH", "Ba%20%C4%90%C3%ACnh", "phuong%20ba%20dinh",
                  "%20ba%20%20dinh%20"):
        assert values(client, f"province=01&q={typed}") == ["", "00004"], typed
    assert "00070" in values(client, "province=01&q=hoan")


def test_answer_is_html_options_and_cacheable(client: FlaskClient) -> None:
    response = client.get("/units/communes?province=01&q=ba%20dinh&lang=en")
    assert response.content_type == "text/html; charset=utf-8"
    assert response.get_data(as_text=True) == (
        '<option value="">Select an option</option>'
        '<option value="00004">Phường Ba Đình</option>')
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert "Vary" not in response.headers and "Set-Cookie" not in response.headers
    # Without ?lang= the language comes from the cookie or the browser: say so.
    assert "Accept-Language" in client.get("/units/communes?province=01").headers["Vary"]


def test_the_choice_is_kept(client: FlaskClient) -> None:
    html = client.get("/units/communes?province=01&q=hoan&selected=00004").get_data(
        as_text=True)
    assert html.index('value="00004" selected') < html.index('value="00070"')
    assert values(client, "province=01&q=hoan%20kiem&selected=26743") == ["", "00070"]


def test_no_query_lists_the_whole_province(client: FlaskClient) -> None:
    assert len(values(client, "province=79")) == 1 + 168
    assert len(values(client, "province=01&q=")) == 1 + 126


@pytest.mark.parametrize("query", [
    "", "province=", "province=99", "province=1", "province=001", "province=%00",
    "province=01%27%22%3E", "province[]=01", "q=ba%20dinh", "province=99&q=ba",
])
def test_unknown_province_gives_an_empty_list(client: FlaskClient, query: str) -> None:
    assert values(client, query) == [""]


@pytest.mark.parametrize("query", [
    "province=01&q=" + "a" * 100_000,
    "province=01&q=%00%01%FF%FE",
    "province=01&q=%E0%A4%A",
    "province=01&q=<script>",
    "province=01&selected=" + "9" * 5000,
    "province=01&selected=00004&selected=00070",
])
def test_odd_input_never_fails(client: FlaskClient, query: str) -> None:
    response = client.get("/units/communes?" + query)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_the_language_cookie_is_left_alone(client: FlaskClient) -> None:
    response = client.get("/units/communes?province=01&lang=fr")
    assert "Sélectionnez une option" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
