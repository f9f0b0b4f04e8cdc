"""JSON API (``/api/v1``): register data for a form, for the signed-in person.

``POST /api/v1/forms/<procedure-id>/people`` with ``{"personal_id": "..."}`` answers the
attributes the procedure's bindings read, of the signed-in person or of someone their
record links them to (household members, parents, spouse, children). Anyone else: 403,
audited. The ID travels in the body, never in the URL, because URLs end up in access logs.
Errors are RFC 9457 problem details and hold no personal data.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue

from formengine.api import problems
from formengine.prefilling.service import Forbidden
from formengine.validation.formats import normalize_personal_id
from formengine.web.auth import signed_in
from formengine.web.citizen import definition_or_404
from formengine.web.prefill import service
from prefill.adapter import NotFound, Unavailable

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def problem(status: int, title: str, detail: str = "",
            headers: dict[str, str] | None = None) -> ResponseReturnValue:
    """An ``application/problem+json`` answer (formengine/api/problems.py)."""
    return problems.response(status, title, detail, headers=headers)


@bp.post("/forms/<procedure_id>/people")
def person(procedure_id: str) -> ResponseReturnValue:
    """The register attributes ``procedure_id`` reads, of one person linked to the caller."""
    definition = definition_or_404(procedure_id)
    who = signed_in()
    if who is None:
        return problem(401, "Sign in first", "Register data is only given to the person it "
                       "concerns, signed in.")
    prefill = service()
    if prefill is None:
        abort(404)
    body = request.get_json(silent=True)
    asked = body.get("personal_id") if isinstance(body, dict) else None
    if not isinstance(asked, str):
        return problem(400, "Send a JSON object with `personal_id`")
    wanted = normalize_personal_id(asked)
    try:
        found = prefill.person(definition, who.personal_id, wanted,
                               request.headers.get("X-Request-Id"))
    except Forbidden:
        return problem(403, "Not linked to you", "Only your own data and that of the people "
                       "your record links you to (household, parents, spouse, children) can "
                       "be read.")
    except NotFound:
        return problem(404, "No such person in the register")
    except Unavailable:
        return problem(503, "The population register is not answering",
                       headers={"Retry-After": "30"})
    response = jsonify({"personal_id": wanted, "procedure": definition.id,
                        "source": prefill.adapter.source, "attributes": found})
    response.headers["Cache-Control"] = "no-store, private"
    return response
