"""Tests for formengine.validation.messages (the words a citizen reads for an error).

English only here: other languages come from the catalogues (tested with i18n).
"""

from __future__ import annotations

from typing import Any

import pytest

from formengine.validation.messages import engine_message, lower_first, message

TEXT = {"type": "string"}
CHOICE = {"type": "string", "oneOf": [{"const": "a"}, {"const": "b"}]}
DATE = {"type": "string", "format": "date"}


def en(keyword: str, node: dict[str, Any], label: str = "Full name", value: Any = None,
       detail: str = "") -> str:
    """The English message for ``keyword`` on ``node``."""
    return message("en", keyword, node, label, value, detail)


@pytest.mark.parametrize(
    ("label", "lowered"),
    [
        ("Full name", "full name"),
        ("Email address", "email address"),
        ("CCCD number", "CCCD number"),
        ("ID", "ID"),
        ("X", "x"),
        ("", ""),
        ("Địa chỉ", "địa chỉ"),
    ],
)
def test_lower_first(label: str, lowered: str) -> None:
    assert lower_first(label) == lowered


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (TEXT, "Enter full name"),
        ({"type": "object"}, "Enter full name"),
        (CHOICE, "Select full name"),
        ({"enum": ["a"]}, "Select full name"),
        ({"type": "string", "x-widget": "select"}, "Select full name"),
        ({"type": "boolean"}, "Select full name"),
        ({"type": "array", "items": {"type": "object"}}, "Add full name"),
        ({"type": "boolean", "const": True}, "Tick the box to confirm: Full name"),
        ({"type": "boolean", "x-widget": "consent"}, "Tick the box to confirm: Full name"),
    ],
)
def test_required(node: dict[str, Any], text: str) -> None:
    assert en("required", node) == text
    assert en("dependentRequired", node) == text


def test_required_keeps_acronyms() -> None:
    assert en("required", TEXT, "CCCD number") == "Enter CCCD number"


def test_consent_const() -> None:
    node = {"type": "boolean", "const": True}
    assert en("const", node, "I agree", False) == "Tick the box to confirm: I agree"


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf", "enum", "const"])
def test_choice_message(keyword: str) -> None:
    assert en(keyword, CHOICE, "Sex", "z") == "Select sex from the options"


@pytest.mark.parametrize(
    ("node", "text"),
    [
        ({"type": "integer"}, "Age must be a whole number"),
        ({"type": "number"}, "Age must be a number"),
        (TEXT, "Enter age in the correct format"),
    ],
)
def test_type(node: dict[str, Any], text: str) -> None:
    assert en("type", node, "Age", "abc") == text


@pytest.mark.parametrize(
    ("keyword", "limit", "text"),
    [
        ("minLength", 2, "Name must be 2 characters or more"),
        ("maxLength", 100, "Name must be 100 characters or fewer"),
        ("minimum", 8, "Name must be 8 or more"),
        ("maximum", 10000, "Name must be 10000 or less"),
        ("exclusiveMinimum", 0, "Name must be more than 0"),
        ("exclusiveMaximum", 1.5, "Name must be less than 1.5"),
        ("multipleOf", 0.5, "Name must be a multiple of 0.5"),
        ("minItems", 1, "Name: add at least 1"),
        ("maxItems", 8, "Name: add no more than 8"),
    ],
)
def test_limits(keyword: str, limit: int | float, text: str) -> None:
    assert en(keyword, {keyword: limit}, "Name", None) == text


def test_other_keywords() -> None:
    assert en("pattern", TEXT, "Postcode", "x") == "Enter postcode in the correct format"
    assert en("uniqueItems", {}, "Documents", []) == "Documents: each answer must be different"
    assert en("unevaluatedProperties", {}, "Form", {}) == (
        "Form contains answers that are not part of this form")
    assert en("additionalProperties", {}, "Address", {}) == (
        "Address contains answers that are not part of this form")
    assert en("not", {}, "Thing", 1) == "Thing is not valid"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1990--5", "Date of birth must include a month"),
        ("1990-3-", "Date of birth must include a day"),
        ("-3-5", "Date of birth must include a year"),
        ("--", "Date of birth must include a day"),
        ("90-3-5", "Year must include 4 numbers"),
        ("19900-03-05", "Year must include 4 numbers"),
        ("1990-02-30", "Date of birth must be a real date"),
        ("1990-13-x", "Date of birth must be a real date"),
        ("yesterday", "Date of birth must be a real date"),
    ],
)
def test_date_messages(value: str, text: str) -> None:
    assert en("format", DATE, "Date of birth", value) == text


@pytest.mark.parametrize(
    ("node", "value", "text"),
    [
        ({"format": "email"}, "a@", "Enter an email address in the correct format, like "
                                    "name@example.com"),
        ({"format": "vn-phone"}, "12", "Enter a phone number, like 0912 345 678 or "
                                       "+84 912 345 678"),
        ({"format": "vn-personal-id"}, "123", "Enter a personal identification number of "
                                              "12 digits"),
        ({"format": "vn-personal-id"}, 123, "Enter a personal identification number of "
                                            "12 digits"),
        ({"format": "ipv4"}, "x", "Enter server address in the correct format"),
    ],
)
def test_format_messages(node: dict[str, Any], value: Any, text: str) -> None:
    assert en("format", node, "Server address", value) == text


def test_personal_id_mismatch_messages() -> None:
    assert en("x-personal-id-check", TEXT, "ID", "x", "sex") == (
        "The personal identification number does not match the sex given")
    assert en("x-personal-id-check", TEXT, "ID", "x", "date_of_birth") == (
        "The personal identification number does not match the date of birth given")


OVERRIDDEN: dict[str, Any] = {
    "type": "string",
    "format": "vn-personal-id",
    "x-error-messages": {
        "required": "Nhập số CCCD",
        "format": {"vi": "Sai định dạng", "en": "Wrong format", "fr": "Format incorrect"},
        "x-personal-id-check/sex": {"vi": "Sai giới tính", "en": "Wrong sex"},
    },
}


def test_override_by_keyword_localized() -> None:
    assert message("en", "format", OVERRIDDEN, "ID", "1") == "Wrong format"
    assert message("fr", "format", OVERRIDDEN, "ID", "1") == "Format incorrect"
    assert message("vi", "format", OVERRIDDEN, "ID", "1") == "Sai định dạng"


def test_override_plain_string_is_used_in_every_language() -> None:
    assert message("en", "required", OVERRIDDEN, "ID", None) == "Nhập số CCCD"


def test_override_by_keyword_and_detail() -> None:
    assert message("en", "x-personal-id-check", OVERRIDDEN, "ID", "x", "sex") == "Wrong sex"
    assert message("fr", "x-personal-id-check", OVERRIDDEN, "ID", "x", "sex") == "Sai giới tính"
    # no override for this detail: the engine's message
    assert message("en", "x-personal-id-check", OVERRIDDEN, "ID", "x", "date_of_birth") == (
        "The personal identification number does not match the date of birth given")


def test_no_override_for_other_keywords() -> None:
    assert message("en", "maxLength", {**OVERRIDDEN, "maxLength": 12}, "ID", "x") == (
        "ID must be 12 characters or fewer")


def test_engine_message_ignores_overrides() -> None:
    assert engine_message("en", "format", OVERRIDDEN, "ID", "1") == (
        "Enter a personal identification number of 12 digits")
