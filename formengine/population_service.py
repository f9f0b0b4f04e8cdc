"""The reference population-data service: a population file served over the HTTP contract.

``create_service(adapter, token)`` is a small Flask app implementing ``prefill/openapi.json``
(bearer token, ``X-Procedure`` header, RFC 9457 problem details) over any
:class:`~prefill.adapter.PopulationAdapter`; ``formengine population serve`` runs it over
the SQLite file. Its log names the route template, never the path: no personal ID is
logged.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import WSGIRequestHandler

from prefill import openapi
from prefill.adapter import NotFound, PopulationAdapter, PrefillError, Timeout
from prefill.model import Citizen

__all__ = ["QuietRequestHandler", "create_service"]

log = logging.getLogger(__name__)

PROBLEM_TYPE = "about:blank"


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without its access log (which holds the path, so the ID)."""

    protocol_version = "HTTP/1.1"  # keep-alive for pooled clients

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing: the service logs method, route template and status itself."""


def _problem(status: int, title: str, detail: str = "") -> Response:
    body: dict[str, Any] = {"type": PROBLEM_TYPE, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="population"'
    return response


def _record(citizen: Citizen) -> Any:
    return citizen.model_dump(mode="json", exclude_none=True)


def create_service(adapter: PopulationAdapter, token: str) -> Flask:
    """The service app answering from ``adapter`` to clients holding ``token``."""
    if not token:
        raise ValueError("the population service needs a token")
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    expected = f"Bearer {token}".encode()

    @app.before_request
    def _authorize() -> Response | None:
        if request.endpoint in (None, "openapi_document"):
            return None
        given = request.headers.get("Authorization", "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            return _problem(401, "Unauthorized", "a valid bearer token is required")
        if request.endpoint != "health":
            procedure = request.headers.get("X-Procedure", "").strip()
            if not procedure:
                return _problem(400, "Bad Request",
                                "the X-Procedure header must name the procedure served")
            g.procedure = procedure
        return None

    @app.after_request
    def _log(response: Response) -> Response:
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        log.info("%s %s %s", request.method, rule, response.status_code)
        return response

    @app.errorhandler(PrefillError)
    def _prefill_error(exc: PrefillError) -> Response:
        if isinstance(exc, NotFound):
            return _problem(404, "Not Found", "no citizen with this personal ID")
        if isinstance(exc, Timeout):
            return _problem(504, "Gateway Timeout", "the population data did not answer")
        return _problem(503, "Service Unavailable", "the population data cannot be read")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        return _problem(exc.code or 500, exc.name)

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> Response:
        log.error("population service error (%s)", type(exc).__name__)
        return _problem(500, "Internal Server Error")

    def lookup(view: Callable[[str, str], Any]) -> Callable[[str], Any]:
        def wrapped(personal_id: str) -> Any:
            return view(personal_id, g.procedure)
        wrapped.__name__ = view.__name__
        return wrapped

    @lookup
    def citizen(personal_id: str, procedure: str) -> Any:
        return jsonify(_record(adapter.citizen(personal_id, procedure=procedure)))

    @lookup
    def household(personal_id: str, procedure: str) -> Any:
        members = adapter.household(personal_id, procedure=procedure)
        return jsonify({"members": [_record(m) for m in members]})

    @lookup
    def linked(personal_id: str, procedure: str) -> Any:
        found = adapter.linked(personal_id, procedure=procedure)

        def one(person: Citizen | None) -> Any:
            return None if person is None else _record(person)

        return jsonify({"father": one(found.father), "mother": one(found.mother),
                        "spouse": one(found.spouse),
                        "children": [_record(c) for c in found.children]})

    app.add_url_rule("/v1/citizens/<personal_id>", view_func=citizen)
    app.add_url_rule("/v1/citizens/<personal_id>/household", view_func=household)
    app.add_url_rule("/v1/citizens/<personal_id>/linked", view_func=linked)

    document = openapi.document()

    @app.get("/v1/health")
    def health() -> Any:
        state = adapter.health()
        response = jsonify({"ok": state.ok, "detail": state.detail})
        response.status_code = 200 if state.ok else 503
        return response

    @app.get("/v1/openapi.json")
    def openapi_document() -> Any:
        return jsonify(document)

    return app
