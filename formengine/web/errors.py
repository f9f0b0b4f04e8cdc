"""Error pages: every HTTP error is a translated page, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

log = logging.getLogger(__name__)


class CitizenBadRequest(BadRequest):
    """A 400 whose description is written for the citizen and shown on the error page."""


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (gettext("The form could not be read"),
              gettext("Some of what was sent is not part of this form. Go back and try again.")),
        404: (gettext("Page not found"),
              gettext("If you typed the web address, check it is correct.")),
        405: (gettext("This action is not allowed here"),
              gettext("Go back to the form and use its buttons.")),
        413: (gettext("What you sent is too large"),
              gettext("Shorten your answers and try again.")),
        500: (gettext("Sorry, there is a problem with the service"),
              gettext("Try again later. Your answers have not been lost.")),
    }


def render_error(error: HTTPException) -> ResponseReturnValue:
    """Render ``error`` as a translated page with its status code."""
    code = error.code or 500
    title, body = _messages().get(code, _messages()[500])
    detail = error.description if isinstance(error, CitizenBadRequest) else None
    return render_template("error.html", title=title, body=body, detail=detail), code


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("unhandled error")
        return render_error(InternalServerError())
