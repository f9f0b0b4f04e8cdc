"""Error pages: every HTTP error is a translated page, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
)

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
        429: (gettext("Too many attempts"),
              gettext("Too many requests came from your connection in a short time. Wait a "
                      "minute, then try again.")),
        500: (gettext("Sorry, there is a problem with the service"),
              gettext("Try again later. Your answers have not been lost.")),
    }


def _api() -> bool:
    return request.path.startswith("/api/")


def _too_many(title: str, body: str) -> ResponseReturnValue:
    """A 429: the page, or on a form post a page keeping every posted field with a button
    that posts them again (nothing typed is lost, a press of "Accept and send" included)."""
    from formengine.web import csrf, limits

    headers = {"Retry-After": str(limits.retry_after()), "Cache-Control": "no-store"}
    carried = csrf.carried_fields(replay_all=True) if request.method == "POST" else []
    if not carried:
        return render_template("error.html", title=title, body=body, detail=None), 429, headers
    html = render_template(
        "carried.html", title=title,
        body=[body, gettext("Your answers are kept on this page: nothing you typed is lost. "
                            "When you have waited, select \"Try again\".")],
        carried=carried, action=csrf.repost_url(), button=gettext("Try again"))
    return html, 429, headers


def render_error(error: HTTPException) -> ResponseReturnValue:
    """Render ``error`` as a translated page with its status code (problem+json under
    ``/api/``)."""
    get_locale()  # translated even when the error came before the language was chosen
    code = error.code or 500
    title, body = _messages().get(code, _messages()[500])
    if _api():
        from formengine.web import limits
        from formengine.web.api import problem

        headers = {"Retry-After": str(limits.retry_after())} if code == 429 else None
        return problem(code, title, body, headers=headers)
    if code == 429:
        return _too_many(title, body)
    detail = error.description if isinstance(error, CitizenBadRequest) else None
    return render_template("error.html", title=title, body=body, detail=detail), code


def refuse_large_bodies() -> None:
    """A body announced larger than ``MAX_CONTENT_LENGTH`` is refused (413) before any view
    looks at the request, whether or not it would read the body."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    """Register the error handlers, and the body size check (first of all request hooks)."""
    app.register_error_handler(HTTPException, render_error)
    app.before_request(refuse_large_bodies)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("unhandled error")
        return render_error(InternalServerError())
