"""Receipts and "my submissions": what a citizen can look at after sending a form.

A receipt is shown to the person who sent it: the signed-in owner, or (for a form sent
without signing in) the browser session that sent it, which remembers its last receipts.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, render_template, session
from flask.typing import ResponseReturnValue

from formengine.definitions import Catalog
from formengine.i18n import localize
from formengine.rendering import pages as flow
from formengine.submissions.pdf import ReceiptView, submission_pdf, summary_sections
from formengine.submissions.receipts import normalize_receipt
from formengine.submissions.store import Stored, SubmissionStore
from formengine.web.auth import signed_in

bp = Blueprint("receipts", __name__)

#: Receipts a browser session remembers (forms sent without signing in).
REMEMBERED = 20


def remember(receipt: str) -> None:
    """Let this browser session see ``receipt`` again."""
    kept = [r for r in session.get("receipts", []) if r != receipt]
    session["receipts"] = [receipt, *kept][:REMEMBERED]


def _store() -> SubmissionStore:
    found: SubmissionStore = current_app.extensions["formengine.submissions"]
    return found


def visible(receipt: str) -> Stored:
    """The submission ``receipt`` if this visitor may see it, else a 404 (the same answer
    as for a receipt that does not exist, so nothing is learnt by guessing)."""
    number = normalize_receipt(receipt)
    found = _store().get(number) if number else None
    if found is None:
        abort(404)
    person = signed_in()
    mine = person is not None and found.owner == person.personal_id
    if not mine and found.receipt not in session.get("receipts", []):
        abort(404)
    return found


@bp.get("/submissions")
def mine() -> ResponseReturnValue:
    """The signed-in person's submissions and their status (or this session's)."""
    person = signed_in()
    if person is not None:
        found = _store().for_owner(person.personal_id)
    else:
        found = [s for r in session.get("receipts", []) if (s := _store().get(r))]
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    return render_template("submissions.html", submissions=found, catalog=catalog)


@bp.get("/submissions/<receipt>.pdf")
def pdf(receipt: str) -> ResponseReturnValue:
    """The receipt and the answers as a PDF (what the citizen downloads and keeps)."""
    stored = visible(receipt)
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    # The version it was submitted on, when it is kept; else the current one.
    definition = catalog.get(stored.procedure, stored.version) or catalog.get(stored.procedure)
    record = stored.record or {}
    sections = (flow.summary(definition, record.get("answers", {}), g.lang)
                if definition is not None else [])
    labels = {row.pointer: row.label for section in sections for row in section.rows}
    procedure = definition.procedure if definition is not None else {}
    view = ReceiptView(
        receipt=stored.receipt, procedure_id=stored.procedure,
        procedure_title=localize(procedure.get("title"), g.lang) or stored.procedure,
        version=stored.version, content_hash=stored.content_hash,
        submitted_at=stored.submitted_at,
        agency=localize(procedure.get("agency"), g.lang) or None,
        processing_time=localize(procedure.get("processing_time"), g.lang) or None,
        sections=summary_sections(sections, g.lang),
        corrections=[(labels.get(c.get("pointer", ""), c.get("pointer", "")),
                      str(c.get("reported", ""))) for c in record.get("corrections", ())],
        signature=stored.signature, key_id=stored.key_id, lang=g.lang)
    response = Response(submission_pdf(view), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="receipt-{stored.receipt}.pdf"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/submissions/<receipt>")
def receipt(receipt: str) -> ResponseReturnValue:
    """The printable receipt of one submission."""
    stored = visible(receipt)
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    # The version it was submitted on, when it is kept; else the current one.
    definition = catalog.get(stored.procedure, stored.version) or catalog.get(stored.procedure)
    answers = (stored.record or {}).get("answers", {})
    sections = flow.summary(definition, answers, g.lang) if definition and answers else []
    return render_template("receipt.html", stored=stored, definition=definition,
                           sections=[] if definition is None else sections)
