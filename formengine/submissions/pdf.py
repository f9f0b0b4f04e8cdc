"""The PDF of a submission: the receipt, the answers page by page, the signature (pure).

reportlab (BSD) lays it out; Source Sans Pro (SIL OFL 1.1, shipped by the PyPI package
``font-source-sans-pro``) is embedded as a subset, so Vietnamese prints with every diacritic
and nothing is read from the system or the network. The same view always gives the same
bytes (reportlab's ``invariant`` mode: no clock, no random document ID).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from io import BytesIO
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from formengine.config import LANGUAGES
from formengine.i18n import local_datetime, localize, translate

if TYPE_CHECKING:
    from formengine.rendering.pages import Section

FONT, BOLD, MONO = "FormengineSans", "FormengineSans-Bold", "Courier"
FONT_FILES = {FONT: "SourceSansPro-Regular.ttf", BOLD: "SourceSansPro-Bold.ttf"}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
#: The padding reportlab puts inside a page's frame (the text starts at MARGIN).
FRAME_PADDING = 6
BOTTOM = 22 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
INK, MUTED, RULE = colors.HexColor("#0b0c0c"), colors.HexColor("#505a5f"), colors.HexColor(
    "#b1b4b6")

_FONTS_LOCK = threading.Lock()
_fonts_registered = False

#: Characters a PDF text string cannot carry (C0 controls other than tab and newline).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ReceiptView:
    """Everything the PDF shows, already localized into ``lang``."""

    receipt: str
    procedure_id: str
    procedure_title: str
    version: str
    content_hash: str
    submitted_at: datetime
    agency: str | None
    processing_time: str | None
    #: (page title, [(question label, answer lines)])
    sections: Sequence[tuple[str, Sequence[tuple[str, Sequence[str]]]]]
    #: (question label, what the citizen reported)
    corrections: Sequence[tuple[str, str]]
    signature: str
    key_id: str
    lang: str


def summary_sections(
    sections: Sequence[Section], lang: str
) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """``ReceiptView.sections`` from ``rendering.pages.summary()`` (pages without answers left
    out)."""
    return [(localize(s.page.title, lang), [(row.label, list(row.lines)) for row in s.rows])
            for s in sections if s.rows]


def submission_pdf(view: ReceiptView) -> bytes:
    """The receipt of a submission as a PDF document (A4, numbered pages)."""
    if view.submitted_at.tzinfo is None or view.submitted_at.utcoffset() is None:
        raise ValueError("submitted_at must be timezone-aware")
    _register_fonts()
    lang = view.lang if view.lang in LANGUAGES else LANGUAGES[0]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN - FRAME_PADDING, rightMargin=MARGIN - FRAME_PADDING,
        topMargin=MARGIN, bottomMargin=BOTTOM, lang=lang, invariant=1,
        # Metadata: the procedure's title and nothing about the person.
        title=_clean(view.procedure_title), author="", subject="", keywords=[],
        creator="formengine", displayDocTitle=1, initialFontName=FONT, initialFontSize=10,
    )
    footer = _page_footer(view.receipt, lang)
    doc.build(_story(view, lang), canvasmaker=lambda *args, **kwargs: _NumberedCanvas(
        *args, footer=footer, **kwargs))
    return out.getvalue()


def _register_fonts() -> None:
    """Register the embedded fonts with reportlab (once per process, thread-safe)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _FONTS_LOCK:
        if not _fonts_registered:
            _load_fonts()
            _fonts_registered = True


