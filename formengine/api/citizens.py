"""The citizen's token (``X-Citizen-Token``): who the submission is for, and how sure we are.

Outside demo mode it is an OpenID Connect ID token of the national identity provider
(``FORMENGINE_OIDC_ISSUER``), obtained by the portal when the citizen signed in there. It is
checked like the ID token of our own sign-in (formengine/web/oidc.py): signature against the
provider's JWKS (from discovery; cached, fetched again for an unknown key id), issuer,
expiry (and ``nbf``, ``iat``) with the same leeway, and audience: our client id or one of
the calling tenant's ``client_ids`` (with several audiences, ``azp`` must be one of them).
Personal ID and level of assurance come from the configured claims. The JOSE work is done by
joserfc, the library Authlib itself delegates to (Authlib's own ``authlib.jose`` is
deprecated).

In demo mode only, ``POST /api/v1/demo/citizen-tokens`` also issues demo tokens
(``fe-demo.…``, signed with the app secret, valid :data:`DEMO_TOKEN_SECONDS`); outside demo
mode they are refused like any other unknown token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from flask import current_app, request
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from formengine.api.problems import ApiProblem
from formengine.config import Settings
from formengine.tenants import Tenant
from formengine.web.auth import DEMO_ASSURANCE
from formengine.web.oidc import LEEWAY, TIMEOUT, SignInRefused, assurance_level, personal_id

log = logging.getLogger(__name__)

#: The request header carrying the citizen's token.
HEADER = "X-Citizen-Token"
DEMO_PREFIX = "fe-demo."
DEMO_TOKEN_SECONDS = 900
#: Seconds the provider's keys are kept; an unknown key id fetches them again (at most
#: once per :data:`REFRESH_AFTER` seconds).
KEYS_TTL, REFRESH_AFTER = 3600, 60
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]


@dataclass(frozen=True)
class Citizen:
    """The person a token names, and the level of assurance of their sign-in."""

    personal_id: str
    assurance: int
    method: str


class TokenRefused(Exception):
    """The token cannot be used; ``reason`` is loggable (no personal data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderKeys:
    """The identity provider's signing keys, from its discovery document (cached)."""

    def __init__(self, issuer: str, timeout: float = TIMEOUT) -> None:
        self.issuer, self.timeout = issuer, timeout
        self._keys: KeySet | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def _fetch(self) -> KeySet:
        discovery = requests.get(f"{self.issuer}/.well-known/openid-configuration",
                                 timeout=self.timeout)
        discovery.raise_for_status()
        jwks_uri = discovery.json()["jwks_uri"]
        answer = requests.get(jwks_uri, timeout=self.timeout)
        answer.raise_for_status()
        return KeySet.import_key_set(answer.json())

    def keys(self, refresh: bool = False) -> KeySet:
        """The key set; ``refresh`` fetches it again unless it was fetched just now."""
        with self._lock:
            age = time.monotonic() - self._fetched
            if self._keys is None or age > KEYS_TTL or (refresh and age > REFRESH_AFTER):
                try:
                    self._keys, self._fetched = self._fetch(), time.monotonic()
                except (requests.RequestException, ValueError, KeyError, TypeError,
                        JoseError) as exc:
                    log.warning("identity provider keys unavailable: %s", type(exc).__name__)
                    if self._keys is None:
                        raise TokenRefused("unreachable") from None
            return self._keys


def _audience_ok(claims: Mapping[str, Any], allowed: Collection[str]) -> bool:
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if not any(isinstance(a, str) and a in allowed for a in audiences):
        return False
    return len(audiences) == 1 or claims.get("azp") in allowed


def verify_id_token(token: str, keys: ProviderKeys, settings: Settings,
                    tenant: Tenant | None) -> Citizen:
    """The citizen of an ID token of the provider, else :class:`TokenRefused`."""
    try:
        try:
            decoded = jwt.decode(token, keys.keys(), algorithms=ALGORITHMS)
        except JoseError:  # perhaps signed with a key published since: fetch them again
            decoded = jwt.decode(token, keys.keys(refresh=True), algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError):
        raise TokenRefused("signature") from None
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(leeway=LEEWAY, iss={"essential": True,
                                                         "value": settings.oidc_issuer or ""},
                                     exp={"essential": True})
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise TokenRefused(f"claims:{type(exc).__name__}") from None
    allowed = {settings.oidc_client_id or "", *(tenant.client_ids if tenant else ())} - {""}
    if not _audience_ok(claims, allowed):
        raise TokenRefused("audience")
    try:
        return Citizen(personal_id(claims, settings), assurance_level(claims, settings),
                       "oidc")
    except SignInRefused as exc:
        raise TokenRefused(exc.reason) from None


def _demo_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt="formengine-api-demo-citizen")


def demo_token(person_id: str) -> str:
    """A demo citizen token for ``person_id`` (demo mode only)."""
    return DEMO_PREFIX + str(_demo_serializer().dumps({"personal_id": person_id}))


def _demo_citizen(token: str) -> Citizen:
    try:
        data = _demo_serializer().loads(token[len(DEMO_PREFIX):],
                                        max_age=DEMO_TOKEN_SECONDS)
    except BadSignature:
        raise TokenRefused("demo") from None
    found = data.get("personal_id") if isinstance(data, dict) else None
    if not isinstance(found, str):
        raise TokenRefused("demo")
    return Citizen(found, DEMO_ASSURANCE, "demo")


def _settings() -> Settings:
    settings: Settings = current_app.config["FORMENGINE"]
    return settings


def citizen_of(token: str, tenant: Tenant | None) -> Citizen:
    """The citizen of a token, else :class:`TokenRefused`."""
    settings = _settings()
    if token.startswith(DEMO_PREFIX):
        if not settings.demo:
            raise TokenRefused("demo")
        return _demo_citizen(token)
    keys: ProviderKeys | None = current_app.extensions.get("formengine.api.provider_keys")
    if keys is None:
        raise TokenRefused("no_provider")
    return verify_id_token(token, keys, settings, tenant)


def required_citizen(tenant: Tenant | None) -> Citizen:
    """The citizen of the request's ``X-Citizen-Token``; a 401 problem without a usable
    one (the log names the reason, never the person)."""
    token = request.headers.get(HEADER, "").strip()
    challenge = {"WWW-Authenticate": f'CitizenToken realm="formengine-api", header="{HEADER}"'}
    if not token:
        raise ApiProblem(401, "citizen-token", gettext("The citizen's sign-in is missing"),
                         gettext("Send the citizen's ID token in the X-Citizen-Token "
                                 "header."), headers=challenge)
    try:
        if len(token) > 8000:
            raise TokenRefused("too_long")
        return citizen_of(token, tenant)
    except TokenRefused as exc:
        log.warning("citizen token refused: %s", exc.reason)
        if exc.reason == "unreachable":
            raise ApiProblem(503, "citizen-token",
                             gettext("The identity provider is not answering"),
                             gettext("Try again in a minute."),
                             headers={"Retry-After": "30"}) from None
        raise ApiProblem(401, "citizen-token", gettext("The citizen's sign-in is not valid"),
                         gettext("The token is expired, altered, or not issued for this "
                                 "service. Ask the citizen to sign in again."),
                         headers=challenge) from None


def init_app(app: Any, settings: Settings) -> None:
    """Keep the provider's keys when OpenID Connect is configured."""
    if settings.oidc_enabled and settings.oidc_issuer:
        app.extensions["formengine.api.provider_keys"] = ProviderKeys(settings.oidc_issuer)
