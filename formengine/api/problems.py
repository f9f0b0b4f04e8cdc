"""RFC 9457 problem details: every error of the API is ``application/problem+json``.

Views raise :class:`ApiProblem`; plain HTTP errors under ``/api/`` (404 of an unknown URL,
405, 413, 429, 500) are turned into problems by formengine/web/errors.py through
:func:`response`. Titles and details are translated (the request's language); none holds
personal data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask, Response, jsonify, request
from flask_babel import get_locale

from formengine.validation.report import FieldError

#: The problem types of this API (docs/api.md, "Errors"); plain HTTP errors are about:blank.
TYPES: Mapping[str, str] = {name: f"urn:formengine:problem:{name}" for name in (
    "invalid-body", "invalid-answers", "unknown-procedure", "tenant-key", "citizen-token",
    "assurance", "idempotency-key", "idempotency-conflict", "register-unavailable",
    "unsupported-media-type", "unknown-submission")}


class ApiProblem(Exception):
    """An API error, answered as a problem detail by :func:`handle`."""

    def __init__(self, status: int, kind: str | None, title: str, detail: str = "",
                 errors: Sequence[FieldError] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(title)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.errors, self.headers = errors, dict(headers or {})


def response(status: int, title: str, detail: str = "", kind: str | None = None,
             errors: Sequence[FieldError] | None = None,
             headers: Mapping[str, str] | None = None) -> Response:
    """An ``application/problem+json`` response (never cached)."""
    body: dict[str, Any] = {"type": TYPES[kind] if kind else "about:blank", "title": title,
                            "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = [{"pointer": e.pointer, "keyword": e.keyword, "message": e.message}
                          for e in errors]
    answer = jsonify(body)
    answer.status_code = status
    answer.mimetype = "application/problem+json"
    answer.headers.update(headers or {})
    answer.headers["Cache-Control"] = "no-store"
    answer.headers["Content-Language"] = str(get_locale() or "vi")
    return answer


def handle(error: ApiProblem) -> Response:
    """The problem detail of ``error``."""
    return response(error.status, error.title, error.detail, error.kind, error.errors,
                    error.headers)


def init_app(app: Flask) -> None:
    """Answer :class:`ApiProblem` as problem details."""
    app.register_error_handler(ApiProblem, handle)
