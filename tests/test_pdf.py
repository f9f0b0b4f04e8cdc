"""Tests for formengine.submissions.pdf (the PDF of a submission), read back with pypdf."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from formengine.definitions.model import Page
from formengine.rendering.pages import Row, Section
from formengine.submissions.pdf import (
    ReceiptView,
    submission_pdf,
    summary_sections,
)

SIGNATURE = ("q0Jl4y0xq5Yb0V4q1vYtU2k9pQ3gkJm6nQ2r9Z8w1cXk3yY7mR0aB4sT6uV8wX0yZ1a2b3c4d5e6f7g8h9i0j"
             "A==")
HASH = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def make_view(lang: str = "vi", answers: int = 6, **changes: Any) -> ReceiptView:
    """A receipt with ``answers`` answers, ten to a section."""
    rows = [(f"Câu hỏi {i}", [f"Trả lời {i}"]) for i in range(answers)]
    rows[:3] = [("Họ và tên", ["Nguyễn Thị Hương"]),
                ("Thủ tục", ["Đăng ký thường trú"]),
                ("Địa chỉ", ["Buôn Ơ-đu", "ỹ ự ằ"])][:len(rows)]
    sections = [(f"Phần {n + 1}", rows[start:start + 10])
                for n, start in enumerate(range(0, answers, 10))]
    view = ReceiptView(
        receipt="K7QM-2XHD", procedure_id="residence-registration",
        procedure_title="Đăng ký thường trú", version="2025.1", content_hash=HASH,
        submitted_at=datetime(2026, 3, 5, 7, 30, tzinfo=UTC), agency="Công an xã Ơ-đu",
        processing_time="5 ngày làm việc", sections=sections, corrections=[],
        signature=SIGNATURE, key_id="ed25519:2026-01", lang=lang)
    return replace(view, **changes)


def pages(data: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def text(data: bytes) -> str:
    return "\n".join(pages(data))


def test_the_output_is_a_pdf() -> None:
    data = submission_pdf(make_view())
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(BytesIO(data)).pages) == 1


def test_vietnamese_text_is_intact() -> None:
    content = text(submission_pdf(make_view()))
    for phrase in ("Nguyễn Thị Hương", "Đăng ký thường trú", "Ơ-đu", "ỹ ự ằ",
                   "Công an xã Ơ-đu", "5 ngày làm việc"):
        assert phrase in content


def test_decomposed_text_prints_as_precomposed_letters() -> None:
    name = unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh")
    view = make_view(sections=[("Người khai", [("Họ và tên", [name])])])
    assert "Trần Thị Ngọc Ánh" in text(submission_pdf(view))


def test_the_font_is_embedded() -> None:
    reader = PdfReader(BytesIO(submission_pdf(make_view())))
    fonts: Any = reader.pages[0]["/Resources"]
    fonts = fonts["/Font"]
    embedded = [font.get_object() for font in fonts.values()
                if "SourceSansPro" in str(font.get_object()["/BaseFont"])]
    assert len(embedded) == 2  # regular and bold
    for font in embedded:
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


@pytest.mark.parametrize(("lang", "labels"), [
    ("vi", ["Mã hồ sơ", "Ngày gửi", "Cơ quan thực hiện", "Thời hạn giải quyết dự kiến",
            "Trang 1/1", "05/03/2026 14:30", "Khóa chữ ký", "Chữ ký"]),
    ("en", ["Receipt number", "Sent on", "Handled by", "Expected processing time",
            "Page 1 of 1", "5 Mar 2026, 14:30", "Signature key", "Signature"]),
    ("fr", ["Numéro de récépissé", "Envoyée le", "Traité par", "Délai de traitement prévu",
            "Page 1 sur 1", "5 mars 2026, 14:30", "Clé de signature", "Signature"]),
])
def test_labels_in_each_language(lang: str, labels: list[str]) -> None:
    content = text(submission_pdf(make_view(lang)))
    for label in labels:
        assert label in content
    assert "K7QM-2XHD" in content


def test_the_header() -> None:
    first = pages(submission_pdf(make_view("en")))[0].splitlines()
    assert first[:3] == ["Đăng ký thường trú", "Receipt number", "K7QM-2XHD"]


def test_agency_and_processing_time_are_optional() -> None:
    content = text(submission_pdf(make_view("en", agency=None, processing_time=None)))
    assert "Handled by" not in content
    assert "Expected processing time" not in content
    assert "Sent on" in content


def test_the_time_sent_is_vietnam_time() -> None:
    evening = datetime(2026, 3, 5, 20, 15, tzinfo=UTC)
    assert "06/03/2026 03:15" in text(submission_pdf(make_view(submitted_at=evening)))
    paris = evening.astimezone(timezone(timedelta(hours=1)))
    assert "6 Mar 2026, 03:15" in text(submission_pdf(make_view("en", submitted_at=paris)))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        submission_pdf(make_view(submitted_at=datetime(2026, 3, 5, 7, 30)))


def test_many_answers_make_numbered_pages() -> None:
    texts = pages(submission_pdf(make_view("vi", answers=150)))
    total = len(texts)
    assert total >= 3
    for number, page in enumerate(texts, 1):
        assert f"Trang {number}/{total}" in page
        assert "K7QM-2XHD" in page
    content = "\n".join(texts)
    assert all(f"Trả lời {i}" in content for i in range(3, 150))


def test_long_answers_wrap() -> None:
    prose = "Nhà ở thuộc sở hữu của người thân, ở cùng từ năm 2010. " * 60
    token = "W" * 400  # a letter found nowhere else in the document
    view = make_view("en", sections=[("Nơi ở", [("Ghi chú", [prose]), ("Mã", [token]),
                                                 ("Nhiều dòng", ["dòng một\ndòng hai"])])])
    content = text(submission_pdf(view))
    squeezed = "".join(content.split())
    assert "".join(prose.split()) in squeezed
    assert squeezed.count("W") == len(token)  # split between lines, perhaps between pages
    assert "dòng một\ndòng hai" in content
    assert max(len(line) for line in content.splitlines()) < 140


def test_answers_are_text_not_markup() -> None:
    view = make_view("en", sections=[("S", [("Q <b>", ["<b>bold</b> & <br/> \x07bell"])])])
    content = text(submission_pdf(view))
    assert "Q <b>" in content
    assert "<b>bold</b> & <br/> bell" in content


def test_corrections_appear() -> None:
    corrections = [("Ngày sinh", "Tôi sinh ngày 03/02/1990")]
    vi = text(submission_pdf(make_view("vi", corrections=corrections)))
    assert "Thông tin bạn đã báo chưa đúng" in vi
    assert "Bạn đã báo thông tin này chưa đúng: Tôi sinh ngày 03/02/1990" in vi
    en = text(submission_pdf(make_view("en", corrections=corrections)))
    assert "You reported that this is wrong: Tôi sinh ngày 03/02/1990" in en
    assert "What you reported as wrong" not in text(submission_pdf(make_view("en")))


def test_the_signature_block() -> None:
    content = text(submission_pdf(make_view("en")))
    squeezed = "".join(content.split())
    for value in ("residence-registration", "2025.1", HASH, "ed25519:2026-01", SIGNATURE):
        assert value in squeezed
    assert "This record is signed by the service" in content
    assert "formengine verify K7QM-2XHD" in content
    vi = text(submission_pdf(make_view("vi")))
    assert "bằng lệnh formengine verify K7QM-2XHD" in vi


def test_metadata_has_the_title_and_language_only() -> None:
    reader = PdfReader(BytesIO(submission_pdf(make_view("fr", corrections=[("A", "B")]))))
    info = {key: str(value) for key, value in (reader.metadata or {}).items()}
    assert info["/Title"] == "Đăng ký thường trú"
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    others = " ".join(value for key, value in info.items() if key != "/Title")
    for personal in ("Nguyễn", "Hương", "K7QM", "Ơ-đu", SIGNATURE[:10]):
        assert personal not in others
    assert info["/Author"] == "" and info["/Subject"] == "" and info["/Keywords"] == ""
    assert reader.xmp_metadata is None


def test_same_view_same_bytes() -> None:
    view = make_view("vi", answers=40, corrections=[("Ngày sinh", "03/02/1990")])
    first = submission_pdf(view)
    assert submission_pdf(view) == first
    assert submission_pdf(replace(view, receipt="K7QM-2XHE")) != first


def test_same_bytes_in_another_process() -> None:
    script = ("import hashlib, sys; from tests.test_pdf import make_view; "
              "from formengine.submissions.pdf import submission_pdf; "
              "sys.stdout.write(hashlib.sha256(submission_pdf(make_view('en', 25))).hexdigest())")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout
    assert other == hashlib.sha256(submission_pdf(make_view("en", 25))).hexdigest()


def test_summary_sections() -> None:
    shown = Section(Page("who", {"vi": "Người khai", "en": "Applicant"}, ("/name",)),
                    [Row("Họ và tên", "Nguyễn Thị Hương", "/name", ["Nguyễn Thị Hương"])])
    empty = Section(Page("more", "Khác", ("/x",)), [])
    assert summary_sections([shown, empty], "en") == [
        ("Applicant", [("Họ và tên", ["Nguyễn Thị Hương"])])]


def test_a_long_section_starts_on_the_first_page() -> None:
    rows = [(f"Câu hỏi {i}", [f"Trả lời {i}"]) for i in range(60)]
    first, *_rest = pages(submission_pdf(make_view(sections=[("Một trang dài", rows)])))
    assert "Một trang dài" in first
    assert "Trả lời 10" in first
