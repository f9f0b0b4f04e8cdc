"""The OpenAPI 3.1 document of the API, generated from the pydantic models (models.py).

The schemas are pydantic's (``models_json_schema``, references to
``#/components/schemas/{model}``); the operations below only say which model each request
and response uses. A response code a view can answer is listed here, or it is a bug: the
schemathesis test (tests/test_api_schema.py) fails on any undocumented code, content type
or body.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from formengine.api import models
from formengine.api.citizens import HEADER as CITIZEN_HEADER
from formengine.api.submissions import KEY_PATTERN

REF_TEMPLATE: Final = "#/components/schemas/{model}"
VERSION: Final = "1.0.0"

#: Models of request bodies (validation mode) and of responses (serialization mode).
REQUESTS: Final[tuple[type[BaseModel], ...]] = (models.Answers, models.DemoTokenRequest)
RESPONSES: Final[tuple[type[BaseModel], ...]] = (
    models.Problem, models.ValidationProblem, models.ProcedureList, models.ProcedureDetail,
    models.ValidationResult, models.SubmissionReceipt, models.DemoToken)

_DESCRIPTIONS: Final = {
    400: "The body is not JSON, not an object, or nested too deeply; or a header is "
         "malformed.",
    401: "The API key (or the citizen's token) is missing, unknown, expired or not valid "
         "here.",
    403: "The citizen's sign-in is below the procedure's `min_assurance`.",
    404: "No such procedure, or it is not enabled for the calling tenant; no such "
         "submission for this tenant.",
    409: "The Idempotency-Key was used for another citizen or procedure.",
    413: "The body is larger than FORMENGINE_MAX_BODY_BYTES.",
    415: "The body is not `application/json`.",
    422: "The body is well-formed but not valid.",
    429: "Too many requests from this client; see Retry-After.",
    503: "The population register, the identity provider or the database is not answering; "
         "see Retry-After.",
}
_HEADERS: Final[dict[int, dict[str, Any]]] = {
    401: {"WWW-Authenticate": {"description": "The authentication scheme to use.",
                               "schema": {"type": "string"}, "required": True}},
    429: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}},
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _json(model: type[BaseModel], description: str, media: str = "application/json",
          headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description,
                              "content": {media: {"schema": _ref(model)}}}
    if headers:
        answer["headers"] = headers
    return answer


def _problems(*codes: int) -> dict[str, Any]:
    """The problem+json responses ``codes``."""
    return {str(code): _json(models.Problem, _DESCRIPTIONS[code], "application/problem+json",
                             _HEADERS.get(code))
            for code in codes}


_LANG: Final = [{"$ref": "#/components/parameters/lang"},
                {"$ref": "#/components/parameters/acceptLanguage"}]
_ID: Final = {"name": "id", "in": "path", "required": True,
              "description": "The procedure's id (`x-procedure.id`).",
              "schema": {"type": "string", "minLength": 1, "maxLength": 100}}
_RECEIPT: Final = {"name": "receipt", "in": "path", "required": True,
                   "description": "The receipt number, any case, with or without the dash.",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 20}}
_IDEMPOTENCY: Final = {"name": "Idempotency-Key", "in": "header", "required": True,
                       "description": "A new random key per submission; the same one when "
                       "retrying it (the first submission is returned).",
                       "schema": {"type": "string", "pattern": KEY_PATTERN}}
_OPTIONAL_KEY: Final[list[dict[str, list[str]]]] = [{}, {"tenantKey": []}]
_LOCATION: Final = {"Location": {"description": "The submission's URL in this API.",
                                 "schema": {"type": "string"}, "required": True}}
_BODY: Final = {"required": True, "content": {"application/json": {"schema": _ref(
    models.Answers)}}}


def _paths(demo: bool) -> dict[str, Any]:
    receipt_ok = _json(models.SubmissionReceipt, "The submission (a repeat of its "
                       "Idempotency-Key).", headers=_LOCATION)
    invalid = _json(models.ValidationProblem, "The answers are not valid: `errors` lists "
                    "every failing field.", "application/problem+json")
    paths: dict[str, Any] = {
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document", "tags": ["meta"],
            "responses": {"200": {"description": "The OpenAPI 3.1 document.", "content": {
                "application/json": {"schema": {"type": "object"}}}}}}},
        "/api/v1/procedures": {"get": {
            "operationId": "listProcedures", "summary": "The procedures the caller may use",
            "description": "With a tenant key: the tenant's enabled procedures; without: "
                           "every procedure.", "tags": ["procedures"],
            "security": _OPTIONAL_KEY, "parameters": _LANG,
            "responses": {"200": _json(models.ProcedureList, "The procedures, by id."),
                          **_problems(401)}}},
        "/api/v1/procedures/{id}": {"get": {
            "operationId": "getProcedure", "summary": "One procedure's definition",
            "tags": ["procedures"], "security": _OPTIONAL_KEY,
            "parameters": [_ID, *_LANG],
            "responses": {"200": _json(models.ProcedureDetail, "The definition."),
                          **_problems(401, 404)}}},
        "/api/v1/procedures/{id}/validate": {"post": {
            "operationId": "validateAnswers", "tags": ["procedures"],
            "summary": "Validate answers as the form does",
            "description": "Messages in the requested language. With the citizen's token "
                           "(X-Citizen-Token), the register's data is put in first, exactly "
                           "as at submission (locked answers from the register, never from "
                           "the body); without it, the answers are checked as sent.",
            "security": [*_OPTIONAL_KEY, {"citizenToken": []},
                         {"tenantKey": [], "citizenToken": []}],
            "parameters": [_ID, *_LANG], "requestBody": _BODY,
            "responses": {"200": _json(models.ValidationResult, "Whether the answers are "
                                       "valid, and every failing field."),
                          **_problems(400, 401, 404, 413, 415, 429, 503)}}},
        "/api/v1/procedures/{id}/submissions": {"post": {
            "operationId": "createSubmission", "tags": ["submissions"],
            "summary": "Submit a citizen's answers, exactly once per Idempotency-Key",
            "description": "The register's locked data is taken from the citizen's record, "
                           "never from the body.",
            "security": [{"tenantKey": [], "citizenToken": []}],
            "parameters": [_ID, _IDEMPOTENCY, *_LANG], "requestBody": _BODY,
            "responses": {"201": _json(models.SubmissionReceipt, "Stored.",
                                       headers=_LOCATION),
                          "200": receipt_ok,
                          **_problems(400, 401, 403, 404, 409, 413, 415, 429, 503),
                          "422": invalid}}},
        "/api/v1/submissions/{receipt}": {"get": {
            "operationId": "getSubmission", "tags": ["submissions"],
            "summary": "A submission's status (its tenant only)",
            "security": [{"tenantKey": []}], "parameters": [_RECEIPT, *_LANG],
            "responses": {"200": _json(models.SubmissionReceipt, "The submission.",
                                       headers=_LOCATION), **_problems(401, 404)}}},
    }
    if demo:
        paths["/api/v1/demo/citizen-tokens"] = {"post": {
            "operationId": "createDemoCitizenToken", "tags": ["demo"],
            "summary": "A demo citizen token (demo mode only; absent otherwise)",
            "security": [], "parameters": _LANG,
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": _ref(models.DemoTokenRequest)}}},
            "responses": {"201": _json(models.DemoToken, "The token, for X-Citizen-Token."),
                          **_problems(400, 413, 415, 422, 429)}}}
    return paths


def document(demo: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document (with the demo endpoint in demo mode)."""
    _, schemas = models_json_schema(
        [(m, "validation") for m in REQUESTS] + [(m, "serialization") for m in RESPONSES],
        ref_template=REF_TEMPLATE)
    return {
        "openapi": "3.1.0",
        "info": {"title": "formengine API", "version": VERSION,
                 "description": "Procedures, validation and submissions for province "
                                "portals (docs/api.md). Errors are RFC 9457 problem "
                                "details."},
        "servers": [{"url": "/"}],
        "paths": _paths(demo),
        "components": {
            "schemas": schemas.get("$defs", {}),
            "parameters": {
                "lang": {"name": "lang", "in": "query", "required": False,
                         "description": "The language of titles and messages.",
                         "schema": {"type": "string", "enum": ["vi", "en", "fr"]}},
                "acceptLanguage": {"name": "Accept-Language", "in": "header",
                                   "required": False, "schema": {"type": "string"},
                                   "description": "Used when `lang` is absent."}},
            "securitySchemes": {
                "tenantKey": {"type": "http", "scheme": "bearer", "bearerFormat": "fe_…",
                              "description": "The tenant's API key (docs/tenants.md)."},
                "citizenToken": {"type": "apiKey", "in": "header", "name": CITIZEN_HEADER,
                                 "description": "The citizen's OpenID Connect ID token from "
                                                "the national identity provider (or, in "
                                                "demo mode, a demo citizen token)."}},
        },
    }
