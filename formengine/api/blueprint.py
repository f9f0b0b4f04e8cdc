"""The ``api_v1`` blueprint and what its views share: reading a JSON body."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, request
from flask_babel import gettext

from formengine.api.problems import ApiProblem

#: The resource API of province portals. It reads no cookie and no session: its authority
#: comes only from headers, so it needs no CSRF token (formengine/web/csrf.py).
bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

#: The deepest nesting of arrays and objects accepted in a body (a form is far shallower).
MAX_DEPTH = 32


def _depth(value: Any) -> int:
    """How deeply ``value`` nests arrays and objects (iteratively: no recursion limit)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = (item.values() if isinstance(item, dict)
                    else item if isinstance(item, list) else None)
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        pending.extend((child, level + 1) for child in children)
    return deepest


def _invalid(detail: str) -> ApiProblem:
    return ApiProblem(400, "invalid-body", gettext("The request body could not be read"),
                      detail)


def read_json() -> Any:
    """The request's JSON body: 415 unless it is JSON, 400 when malformed or too deeply
    nested, 413 (by the app) when too large."""
    if not request.is_json:
        raise ApiProblem(415, "unsupported-media-type",
                         gettext("Send JSON (Content-Type: application/json)."))
    raw = request.get_data(cache=True)
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise _invalid(gettext("The body is not valid JSON.")) from None
    if _depth(value) > MAX_DEPTH:
        raise _invalid(gettext("The body is nested too deeply.")) from None
    return value


def read_object() -> dict[str, Any]:
    """The request's JSON body, which must be an object (else 400)."""
    value = read_json()
    if not isinstance(value, dict):
        raise _invalid(gettext("The body must be a JSON object."))
    return value
