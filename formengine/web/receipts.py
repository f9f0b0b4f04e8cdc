"""Receipts and "my submissions": what a citizen can look at after sending a form.

A receipt is shown to the person who sent it: the signed-in owner, or (for a form sent
without signing in) the browser session that sent it, which remembers its last receipts.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, session
from flask.typing import ResponseReturnValue

from formengine.definitions import Catalog
from formengine.rendering import pages as flow
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


@bp.get("/submissions/<receipt>")
def receipt(receipt: str) -> ResponseReturnValue:
    """The printable receipt of one submission."""
    stored = visible(receipt)
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    definition = catalog.get(stored.procedure)
    answers = (stored.record or {}).get("answers", {})
    sections = flow.summary(definition, answers, g.lang) if definition and answers else []
    return render_template("receipt.html", stored=stored, definition=definition,
                           sections=[] if definition is None else sections)
