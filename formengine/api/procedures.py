"""The procedures of the API: the catalogue, one definition, validating answers; the
OpenAPI document; demo citizen tokens (demo mode only)."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from pydantic import ValidationError

from formengine.api import auth, citizens, openapi
from formengine.api.blueprint import bp, read_object
from formengine.api.models import (
    DemoToken,
    DemoTokenRequest,
    FieldErrorOut,
    ProcedureDetail,
    ProcedureList,
    ProcedureSummary,
    ValidationResult,
)
from formengine.api.problems import ApiProblem
from formengine.api.submissions import register_snapshot
from formengine.catalogue import fee_text
from formengine.definitions import FormDefinition
from formengine.i18n import localize
from formengine.prefilling.snapshot import seed
from formengine.schema import prune
from formengine.validation.formats import personal_id_problem
from formengine.validation.report import FieldError, validate


def _json(model: Any, status: int = 200, vary: bool = True) -> Response:
    response = jsonify(model.model_dump(mode="json", by_alias=True))
    response.status_code = status
    response.headers["Content-Language"] = g.lang
    if vary:
        response.vary.update(("Authorization", "Accept-Language"))
    return response


def summary(definition: FormDefinition, lang: str) -> ProcedureSummary:
    """One procedure of the catalogue in ``lang``."""
    meta = definition.procedure
    fee = meta.get("fee")
    amount = fee.get("amount") if isinstance(fee, dict) else None
    level = meta.get("agency_level")
    return ProcedureSummary(
        id=definition.id, version=definition.version,
        title=localize(definition.title, lang),
        fee=amount if isinstance(amount, int) else None, fee_text=fee_text(meta, lang),
        processing_time=localize(meta.get("processing_time"), lang) or None,
        agency_level=level if level in ("commune", "province") else None,
        min_assurance=definition.min_assurance)


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API (generated from the models)."""
    document = current_app.extensions.get("formengine.api.openapi")
    if document is None:
        document = openapi.document(current_app.config["FORMENGINE"].demo)
        current_app.extensions["formengine.api.openapi"] = document
    return jsonify(document)


@bp.get("/procedures")
def list_procedures() -> ResponseReturnValue:
    """The procedures the caller may use (a tenant: its enabled ones; else every one)."""
    tenant = auth.optional_tenant()
    found = sorted(auth.visible(tenant), key=lambda d: d.id)
    return _json(ProcedureList(procedures=[summary(d, g.lang) for d in found]))


@bp.get("/procedures/<procedure_id>")
def get_procedure(procedure_id: str) -> ResponseReturnValue:
    """One procedure's definition: metadata and JSON Schema."""
    definition = auth.procedure(procedure_id, auth.optional_tenant())
    return _json(ProcedureDetail.model_validate({
        "id": definition.id, "version": definition.version,
        "content_hash": definition.content_hash, "title": localize(definition.title, g.lang),
        "procedure": dict(definition.procedure), "schema": dict(definition.schema)}))


def errors_out(errors: list[FieldError]) -> list[FieldErrorOut]:
    """The API's form of field errors."""
    return [FieldErrorOut(pointer=e.pointer, keyword=e.keyword, message=e.message)
            for e in errors]


@bp.post("/procedures/<procedure_id>/validate")
def validate_answers(procedure_id: str) -> ResponseReturnValue:
    """Validate answers exactly as the form does; with the citizen's token, with the
    register's data put in first, exactly as a submission would be."""
    tenant = auth.optional_tenant()
    definition = auth.procedure(procedure_id, tenant)
    body = read_object()
    if request.headers.get(citizens.HEADER):
        citizen = citizens.required_citizen(tenant)
        body = seed(register_snapshot(definition, citizen.personal_id), body)
    data = prune(definition.schema, body, definition.is_valid)
    errors = validate(definition, data, g.lang)
    return _json(ValidationResult(valid=not errors, errors=errors_out(errors)))


def demo_citizen_token() -> ResponseReturnValue:
    """A short-lived citizen token for a person of the demo population (demo mode only)."""
    try:
        asked = DemoTokenRequest.model_validate(read_object())
    except ValidationError:
        raise ApiProblem(422, "invalid-body", gettext("The request body could not be read"),
                         gettext("Send {\"personal_id\": \"<12 digits>\"}.")) from None
    if personal_id_problem(asked.personal_id) is not None:
        raise ApiProblem(422, "invalid-body", gettext("The request body could not be read"),
                         gettext("This is not a valid personal ID."))
    token = DemoToken(token=citizens.demo_token(asked.personal_id),
                      expires_in=citizens.DEMO_TOKEN_SECONDS)
    response = _json(token, 201, vary=False)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """The demo token endpoint, in demo mode only (it does not exist otherwise)."""
    if app.config["FORMENGINE"].demo:
        app.add_url_rule("/api/v1/demo/citizen-tokens", "api_v1.demo_citizen_token",
                         demo_citizen_token, methods=["POST"])
