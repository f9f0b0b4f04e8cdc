"""Measure the PDF of a submission beside a floor: reportlab drawing one line of text.

    python bench/pdf.py [--lang vi] [--rounds 200] [--output PATH]

The view is the receipt of the benchmark form (bench/definitions/forty-fields.json) answered
with its 40-field instance, through ``rendering.pages.summary`` as the receipt page will
build it, plus one reported correction. Times the first call in this process (fonts, styles
and catalogues loaded), then the median and p95 of ``submission_pdf`` beside the floor, a
reportlab canvas with the same embedded font drawing one line and saving the document (what
any PDF from this library costs). Paired figures are taken in alternating chunks so load
from elsewhere hits both. Prints a table and writes bench/results/pdf.json (git-ignored).
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT)]

import reportlab  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from formengine.definitions import load_definition  # noqa: E402
from formengine.i18n import localize  # noqa: E402
from formengine.rendering.pages import summary  # noqa: E402
from formengine.submissions import pdf  # noqa: E402

DEFINITION = BENCH / "definitions" / "forty-fields.json"
INSTANCE = BENCH / "definitions" / "forty-fields.instance.json"
RESULTS = BENCH / "results" / "pdf.json"
TARGET_MS = 100.0


def receipt_view(lang: str) -> pdf.ReceiptView:
    """The receipt of the 40-field benchmark form, answered in full."""
    definition = load_definition(DEFINITION)
    data = json.loads(INSTANCE.read_text(encoding="utf-8"))
    sections = pdf.summary_sections(summary(definition, data, lang), lang)
    first_label = sections[0][1][0][0]
    return pdf.ReceiptView(
        receipt="K7QM-2XHD", procedure_id=definition.id,
        procedure_title=localize(definition.procedure["title"], lang),
        version=definition.version, content_hash=definition.content_hash,
        submitted_at=datetime(2026, 3, 5, 7, 30, tzinfo=UTC),
        agency=localize(definition.procedure.get("agency"), lang) or None,
        processing_time="5 ngày làm việc", sections=sections,
        corrections=[(first_label, "Nguyễn Thị Hương, không phải Nguyễn Thị Hường")],
        signature="q0Jl4y0xq5Yb0V4q1vYtU2k9pQ3gkJm6nQ2r9Z8w1cXk3yY7mR0aB4sT6uV8wX0yZ1a2b3c4d5e6f7g8h9"
                  "i0jA==",
        key_id="ed25519:2026-01", lang=lang)


def one_line() -> bytes:
    """The floor: a one-page document with one line in the same embedded font."""
    out = BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont(pdf.FONT, 10)
    canvas.drawString(72, 720, "Đăng ký thường trú")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def stats(samples: list[float]) -> dict[str, float]:
    """Median and p95 in milliseconds of samples in seconds."""
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered) * 1e3,
            "p95_ms": ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1e3,
            "count": len(ordered)}


def interleaved(probes: dict[str, Callable[[], object]], rounds: int,
                chunk: int = 10) -> dict[str, dict[str, float]]:
    """Time each probe ``rounds`` times, in alternating chunks of ``chunk`` calls."""
    samples: dict[str, list[float]] = {name: [] for name in probes}
    clock = time.perf_counter
    for _ in range(0, rounds, chunk):
        for name, probe in probes.items():
            for _ in range(chunk):
                began = clock()
                probe()
                samples[name].append(clock() - began)
    return {name: stats(values) for name, values in samples.items()}


def print_table(table: list[dict[str, str]]) -> None:
    columns = ["figure", "value", "floor", "ratio", "target", "met"]
    widths = {c: max(len(c), *(len(r[c]) for r in table)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-+-".join("-" * widths[c] for c in columns))
    for line in table:
        print(" | ".join(line[c].ljust(widths[c]) for c in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="vi", choices=["vi", "en", "fr"])
    parser.add_argument("--rounds", type=int, default=200, help="calls of each probe")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    view = receipt_view(args.lang)
    questions = sum(len(rows) for _title, rows in view.sections)
    lines = sum(len(answer) for _title, rows in view.sections for _label, answer in rows)
    began = time.perf_counter()
    document = pdf.submission_pdf(view)
    first_ms = (time.perf_counter() - began) * 1e3
    pages = len(PdfReader(BytesIO(document)).pages)
    for _ in range(5):  # warm up both paths
        pdf.submission_pdf(view)
        one_line()
    figures = interleaved({"receipt": lambda: pdf.submission_pdf(view), "floor": one_line},
                          args.rounds)
    receipt, floor = figures["receipt"], figures["floor"]
    table = [
        {"figure": "first call in a process (fonts, styles, catalogue)",
         "value": f"{first_ms:.1f} ms", "floor": "-", "ratio": "-", "target": "-", "met": "-"},
        {"figure": f"receipt PDF, {questions} questions ({lines} answer lines), {pages} pages,"
                   " median (p95)",
         "value": f"{receipt['median_ms']:.1f} ms ({receipt['p95_ms']:.1f})",
         "floor": f"{floor['median_ms']:.2f} ms ({floor['p95_ms']:.2f})",
         "ratio": f"{receipt['median_ms'] / floor['median_ms']:.0f}×",
         "target": f"< {TARGET_MS:g} ms",
         "met": "yes" if receipt["median_ms"] < TARGET_MS else "no"},
        {"figure": "document size", "value": f"{len(document) / 1024:.1f} kB",
         "floor": f"{len(one_line()) / 1024:.1f} kB", "ratio": "-", "target": "-",
         "met": "-"},
    ]
    print(f"PDF of a submission ({args.lang}, {args.rounds} calls each)\n")
    print_table(table)
    result = {
        "lang": args.lang, "questions": questions, "answer_lines": lines, "pages": pages,
        "bytes": len(document),
        "first_call_ms": first_ms, **figures, "python": platform.python_version(),
        "reportlab": reportlab.Version, "machine": platform.machine(),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2))
    print(f"\nresults: {args.output}")


if __name__ == "__main__":
    main()
