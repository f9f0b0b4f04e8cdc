"""The SameSite policy of our cookies (session, CSRF, language), in one place.

Our forms live inside province portals' pages (an iframe on another site, docs/tenants.md
"Embedding"). A browser sends ``SameSite=Lax`` cookies to an iframe only when the portal
is the *same site* as us; so under HTTPS every cookie is ``SameSite=None; Secure``, which
browsers send to third-party iframes (unless the citizen blocks third-party cookies). On
plain HTTP (the demo, tests) ``SameSite=None`` would need ``Secure``, which an HTTP
response cannot rely on, so cookies stay ``Lax``: the portal must then be the same site
(``localhost:5001`` framing ``localhost:5000``: ports do not count for sites).
CSRF stays guarded by the token (csrf.py), not by SameSite.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface


def same_site() -> str:
    """``None`` under HTTPS (cookies work in a third-party iframe), else ``Lax``."""
    return "None" if has_request_context() and request.is_secure else "Lax"


def secure() -> bool:
    """Whether cookies carry ``Secure``: exactly under HTTPS."""
    return has_request_context() and request.is_secure


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session with :func:`same_site` and :func:`secure` per request."""

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """``SameSite`` of the session cookie."""
        return same_site()

    def get_cookie_secure(self, app: Flask) -> bool:
        """``Secure`` of the session cookie."""
        return secure()


def init_app(app: Flask) -> None:
    """Use the per-request policy for the session cookie."""
    app.session_interface = SessionInterface()
