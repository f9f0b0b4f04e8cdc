"""Definitions are data from designers: every text they hold is shown escaped, never run.

A definition whose title, description, labels, option labels, help, placeholder, error
message, agency, declaration and documents contain HTML and ``<script>`` is rendered on the
form page, the check page, the done page, the receipt and the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

EVIL = '<script>alert("x")</script><b onmouseover="alert(1)">'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def evil(label: str) -> str:
    return f"{label} {EVIL}"


def definition() -> dict[str, Any]:
    """A definition with HTML and scripts in every kind of text."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-procedure": {"id": "evil", "version": "1", "title": evil("Thủ tục"),
                        "agency": evil("Cơ quan"), "declaration": evil("Cam đoan"),
                        "documents_replaced": [evil("Giấy")]},
        "x-layout": {"pages": [{"id": "p", "title": evil("Trang"),
                                "description": evil("Mô tả trang"),
                                "fields": ["/name", "/kind"]}]},
        "type": "object",
        "properties": {
            "name": {"type": "string", "title": evil("Tên"), "x-help": evil("Gợi ý"),
                     "x-placeholder": evil("Ví dụ"), "minLength": 3,
                     "x-error-messages": {"minLength": evil("Quá ngắn")}},
            "kind": {"type": "string", "title": evil("Loại"), "description": evil("Chọn"),
                     "oneOf": [{"const": "a", "title": evil("Lựa chọn A")},
                               {"const": "b", "title": evil("Lựa chọn B")}]},
        },
        "required": ["name", "kind"],
    }


def assert_inert(html: str) -> None:
    """No script or handler from the definition made it into ``html`` unescaped."""
    assert "<script>" not in html and 'onmouseover="alert' not in html
    assert "<b onmouseover" not in html


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(definition())


def test_form_page_and_errors(app: Flask) -> None:
    client = app.test_client()
    html = client.get("/forms/evil").get_data(as_text=True)
    assert_inert(html)
    assert html.count(ESCAPED) >= 6  # title, page, description, labels, help, options
    errors = client.post("/forms/evil", data={"_page": "p", "name": "ab", "kind": "a"})
    assert_inert(errors.get_data(as_text=True))
    assert "Quá ngắn &lt;script&gt;" in errors.get_data(as_text=True)


def test_check_done_receipt_and_catalogue(app: Flask) -> None:
    client = app.test_client()
    answers = {"_page": "p", "name": "Lan <script>alert(2)</script>", "kind": "a"}
    check = client.post("/forms/evil", data=answers).get_data(as_text=True)
    assert "Check your answers" in check or "Kiểm tra" in check
    assert_inert(check)
    assert "Lựa chọn A " + ESCAPED in check
    done = client.post("/forms/evil", data={**answers, "_page": "*", "_action": "submit"})
    assert done.status_code == 200
    html = done.get_data(as_text=True)
    assert_inert(html)
    receipt = next(part.split('"')[0] for part in html.split('href="/submissions/')[1:]
                   if not part.startswith('"'))
    page = client.get(f"/submissions/{receipt.removesuffix('.pdf')}")
    assert page.status_code == 200
    assert_inert(page.get_data(as_text=True))
    assert ESCAPED in page.get_data(as_text=True)
    for url in ("/", "/?q=Thu+tuc", "/submissions"):
        listed = client.get(url).get_data(as_text=True)
        assert_inert(listed)
        assert ESCAPED in listed, url