def _load_fonts() -> None:
    files = resources.files("font_source_sans_pro") / "files"
    for name, file in FONT_FILES.items():
        with resources.as_file(files / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles (built once per process)."""
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13, textColor=INK)

    def style(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "title": style("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=8),
        "label": style("label", fontSize=9, leading=11, textColor=MUTED),
        "receipt": style("receipt", fontName=BOLD, fontSize=26, leading=30, spaceAfter=10),
        "key": style("key", fontName=BOLD, fontSize=9.5, leading=12.5),
        "value": base,
        "heading": style("heading", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=14,
                         spaceAfter=4),
        "small": style("small", fontSize=8, leading=10.5, textColor=MUTED),
        "small-key": style("small-key", fontName=BOLD, fontSize=8, leading=10.5,
                           textColor=MUTED),
        "mono": style("mono", fontName=MONO, fontSize=7, leading=9, textColor=MUTED),
    }


def _clean(text: str) -> str:
    """``text`` in NFC (precomposed letters, which the font has), without control
    characters."""
    return _CONTROLS.sub("", unicodedata.normalize("NFC", text))


def _markup(text: str) -> str:
    """``text`` as paragraph markup: escaped, newlines kept."""
    return escape(_clean(text)).replace("\n", "<br/>")


def _para(text: str, style: str) -> Paragraph:
    return Paragraph(_markup(text), _styles()[style])


def _rows(rows: Sequence[tuple[Flowable, Flowable]], key_width: float, *,
          rules: bool = True, padding: float = 4) -> Table:
    """Two columns, key and value, that split between pages (inside a row too)."""
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 8),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 1),
    ]
    if rules:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE))
    return Table([list(row) for row in rows], colWidths=[key_width, WIDTH - key_width],
                 style=TableStyle(commands), hAlign="LEFT", splitInRow=36)


def _story(view: ReceiptView, lang: str) -> list[Flowable]:
    """The flowables of the document, top to bottom."""
    story: list[Flowable] = [
        _para(view.procedure_title, "title"),
        _para(translate(lang, "Receipt number"), "label"),
        _para(view.receipt, "receipt"),
    ]
    facts = [(translate(lang, "Sent on"), local_datetime(view.submitted_at, lang))]
    if view.agency:
        facts.append((translate(lang, "Handled by"), view.agency))
    if view.processing_time:
        facts.append((translate(lang, "Expected processing time"), view.processing_time))
    story.append(_rows([(_para(k, "key"), _para(v, "value")) for k, v in facts], 0.3 * WIDTH,
                       rules=False, padding=1.5))
    for title, rows in view.sections:
        story += _section(title, [(label, "\n".join(lines)) for label, lines in rows])
    if view.corrections:
        reported = translate(lang, "You reported that this is wrong:")
        story += _section(translate(lang, "What you reported as wrong"),
                          [(label, f"{reported} {text}") for label, text in view.corrections])
    story.append(Spacer(1, 8 * mm))
    story.append(KeepTogether(_signature_block(view, lang)))
    return story


def _section(title: str, rows: Sequence[tuple[str, str]]) -> list[Flowable]:
    """A heading and its question/answer rows; the heading never ends a page alone."""
    if not rows:
        return []
    cells = [(_para(label, "key"), _para(answer, "value")) for label, answer in rows]
    first = [_para(title, "heading"), _rows(cells[:1], 0.38 * WIDTH)]
    rest = [_rows(cells[1:], 0.38 * WIDTH)] if len(cells) > 1 else []
    return [KeepTogether(first), *rest]


def _signature_block(view: ReceiptView, lang: str) -> list[Flowable]:
    """Procedure, version, content hash, key and signature, and how to check them."""
    command = f"formengine verify {_clean(view.receipt)}"
    sentence = escape(translate(
        lang, "This record is signed by the service. Anyone can check it with %(command)s.",
        command="\ufffc")).replace("\ufffc", f'<font face="{MONO}">{escape(command)}</font>')
    facts = [
        (translate(lang, "Procedure"), view.procedure_id, "small"),
        (translate(lang, "Form version"), view.version, "small"),
        (translate(lang, "Content hash"), view.content_hash, "mono"),
        (translate(lang, "Signature key"), view.key_id, "mono"),
        (translate(lang, "Signature"), view.signature, "mono"),
    ]
    rows = [(_para(k, "small-key"), _para(v, style)) for k, v, style in facts]
    return [
        HRFlowable(width="100%", thickness=0.5, color=RULE, spaceAfter=3 * mm),
        Paragraph(sentence, _styles()["small"]),
        Spacer(1, 2 * mm),
        _rows(rows, 0.22 * WIDTH, rules=False, padding=0.5),
    ]


def _page_footer(receipt: str, lang: str) -> Callable[[Canvas, int, int], None]:
    """Draws the receipt number and "page n of total" at the foot of a page."""
    left = f"{translate(lang, 'Receipt number')} {_clean(receipt)}"

    def draw(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 10 * mm, left)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm,
                               translate(lang, "Page %(n)s of %(total)s", n=number, total=total))
        canvas.restoreState()

    return draw


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that keeps its pages until the end, when it knows how many there are, and
    then draws each page's footer."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()
