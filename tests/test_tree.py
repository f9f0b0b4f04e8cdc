"""Tests for formengine.rendering.tree (the field tree a page shows)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from formengine.config import PROJECT_ROOT
from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition
from formengine.rendering.tree import Field, html_id, page_fields, page_title
from formengine.validation.coerce import encode
from formengine.validation.report import FieldError

EXAMPLE = PROJECT_ROOT / "form_definitions" / "example-residence-registration.json"


@pytest.fixture(scope="module")
def example() -> FormDefinition:
    """The bundled example definition."""
    return load_definition(EXAMPLE)


def build(definition: FormDefinition, page: str, data: dict[str, Any] | None = None,
          formdata: MultiDict[str, str] | None = None,
          errors: dict[str, FieldError] | None = None, lang: str = "en") -> list[Field]:
    """The fields of ``page`` for ``data`` (posted back as ``formdata``, default: encoded)."""
    data = data or {}
    if formdata is None:
        formdata = encode(definition.schema, data)
    found = definition.page(page)
    assert found is not None
    return page_fields(definition, found.fields, data, formdata, errors or {}, lang)


def by_name(fields: list[Field]) -> dict[str, Field]:
    """Every node of ``fields`` by its field name."""
    return {node.name: node for top in fields for node in top.walk()}


def test_html_id() -> None:
    assert html_id("members.0.name") == "f-members-0-name"
    assert html_id("phone") == "f-phone"


def test_page_title(example: FormDefinition) -> None:
    assert page_title(example, "residence", "en") == "Where you will live"
    assert page_title(example, "residence", "vi") == "Nơi đăng ký thường trú"
    assert page_title(example, "nope", "en") == "Example: Permanent residence registration"


def test_applicant_page_fields_labels_and_required(example: FormDefinition) -> None:
    fields = build(example, "applicant")
    assert [f.name for f in fields] == ["full_name", "personal_id", "date_of_birth", "sex",
                                        "phone", "email", "household"]
    assert [f.widget for f in fields] == ["fieldset", "text", "date", "radios", "tel", "email",
                                          "rows"]
    assert [f.label for f in fields] == ["Full name", "Personal identification number",
                                         "Date of birth", "Sex", "Phone number",
                                         "Email address", "Members of your household"]
    assert [f.required for f in fields] == [True, True, True, True, False, False, False]
    name = fields[0]
    assert [c.name for c in name.children] == ["full_name.family",
                                               "full_name.middle", "full_name.given"]
    assert [c.required for c in name.children] == [True, False, True]
    assert name.hint == "As written on your identity documents."
    assert [o.label for o in fields[3].options] == ["Male", "Female"]


def test_labels_in_vietnamese(example: FormDefinition) -> None:
    fields = build(example, "applicant", lang="vi")
    assert fields[2].label == "Ngày, tháng, năm sinh"
    assert fields[2].hint == "Ví dụ 27 3 1990"
    assert [o.label for o in fields[3].options] == ["Nam", "Nữ"]


def test_component_order_follows_x_order(example: FormDefinition) -> None:
    address = build(example, "residence")[0]
    assert [c.name for c in address.children] == [
        "address.province_code", "address.commune_code", "address.detail"]


def test_conditional_fields_and_required(example: FormDefinition) -> None:
    names = [f.name for f in build(example, "residence")]
    assert names == ["address", "reason", "floor_area", "rooms"]
    fields = by_name(build(example, "residence", {"reason": "move"}))
    assert fields["previous_address"].required
    assert fields["previous_address"].label == "Previous permanent address"
    assert "owner_name" not in fields
    fields = by_name(build(example, "residence", {"reason": "rented"}))
    assert "previous_address" not in fields
    assert fields["owner_name"].required and fields["owner_consent"].required
    assert [o.label for o in fields["owner_consent"].options] == ["Yes", "No"]


def test_dependent_required_shows_only_when_the_key_is_present(example: FormDefinition) -> None:
    assert not by_name(build(example, "residence"))["rooms"].required
    assert by_name(build(example, "residence", {"floor_area": 20}))["rooms"].required


def test_controlling_flags(example: FormDefinition) -> None:
    fields = by_name(build(example, "residence"))
    assert fields["reason"].controlling
    assert fields["floor_area"].controlling  # dependentRequired key
    assert not fields["rooms"].controlling
    assert not fields["address"].controlling


def test_rows_with_add_and_remove(tmp_path: Path) -> None:
    document = {
        "x-procedure": {"id": "rows-form", "version": "1", "title": "Rows"},
        "type": "object",
        "properties": {"kids": {
            "type": "array", "title": "Con", "minItems": 1, "maxItems": 2,
            "items": {"type": "object", "title": "Con", "x-i18n": {"en": {"title": "Child"}},
                      "properties": {"name": {"type": "string", "title": "Tên"}},
                      "required": ["name"]},
        }},
        "required": ["kids"],
    }
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    definition = load_definition(path)
    [kids] = build(definition, "form", {"kids": [{}]})
    assert kids.widget == "rows"
    assert kids.can_add
    assert [(r.name, r.label, r.index, r.can_remove) for r in kids.children] == [
        ("kids.0", "Child 1", 0, False)]
    assert kids.children[0].children[0].name == "kids.0.name"
    assert kids.children[0].children[0].required
    [kids] = build(definition, "form", {"kids": [{"name": "A"}, {}]})
    assert not kids.can_add
    assert [r.can_remove for r in kids.children] == [True, True]
    assert kids.item_label == "Child"
    assert kids.anchor == "f-kids-0-name"
    assert kids.children[1].anchor == "f-kids-1-name"  # a row's error links to its first input
    [kids] = build(definition, "form", {})
    assert kids.children == []
    assert kids.anchor == "f-kids"


def test_example_members_max_items(example: FormDefinition) -> None:
    members = by_name(build(example, "household", {"members": [{} for _ in range(7)]}))["members"]
    assert members.can_add and len(members.children) == 7
    members = by_name(build(example, "household", {"members": [{} for _ in range(8)]}))["members"]
    assert not members.can_add
    assert all(r.can_remove for r in members.children)
    assert members.children[7].children[0].name == "members.7.name"


def test_anchors(example: FormDefinition) -> None:
    fields = by_name(build(example, "applicant"))
    assert fields["date_of_birth"].anchor == "f-date_of_birth-day"
    assert fields["sex"].anchor == "f-sex-0"
    assert fields["sex"].options[0].id == "f-sex-0"
    assert fields["full_name"].anchor == "f-full_name-family"
    assert fields["phone"].anchor == "f-phone"
    household = by_name(build(example, "household"))
    assert household["documents_held"].anchor == "f-documents_held-0"
    assert household["confirm"].anchor == "f-confirm"


def test_described_by(example: FormDefinition) -> None:
    errors = {
        "/phone": FieldError("/phone", "format", "Enter a phone number"),
        "/email": FieldError("/email", "format", "Enter an email address"),
    }
    fields = by_name(build(example, "applicant", errors=errors))
    assert fields["phone"].described_by == "f-phone-hint f-phone-error"
    assert fields["phone"].error == "Enter a phone number"
    assert fields["phone"].error_keyword == "format"
    assert fields["email"].described_by == "f-email-error"
    assert fields["personal_id"].described_by == "f-personal_id-hint"
    assert fields["sex"].described_by == ""
    assert fields["sex"].error is None


def test_errors_on_nested_fields_and_rows(example: FormDefinition) -> None:
    errors = {
        "/full_name/given": FieldError("/full_name/given", "required", "Enter"),
        "/members/0": FieldError("/members/0", "unevaluatedProperties", "Row"),
    }
    fields = by_name(build(example, "applicant", errors=errors))
    assert fields["full_name.given"].error == "Enter"
    assert fields["full_name"].error is None
    members = by_name(build(example, "household", {"members": [{}]}, errors=errors))
    assert members["members.0"].error == "Row"
    assert members["members.0"].error_keyword == "unevaluatedProperties"


def test_values_shown_exactly_as_typed(example: FormDefinition) -> None:
    formdata = MultiDict([
        ("floor_area", " 12,5 m2 "),
        ("rooms", "three"),
        ("address.detail", '<b>"Phường" & co</b>'),
        ("address.province_code", "79"),
        ("reason", "rented"),
        ("owner_consent", "true"),
    ])
    data = {"floor_area": "12,5 m2", "rooms": "three", "reason": "rented",
            "address": {"detail": '<b>"Phường" & co</b>', "province_code": "79"},
            "owner_consent": True}
    fields = by_name(build(example, "residence", data, formdata))
    assert fields["floor_area"].input.data == " 12,5 m2 "
    assert 'value=" 12,5 m2 "' in str(fields["floor_area"].input())
    assert 'value="three"' in str(fields["rooms"].input())
    detail = str(fields["address.detail"].input())
    assert "&lt;b&gt;&#34;Phường&#34; &amp; co&lt;/b&gt;" in detail
    assert "<b>" not in detail
    assert '<option selected value="79">' in str(fields["address.province_code"].input())
    assert [o.checked for o in fields["reason"].options] == [False, False, True]
    assert [o.checked for o in fields["owner_consent"].options] == [True, False]


def test_input_attributes(example: FormDefinition) -> None:
    fields = by_name(build(example, "residence"))
    assert fields["floor_area"].attrs["inputmode"] == "decimal"
    assert fields["rooms"].attrs["inputmode"] == "numeric"
    assert "fe-width-5" in fields["floor_area"].attrs["class"]
    assert fields["address.detail"].attrs["autocomplete"] == "address-line1"
    assert fields["address.detail"].attrs["maxlength"] == 200
    applicant = by_name(build(example, "applicant"))
    assert applicant["personal_id"].attrs["inputmode"] == "numeric"
    assert applicant["personal_id"].attrs["spellcheck"] == "false"


def test_date_parts_and_consent_as_typed(example: FormDefinition) -> None:
    formdata = MultiDict([("date_of_birth.day", "31"), ("date_of_birth.month", "02"),
                          ("date_of_birth.year", "19x0")])
    fields = by_name(build(example, "applicant", {"date_of_birth": "19x0-02-31"}, formdata))
    assert fields["date_of_birth"].parts == {"day": "31", "month": "02", "year": "19x0"}
    assert fields["date_of_birth"].attrs["autocomplete"] == "bday"
    household = by_name(build(example, "household", {"confirm": True},
                              MultiDict([("confirm", "true")])))
    assert household["confirm"].widget == "consent"
    assert household["confirm"].attrs["checked"] is True
    household = by_name(build(example, "household"))
    assert household["confirm"].attrs["checked"] is False


def test_select_placeholder_and_options(example: FormDefinition) -> None:
    members = by_name(build(example, "household", {"members": [{}]}))
    relationship = members["members.0.relationship"]
    assert relationship.widget == "select"
    html = str(relationship.input())
    assert '><option value="">Select an option</option><option value="spouse">' in html
    assert "selected" not in html
    assert '<option value="spouse">Spouse</option>' in html
    assert members["members.0.date_of_birth"].attrs["autocomplete"] == "off"
