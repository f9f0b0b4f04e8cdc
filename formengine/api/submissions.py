"""Submissions through the API: create one for a citizen (exactly once per
``Idempotency-Key``), and read its status (its tenant only)."""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from flask import Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.exc import SQLAlchemyError

from formengine.api import auth, citizens
from formengine.api.blueprint import bp, read_object
from formengine.api.models import SubmissionReceipt
from formengine.api.problems import ApiProblem
from formengine.definitions import FormDefinition
from formengine.prefilling.snapshot import Snapshot, provenance, seed
from formengine.schema import prune
from formengine.submissions import bundle
from formengine.submissions.receipts import normalize_receipt
from formengine.submissions.store import Conflict, Stored, SubmissionStore
from formengine.validation.report import validate
from formengine.web.prefill import service

log = logging.getLogger(__name__)

#: What an ``Idempotency-Key`` may be (a UUID fits).
KEY_PATTERN = r"^[A-Za-z0-9._:-]{8,128}$"
_KEY = re.compile(KEY_PATTERN)


def _store() -> SubmissionStore:
    found: SubmissionStore = current_app.extensions["formengine.submissions"]
    return found


def stored_key(tenant_id: str, key: str) -> str:
    """The store's idempotency key of a tenant's ``Idempotency-Key`` (64 characters; two
    tenants never share one, nor does the API with the forms)."""
    return "api:" + hashlib.sha256(f"{tenant_id}\0{key}".encode()).hexdigest()[:60]


def _receipt(stored: Stored, status: int) -> Response:
    body = SubmissionReceipt(receipt=stored.receipt, status=stored.status,  # type: ignore[arg-type]
                             procedure=stored.procedure, version=stored.version,
                             submitted_at=stored.submitted_at)
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = status
    response.headers["Location"] = url_for("api_v1.get_submission", receipt=stored.receipt)
    response.headers["Cache-Control"] = "no-store"
    return response


def _idempotency_key() -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not _KEY.fullmatch(key):
        raise ApiProblem(400, "idempotency-key", gettext("An Idempotency-Key is needed"),
                         gettext("Send a new random Idempotency-Key header (8 to 128 "
                                 "letters, digits, dots, dashes, colons or underscores) with "
                                 "each submission, and the same one when you retry it."))
    return key


def _conflict() -> ApiProblem:
    return ApiProblem(409, "idempotency-conflict",
                      gettext("This Idempotency-Key was used for another submission"),
                      gettext("Use a new key for each submission."))


def register_snapshot(definition: FormDefinition, person: str) -> Snapshot:
    """The register's data for ``person``, taken as when the form opens."""
    if not definition.bindings:
        return Snapshot(person, "ok")
    prefill = service()
    if prefill is None:
        return Snapshot(person, "unavailable")
    return prefill.snapshot(definition, person, request.headers.get("X-Request-Id"))


def _record(definition: FormDefinition, snapshot: Snapshot, body: dict[str, Any]
            ) -> dict[str, Any]:
    """The record to store: the answers with the register's data put in exactly as the
    form does (locked values from the snapshot, never from the body), validated."""
    if (definition.bindings and snapshot.status in ("unavailable", "not_found")
            and definition.prefill_unavailable == "block"):
        raise ApiProblem(503, "register-unavailable",
                         gettext("The population register is not answering"),
                         gettext("This procedure needs the register's data. Try again "
                                 "later."), headers={"Retry-After": "30"})
    data: dict[str, Any] = prune(definition.schema, seed(snapshot, body), definition.is_valid)
    errors = validate(definition, data, g.lang)
    if errors:
        raise ApiProblem(422, "invalid-answers", gettext("The answers are not valid"),
                         gettext("Correct the answers listed in errors and send them again."),
                         errors=errors)
    record: dict[str, Any] = {"answers": data, "provenance": provenance(snapshot, data),
                              "corrections": []}
    if "bundle" in definition.procedure:
        record["parts"] = bundle.split(definition.procedure["bundle"], data)
    return record


@bp.post("/procedures/<procedure_id>/submissions")
def create_submission(procedure_id: str) -> ResponseReturnValue:
    """Store the citizen's submission once; a repeat with its key gets it back (200)."""
    tenant = auth.required_tenant()
    definition = auth.procedure(procedure_id, tenant)
    citizen = citizens.required_citizen(tenant)
    if citizen.assurance < definition.min_assurance:
        raise ApiProblem(403, "assurance", gettext("A stronger sign-in is needed"),
                         gettext("This procedure needs the citizen's identity verified at "
                                 "level %(level)s.", level=definition.min_assurance))
    key = stored_key(tenant.id, _idempotency_key())
    body = read_object()
    store = _store()
    try:
        found = store.by_key(key)
        if found is not None:
            if (found.owner, found.procedure) != (citizen.personal_id, definition.id):
                raise _conflict()
            return _receipt(found, 200)
        record = _record(definition, register_snapshot(definition, citizen.personal_id), body)
        stored = store.submit(definition, citizen.personal_id, key, record, tenant=tenant.id)
    except Conflict:
        raise _conflict() from None
    except SQLAlchemyError as exc:
        log.error("API submission of %s not stored (%s)", definition.id, type(exc).__name__)
        raise ApiProblem(503, None, gettext("The submission could not be stored"),
                         gettext("Nothing was stored. Send it again with the same "
                                 "Idempotency-Key."), headers={"Retry-After": "10"}) from None
    return _receipt(stored, 201 if stored.created else 200)


@bp.get("/submissions/<receipt>")
def get_submission(receipt: str) -> ResponseReturnValue:
    """A submission's status, for the tenant it came through (404 for anyone else)."""
    tenant = auth.required_tenant()
    number = normalize_receipt(receipt)
    found = _store().get(number) if number else None
    if found is None or found.tenant != tenant.id:
        raise ApiProblem(404, "unknown-submission", gettext("No such submission"),
                         gettext("Check the receipt number."))
    return _receipt(found, 200)
