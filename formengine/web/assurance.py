"""``x-procedure.min_assurance``: the level of sign-in a procedure requires, in one place.

Every citizen request about one procedure (``/forms/<id>`` and below, GET or POST) passes
:func:`check` first. A visitor not signed in gets a 401 page, someone signed in below the
level a 403 page; both say which level is needed and how to sign in. Nothing posted is
lost: the page keeps every posted field (the answers in ``_state``, the register snapshot
in ``_prefill``, the fields of the page) in a form whose button posts them back once the
person has signed in (the sign-in links then open in a new tab). A POST from someone whose
session ended (the form carries their signed snapshot) goes on to the view, which saves
the answers to their draft and asks them to sign in again.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from formengine.definitions import Catalog
from formengine.web import csrf, embed, prefill
from formengine.web.auth import SignedIn, signed_in

#: The citizen blueprint, whose views about one procedure take ``procedure_id``.
CITIZEN = "citizen"


def missing_level(needed: int, person: SignedIn | None) -> bool:
    """Whether ``person`` (None: nobody signed in) lacks the level ``needed`` (0: none)."""
    if needed <= 0:
        return False
    return person is None or person.assurance < needed


def check() -> ResponseReturnValue | None:
    """The "sign in at level N" page when this request's procedure needs more, else None."""
    if request.blueprint not in (CITIZEN, "embed") or not request.view_args:
        return None
    procedure_id = request.view_args.get("procedure_id")
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    definition = catalog.get(procedure_id) if isinstance(procedure_id, str) else None
    person = signed_in()
    if definition is None or not missing_level(definition.min_assurance, person):
        return None
    if (person is None and request.endpoint == f"{CITIZEN}.post"
            and prefill.token_owner(definition, request.form) is not None):
        return None  # a session that ended: the view saves the answers for their owner
    get_locale()  # the page is translated even if nothing chose the language yet
    carried = []
    if request.method == "POST":  # a submit replays as "next": never sends unseen
        carried = csrf.carried_fields(replay_all=False)
    html = render_template("assurance.html", definition=definition,
                           needed=definition.min_assurance, person=person, carried=carried,
                           next=embed.form_url(definition.id))
    return html, 401 if person is None else 403, {"Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    """Check the level before every view."""
    app.before_request(check)
