"""The citizen views: pages, actions, inline validation, and bad input never giving a 500."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import EXAMPLE, accepted_data, form_state, shown_errors

URL = f"/forms/{EXAMPLE}"

APPLICANT = {
    "full_name.family": "Nguyễn",
    "full_name.given": "An",
    "personal_id": "001090012345",
    "date_of_birth.day": "3",
    "date_of_birth.month": "2",
    "date_of_birth.year": "1990",
    "sex": "male",
}


def start(client: FlaskClient) -> str:
    return client.get(URL + "?lang=en").get_data(as_text=True)


def post(client: FlaskClient, html: str, page: str | None, **fields: Any) -> str:
    data = {"_state": form_state(html), **fields}
    if page:
        data["_page"] = page
    response = client.post(URL, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def to_check_answers(client: FlaskClient) -> str:
    """Fill the example validly up to check your answers."""
    html = post(client, start(client), "applicant", **APPLICANT)
    html = post(client, html, "residence", reason="own-home", **{
        "address.province_code": "01", "address.commune_code": "00004", "address.detail": "1 A"})
    return post(client, html, "household", confirm="true")


def test_catalogue_lists_bundled_procedures(client: FlaskClient) -> None:
    html = client.get("/?lang=en").get_data(as_text=True)
    assert f'href="{URL}"' in html
    assert "Example: Permanent residence registration" in html


def test_unknown_procedure_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/forms/nope")
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)


def test_first_page_renders_labels_for_every_input(client: FlaskClient) -> None:
    html = start(client)
    assert '<label class="fe-label" for="f-personal_id">' in html
    assert 'name="date_of_birth.day"' in html and 'autocomplete="bday-day"' in html
    assert "Step 1 of 3" in html


def test_errors_keep_typed_values_and_link_from_summary(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **{**APPLICANT, "personal_id": "12ab",
                                                       "full_name.given": ""})
    assert ("/personal_id", "format") in shown_errors(html)
    assert ("/full_name/given", "required") in shown_errors(html)
    assert 'value="12ab"' in html  # never cleared
    assert html.index("fe-error-summary") < html.index("<form")
    assert 'href="#f-personal_id"' in html and 'href="#f-full_name-given"' in html
    assert "<title>Error:" in html
    assert 'aria-describedby="f-personal_id-hint f-personal_id-error"' in html


def test_id_inconsistent_with_date_of_birth(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **{**APPLICANT, "date_of_birth.year": "2001"})
    assert shown_errors(html) == [("/personal_id", "x-personal-id-check")]


def test_whole_journey_to_accepted_data(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **APPLICANT)
    assert "Where you will live" in html
    html = post(client, html, "residence", reason="own-home", **{
        "address.province_code": "01", "address.commune_code": "00004",
        "address.detail": "1 Hùng Vương"})
    html = post(client, html, "household", confirm="true")
    assert "Check your answers" in html
    assert "03/02/1990" not in html  # English UI: long date
    assert "3 February 1990" in html
    html = post(client, html, None, _action="submit")
    data = accepted_data(html)
    assert data["date_of_birth"] == "1990-02-03"
    assert data["personal_id"] == "001090012345"
    assert data["confirm"] is True and "members" not in data


def test_change_link_returns_to_check_answers(client: FlaskClient) -> None:
    html = to_check_answers(client)
    html = post(client, html, None, _action="goto:applicant")
    assert 'name="_return" value="check"' in html
    html = post(client, html, "applicant", _return="check", **{**APPLICANT, "sex": "female",
                                                               "personal_id": "001190012345"})
    assert "Check your answers" in html and "Female" in html


def test_condition_adds_required_section(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **APPLICANT)
    html = post(client, html, "residence", reason="move", **{
        "address.province_code": "01", "address.commune_code": "00004", "address.detail": "1 A"})
    assert ("/previous_address/province_code", "required") in shown_errors(html)


def test_hidden_section_values_are_dropped_not_rejected(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **APPLICANT)
    html = post(client, html, "residence", reason="own-home", owner_name="Trần B", **{
        "address.province_code": "01", "address.commune_code": "00004", "address.detail": "1 A"})
    assert "People moving with you" in html


def test_htmx_refresh_returns_fields_only_and_varies(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **APPLICANT)
    response = client.post(URL, data={"_state": form_state(html), "_page": "residence",
                                      "reason": "move", "_action": "refresh"},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="form-fields">')
    assert "f-previous_address-province_code" in body
    assert "HX-Request" in response.headers["Vary"]
    assert shown_errors(body) == []


def test_add_and_remove_rows_keep_values(client: FlaskClient) -> None:
    html = post(client, start(client), "applicant", **APPLICANT)
    html = post(client, html, "residence", reason="own-home", **{
        "address.province_code": "01", "address.commune_code": "00004", "address.detail": "1 A"})
    html = post(client, html, "household", _action="add:members")
    assert 'name="members.0.name"' in html
    assert html.count("autofocus") == 1
    assert re.search(r'<input[^>]*autofocus[^>]*members\.0\.name', html)
    html = post(client, html, "household", _action="add:members", **{
        "members.0._row": "1", "members.0.name": "First"})
    assert 'name="members.1.name"' in html and 'value="First"' in html
    html = post(client, html, "household", _action="remove:members.0", **{
        "members.0._row": "1", "members.0.name": "First",
        "members.1._row": "1", "members.1.name": "Second"})
    assert 'value="Second"' in html and 'value="First"' not in html
    assert 'name="members.0.name"' in html and 'name="members.1.name"' not in html
    assert html.count("autofocus") == 1
    assert re.search(r'<button[^>]*value="add:members"[^>]*autofocus', html)


def test_inline_validation_gives_the_submit_message(client: FlaskClient) -> None:
    html = start(client)
    fields = {**APPLICANT, "personal_id": "123", "_page": "applicant",
              "_state": form_state(html)}
    inline = client.post(f"{URL}/validate?field=personal_id", data=fields,
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    full = post(client, html, "applicant", **{**APPLICANT, "personal_id": "123"})
    assert shown_errors(inline) == [("/personal_id", "format")]
    message = "Enter a personal identification number of 12 digits"
    assert message in inline and message in full
    assert inline.lstrip().startswith('<div class="fe-group fe-group--error" id="f-personal_id')


def test_inline_validation_of_unknown_field_is_404(client: FlaskClient) -> None:
    response = client.post(f"{URL}/validate?field=nope", data={"_page": "applicant"})
    assert response.status_code == 404


def test_unknown_fields_are_refused_with_a_message(client: FlaskClient) -> None:
    response = client.post(URL, data={"_page": "applicant", "evil": "1"})
    assert response.status_code == 400
    assert "evil" in response.get_data(as_text=True)


def test_tampered_state_is_refused(client: FlaskClient) -> None:
    response = client.post(URL, data={"_page": "applicant", "_state": "e30.forged"})
    assert response.status_code == 400


def test_too_many_fields_is_400(client: FlaskClient, app: Any) -> None:
    limit = app.config["FORMENGINE"].max_fields
    data = {f"_x{i}": "1" for i in range(limit + 1)}
    response = client.post(URL + "?lang=en", data=data)
    assert response.status_code == 400
    assert "Too many fields" in response.get_data(as_text=True)


def test_oversized_body_is_413_page(client: FlaskClient, app: Any) -> None:
    big = "x" * (app.config["FORMENGINE"].max_body_bytes + 10)
    response = client.post(URL + "?lang=en", data={"_page": "applicant", "notes": big})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_language_switch_on_a_form_keeps_answers(client: FlaskClient) -> None:
    html = start(client)
    response = client.post(URL, data={"_state": form_state(html), "_page": "applicant",
                                      "_lang": "fr", "full_name.family": "Lê"})
    body = response.get_data(as_text=True)
    assert '<html lang="fr">' in body and 'value="Lê"' in body
    assert "lang=fr" in response.headers.get("Set-Cookie", "")


def test_language_switch_on_check_answers_stays_there(client: FlaskClient) -> None:
    html = to_check_answers(client)
    html = post(client, html, None, _lang="fr")
    assert '<html lang="fr">' in html and 'value="submit"' in html and "Nguyễn" in html


def test_every_page_can_be_opened_empty(client: FlaskClient) -> None:
    for page in ("applicant", "residence", "household"):
        response = client.get(f"{URL}?page={page}")
        assert response.status_code == 200
        assert f'name="_page" value="{page}"' in response.get_data(as_text=True)


def test_an_error_on_no_page_is_still_shown_not_a_500(make_app: Any) -> None:
    app = make_app({"x-procedure": {"id": "odd", "version": "1", "title": "T"},
                    "type": "object", "minProperties": 2,
                    "properties": {"a": {"type": "string", "title": "A"},
                                   "b": {"type": "string", "title": "B"}}})
    response = app.test_client().post("/forms/odd?lang=en", data={
        "_page": "*", "_action": "submit", "a": "x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "fe-error-summary" in body
    assert 'href="#main-form"' in body


def test_odd_requests_never_give_a_500(client: FlaskClient) -> None:
    odd: list[dict[str, str]] = [
        {"_page": "applicant", "_action": "remove:members.x"},
        {"_page": "household", "_action": "remove:"},
        {"_page": "household", "_action": "add:"},
        {"_page": "household", "_action": "add:nope"},
        {"_page": "household", "_action": "goto:nowhere"},
        {"_page": "nowhere", "_action": "next"},
        {"_page": "*", "_action": "submit", "date_of_birth.day": "١٢",
         "date_of_birth.month": "x", "date_of_birth.year": "99999"},
        {"_page": "*", "_action": "submit", "members.99._row": "1", "rooms": "１２"},
        {"_page": "*", "_action": "submit", "floor_area": "1e400", "rooms": "NaN"},
        {"_page": "applicant", "_action": "", "_state": ""},
        {"_page": "household", "_action": "add:members", "_lang": "xx"},
    ]
    for data in odd:
        for path in (URL, f"{URL}/validate?field=rooms", f"{URL}/validate?field=members.0"):
            response = client.post(path, data=data)
            assert response.status_code < 500, (path, data)


def test_commune_list_without_javascript(client: FlaskClient) -> None:
    """Choose the province, press "Update the questions", pick the commune, send."""
    html = post(client, start(client), "applicant", **APPLICANT)
    assert "Choose the province or city first" in html
    assert 'id="f-address-commune_code-search"' not in html  # nothing to narrow yet
    group = html[html.index('id="f-address-province_code-group"'):]
    assert group.index('value="refresh"') < group.index('id="f-address-commune_code-group"')
    html = post(client, html, "residence", _action="refresh", **{"address.province_code": "01"})
    assert shown_errors(html) == []
    select = re.search(r'<select id="f-address-commune_code" name="address.commune_code">'
                       r"(.*?)</select>", html, re.S)
    assert select is not None
    assert len(re.findall("<option", select.group(1))) == 127
    assert '<option value="00004">Phường Ba Đình</option>' in select.group(1)
    assert '<label class="fe-label" for="f-address-commune_code">Commune or ward</label>' in html
    assert 'aria-controls="f-address-commune_code"' in html
    html = post(client, html, "residence", reason="own-home", **{
        "address.province_code": "01", "address.commune_code": "00004",
        "address.detail": "1 Hùng Vương"})
    html = post(client, html, "household", confirm="true")
    assert "Phường Ba Đình" in html  # check your answers shows the name, not the code
    data = accepted_data(post(client, html, None, _action="submit"))
    assert data["address"] == {"province_code": "01", "commune_code": "00004",
                               "detail": "1 Hùng Vương"}


def test_commune_of_another_province_inline_and_on_submit(client: FlaskClient) -> None:
    """The same message inline (htmx) and on Continue, on the commune, linked from the
    summary."""
    html = post(client, start(client), "applicant", **APPLICANT)
    fields = {"_state": form_state(html), "_page": "residence", "reason": "own-home",
              "address.province_code": "79", "address.commune_code": "00004",
              "address.detail": "1 Lê Lợi"}
    inline = client.post(URL + "/validate?field=address.commune_code", data=fields,
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert inline.startswith('<div class="fe-group fe-group--error" '
                             'id="f-address-commune_code-group"')
    assert shown_errors(inline) == [("/address/commune_code", "x-commune-of")]
    message = "Select commune or ward in the province or city you chose"
    assert message in inline
    assert 'aria-describedby="f-address-commune_code-error"' in inline
    html = client.post(URL, data=fields).get_data(as_text=True)
    assert shown_errors(html) == [("/address/commune_code", "x-commune-of")]
    assert html.count(message) == 2  # summary and inline
    assert 'href="#f-address-commune_code"' in html


def test_about_this_procedure_shows_fee_and_time(client: FlaskClient) -> None:
    html = client.get("/forms/example-temporary-absence?lang=en").get_data(as_text=True)
    assert "<dt>Fee</dt><dd>Free</dd>" in html
    assert "<dt>Expected processing time</dt><dd>1 working day</dd>" in html
