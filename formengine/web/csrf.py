"""CSRF protection of every form post: a signed token bound to a cookie of the browser.

The browser gets a random cookie (``fe_csrf``; ``__Host-fe_csrf`` under HTTPS), and every
page carries ``HMAC(secret, cookie)`` in a hidden ``_csrf`` field of each POST form and in
``<meta name="csrf-token">``, which formengine.js copies into the ``X-CSRF-Token`` header of
htmx requests. A POST, PUT, PATCH or DELETE without the token of its cookie is refused.

Why not Flask-WTF's session token: signing in renews the session (no fixation), which would
void the token of a form left open in another tab, exactly the "sign in, then continue with
my answers" journey of assurance.py; and the empty form pages cached for every visitor
(cache.py) need a token put in after the cache (:func:`fill`). The token never expires:
the cookie lives a year and the answers themselves are signed and re-validated anyway.

A refused post never loses what was typed: the citizen gets a translated page (403) keeping
every posted field in a form whose button posts them again with a valid token. "Accept and
send" and "Start again" come back as "next" (nothing is sent or deleted unseen). The JSON
API is exempt when the body is JSON: a page on another site cannot send that content type
without a CORS preflight, which this service never grants (docs/security.md). The resource
API of province portals (formengine/api/, blueprint ``api_v1``) is exempt altogether: it
reads no cookie and no session, only the API key and the citizen's token in headers, which
a page on another site cannot make a browser send.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from formengine.web import cookies

log = logging.getLogger(__name__)

#: The form field and the header carrying the token.
FIELD, HEADER = "_csrf", "X-CSRF-Token"
#: What a page cached for every visitor holds instead of a token (see :func:`fill`).
PLACEHOLDER = "fe-csrf-token-placeholder"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: The cookie's lifetime (seconds): a year, like the language cookie.
COOKIE_AGE = 365 * 24 * 3600
#: Posted actions that change stored state for good: replayed as "next" after a refusal.
IRREVERSIBLE = frozenset({"submit", "discard"})


def cookie_name() -> str:
    """The cookie's name: with the ``__Host-`` prefix under HTTPS (no subdomain can set it)."""
    return "__Host-fe_csrf" if request.is_secure else "fe_csrf"


def _browser_secret() -> str:
    """This browser's random cookie value (made now, and set after the request, if none)."""
    value = g.get("csrf_cookie") or request.cookies.get(cookie_name())
    if not value or len(value) > 100:
        value = g.csrf_new = secrets.token_urlsafe(32)
    g.csrf_cookie = value
    return value


def sign(secret: str, value: str) -> str:
    """The token of the cookie ``value`` under the app secret ``secret``."""
    digest = hmac.new(secret.encode(), b"formengine-csrf:" + value.encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _sign(value: str) -> str:
    return sign(str(current_app.config["SECRET_KEY"]), value)


def token() -> str:
    """The token of this browser (the placeholder on pages cached for every visitor)."""
    if g.get("cacheable"):
        return PLACEHOLDER
    return _sign(_browser_secret())


def field() -> Markup:
    """The hidden ``_csrf`` input of a POST form."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(token())}">')


def fill(html: str) -> str:
    """A page rendered for every visitor, with this browser's token put in."""
    return html.replace(PLACEHOLDER, _sign(_browser_secret()))


def valid(sent: str | None) -> bool:
    """Whether ``sent`` is the token of this request's cookie."""
    cookie = request.cookies.get(cookie_name())
    if not sent or not cookie:
        return False
    return hmac.compare_digest(sent.encode(), _sign(cookie).encode())


def exempt() -> bool:
    """Requests the token is not asked of: safe methods, unknown URLs, JSON to the API."""
    if request.method not in UNSAFE_METHODS or request.endpoint is None:
        return True
    if not current_app.config["FORMENGINE"].csrf_enabled:
        return True
    if request.blueprint == "api_v1":  # reads no cookie: its authority is in headers
        return True
    return request.blueprint == "api" and request.is_json


def carried_fields(replay_all: bool) -> list[tuple[str, str]]:
    """The posted fields to post again (never the old token); unless ``replay_all``,
    an irreversible action comes back as "next"."""
    return [(k, v) for k, v in request.form.items(multi=True)
            if k != FIELD and (replay_all or not (k == "_action" and v in IRREVERSIBLE))]


def repost_url() -> str:
    """The URL the request was posted to (path and query), to post it again."""
    query = request.query_string.decode()
    return request.script_root + request.path + (f"?{query}" if query else "")


def check() -> ResponseReturnValue | None:
    """Refuse an unsafe request without the right token (before every view)."""
    if exempt():
        return None
    sent = request.headers.get(HEADER) or request.form.get(FIELD)
    if valid(sent):
        return None
    log.warning("CSRF token %s on %s", "invalid" if sent else "missing", request.endpoint)
    get_locale()  # the page is translated even if nothing chose the language yet
    if request.blueprint == "api":
        from formengine.web.api import problem

        return problem(403, gettext("This request could not be verified"),
                       gettext("Send JSON (Content-Type: application/json)."))
    html = render_template(
        "carried.html", title=gettext("Please confirm to continue"),
        body=[gettext("For your security, this page could not be verified: it was perhaps "
                      "open for a long time, or you signed in or out in another tab."),
              gettext("Nothing you typed is lost. Select \"Continue\" to carry on where you "
                      "were. If you did not just use this service, close this page.")],
        carried=carried_fields(replay_all=False), action=repost_url(),
        button=gettext("Continue"))
    return html, 403, {"Cache-Control": "no-store"}


def _set_cookie(response: Response) -> Response:
    """Give the browser its cookie when this request made one."""
    value = g.get("csrf_new")
    if value:
        response.set_cookie(cookie_name(), value, max_age=COOKIE_AGE, path="/",
                            secure=cookies.secure(), httponly=True,
                            samesite=cookies.same_site())
    return response


def init_app(app: Flask) -> None:
    """Check every unsafe request; ``csrf_token()`` and ``csrf_field()`` in templates."""
    app.before_request(check)
    app.after_request(_set_cookie)
    helpers: dict[str, Any] = {"csrf_token": token, "csrf_field": field}
    app.jinja_env.globals.update(helpers)
