"""Small helpers for responses to htmx requests (flask-htmx detects them)."""

from __future__ import annotations

from flask import Response


def vary_on_htmx(response: Response) -> Response:
    """Mark a response whose body depends on the ``HX-Request`` header."""
    response.vary.add("HX-Request")
    return response
