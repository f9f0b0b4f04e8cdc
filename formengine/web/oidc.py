"""Sign-in with a national identity provider over OpenID Connect (Authlib's Flask client).

``GET /auth/login?next=/path`` sends the browser to the provider (authorization code flow
with PKCE S256, state and nonce); ``GET /auth/callback`` exchanges the code, checks the ID
token (signature from the provider's JWKS, issuer, audience, expiry, nonce), reads the
personal ID and the level of assurance from its claims and signs the person in. The session
then holds what the demo sign-in stores: ``personal_id``, ``auth_method`` (``oidc``) and
``assurance``. Failures are a translated page; the log names the reason, never the person.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from requests import RequestException

from formengine.config import Settings
from formengine.validation.formats import normalize_personal_id, personal_id_problem
from formengine.web.auth import safe_next

log = logging.getLogger(__name__)

bp = Blueprint("oidc", __name__)

#: Seconds of clock difference tolerated on the ID token's ``exp`` and ``iat``.
LEEWAY = 60
#: Seconds the provider may take to answer one request (discovery, JWKS, token).
TIMEOUT = 10
#: Where the target page waits while the browser is at the provider.
NEXT_KEY = "oidc_next"
#: The assurance levels (VNeID, Decree 69/2024: 1 self-registered, 2 verified in person).
LEVELS = (1, 2)


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in; ``reason`` says why (no personal data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def init_app(app: Flask, settings: Settings) -> None:
    """Register the provider and the routes when ``FORMENGINE_OIDC_*`` is configured."""
    if not settings.oidc_enabled:
        return
    scopes = settings.oidc_scopes.split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    oauth = OAuth(app)
    oauth.register(
        "oidc",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": " ".join(scopes), "code_challenge_method": "S256",
                       "default_timeout": TIMEOUT},
    )
    app.extensions["formengine.oidc"] = oauth.oidc
    app.register_blueprint(bp)


def _client() -> Any:
    return current_app.extensions["formengine.oidc"]


def _settings() -> Settings:
    settings: Settings = current_app.config["FORMENGINE"]
    return settings


def assurance_level(claims: Mapping[str, Any], settings: Settings) -> int:
    """The level of assurance the claims state: 1 or 2; missing or unknown values give 1."""
    value = claims.get(settings.oidc_assurance_claim)
    if value is None or isinstance(value, bool):
        return 1
    text = str(value).strip()
    if text in settings.oidc_assurance_values:
        return settings.oidc_assurance_values[text]
    if isinstance(value, int | str) and text.isdigit() and int(text) in LEVELS:
        return int(text)
    log.warning("unknown assurance value in claim %r: counted as level 1",
                settings.oidc_assurance_claim)
    return 1


def personal_id(claims: Mapping[str, Any], settings: Settings) -> str:
    """The valid 12-digit personal ID the claims carry, else :class:`SignInRefused`."""
    value = claims.get(settings.oidc_id_claim)
    if not isinstance(value, str):
        raise SignInRefused("id_claim_missing")
    normalized = normalize_personal_id(value)
    if personal_id_problem(normalized) is not None:
        raise SignInRefused("id_claim_invalid")
    return normalized


def _claims(token: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The ID token's claims, completed from the userinfo endpoint when the personal ID is
    only there (same ``sub`` required)."""
    userinfo = token.get("userinfo")
    if not isinstance(userinfo, Mapping):
        raise SignInRefused("no_id_token")
    claims = dict(userinfo)
    if settings.oidc_id_claim not in claims and _client().load_server_metadata().get(
            "userinfo_endpoint"):
        extra = dict(_client().userinfo(token=token))
        if extra.get("sub") == claims.get("sub"):
            claims = {**extra, **claims}
    return claims


def _reason(error: Exception) -> str:
    """A short, loggable name of what went wrong (never a claim value)."""
    if isinstance(error, SignInRefused):
        return error.reason
    if isinstance(error, MismatchingStateError):
        return "state"
    if isinstance(error, OAuthError):
        code = str(error.error or "oauth")
        return code if re.fullmatch(r"[a-z_]{1,40}", code) else "oauth"
    if isinstance(error, RequestException):
        return "unreachable"
    return f"token:{type(error).__name__}"


def _failed(error: Exception, target: str) -> ResponseReturnValue:
    """The translated page of a failed sign-in, and one log line naming the reason."""
    reason = _reason(error)
    log.warning("OpenID Connect sign-in failed: %s", reason)
    status = {"access_denied": 403, "state": 400, "unreachable": 503}.get(reason, 403)
    return render_template("auth_error.html", reason=reason, next=target), status


@bp.get("/auth/login")
def login() -> ResponseReturnValue:
    """Send the browser to the identity provider; back to ``next`` (a local path) after."""
    target = safe_next(request.args.get("next"))
    settings = _settings()
    callback = settings.oidc_redirect_uri or url_for("oidc.callback", _external=True)
    try:
        response: ResponseReturnValue = _client().authorize_redirect(callback)
    except Exception as error:  # discovery failed: the provider is down or misconfigured
        log.warning("OpenID Connect provider unusable: %s", type(error).__name__)
        return render_template("auth_error.html", reason="unreachable", next=target), 503
    session[NEXT_KEY] = target
    return response


@bp.get("/auth/callback")
def callback() -> ResponseReturnValue:
    """Exchange the code, check the ID token and sign the person in."""
    settings = _settings()
    target = safe_next(session.get(NEXT_KEY))
    try:
        # Authlib checks aud only through these options (an ID token for another client
        # with azp naming us would pass otherwise): iss and aud are both required here.
        token = _client().authorize_access_token(leeway=LEEWAY, claims_options={
            "iss": {"essential": True, "value": settings.oidc_issuer},
            "aud": {"essential": True, "value": settings.oidc_client_id}})
        claims = _claims(token, settings)
        person, level = personal_id(claims, settings), assurance_level(claims, settings)
    except Exception as error:  # whatever the provider or browser sent: a page, not a 500
        return _failed(error, target)
    session.clear()  # a new session for the signed-in person (no fixation)
    session.update(personal_id=person, auth_method="oidc", assurance=level)
    return redirect(target, code=303)
