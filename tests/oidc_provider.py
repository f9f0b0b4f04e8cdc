"""A small, strict OpenID provider for tests, served on a real socket (tests.servers).

It publishes discovery and its JWKS, approves every authorization request for the one
configured user (or refuses it with ``deny``), and answers the token endpoint only for the
right code, client secret, redirect URI and PKCE verifier, with an RS256 ID token. Knobs
(``claims``, ``id_token``, ``wrong_key``, ``deny``) make it misbehave the ways a test needs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "formengine-test"
CLIENT_SECRET = "client-secret-for-tests"


@dataclass
class Provider:
    """What the provider says and checks; change the fields between requests."""

    #: Claims of the signed-in user, put in the ID token (and userinfo).
    claims: dict[str, Any] = field(default_factory=lambda: {
        "sub": "user-1", "personal_id": "001090012345", "loa": "2"})
    #: Claims overriding the computed ones of the next ID tokens (``aud``, ``nonce``, ...);
    #: a value ``None`` removes the claim.
    id_token: dict[str, Any] = field(default_factory=dict)
    #: Claims only the userinfo endpoint gives (not in the ID token).
    userinfo_only: dict[str, Any] = field(default_factory=dict)
    #: Sign ID tokens with a key the JWKS does not publish (same kid).
    wrong_key: bool = False
    #: Refuse authorization requests (``error=access_denied``).
    deny: bool = False
    key: RSAKey = field(default_factory=lambda: _keys()[0])
    other_key: RSAKey = field(default_factory=lambda: _keys()[1])
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    #: What the provider saw: authorization requests' parameters, token requests' checks.
    authorizations: list[dict[str, str]] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)

    def app(self) -> Flask:
        """The provider as a WSGI app."""
        return _app(self)


@functools.cache
def _keys() -> tuple[RSAKey, RSAKey]:
    """The provider's signing key and another one with the same kid (made once)."""
    return (RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"}),
            RSAKey.generate_key(2048, parameters={"kid": "k1"}))


def _pkce(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _client_authenticated() -> bool:
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        return (auth.username, auth.password) == (CLIENT_ID, CLIENT_SECRET)
    return (request.form.get("client_id"), request.form.get("client_secret")) == (
        CLIENT_ID, CLIENT_SECRET)


def _app(provider: Provider) -> Flask:
    app = Flask("oidc_provider")

    def issuer() -> str:
        return request.host_url.rstrip("/")

    @app.get("/.well-known/openid-configuration")
    def discovery() -> ResponseReturnValue:
        base = issuer()
        return jsonify({
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "profile"],
        })

    @app.get("/jwks")
    def jwks() -> ResponseReturnValue:
        return jsonify(KeySet([provider.key]).as_dict(private=False))

    @app.get("/authorize")
    def authorize() -> ResponseReturnValue:
        args = request.args.to_dict()
        provider.authorizations.append(args)
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            abort(400)
        if "openid" not in args.get("scope", "").split():
            abort(400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            abort(400)
        back = args["redirect_uri"]
        if provider.deny:
            query = urlencode({"error": "access_denied", "state": args.get("state", "")})
            return redirect(f"{back}?{query}")
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {"challenge": args["code_challenge"], "redirect_uri": back,
                                "nonce": args.get("nonce", "")}
        return redirect(f"{back}?{urlencode({'code': code, 'state': args.get('state', '')})}")

    @app.post("/token")
    def token() -> ResponseReturnValue:
        if not _client_authenticated():
            provider.exchanges.append("bad client")
            return jsonify(error="invalid_client"), 401
        grant = provider.codes.pop(request.form.get("code", ""), None)
        if grant is None or request.form.get("grant_type") != "authorization_code":
            provider.exchanges.append("bad code")
            return jsonify(error="invalid_grant"), 400
        if request.form.get("redirect_uri") != grant["redirect_uri"]:
            provider.exchanges.append("bad redirect_uri")
            return jsonify(error="invalid_grant"), 400
        if _pkce(request.form.get("code_verifier", "")) != grant["challenge"]:
            provider.exchanges.append("bad verifier")
            return jsonify(error="invalid_grant"), 400
        provider.exchanges.append("ok")
        now = int(time.time())
        claims: dict[str, Any] = {"iss": issuer(), "aud": CLIENT_ID, "iat": now,
                                  "exp": now + 300, "nonce": grant["nonce"],
                                  **provider.claims}
        for name, value in provider.id_token.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        key = provider.other_key if provider.wrong_key else provider.key
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
        access = secrets.token_urlsafe(16)
        provider.tokens[access] = str(claims.get("sub"))
        return jsonify(access_token=access, token_type="Bearer", expires_in=300,
                       id_token=id_token)

    @app.get("/userinfo")
    def userinfo() -> ResponseReturnValue:
        auth = request.headers.get("Authorization", "")
        sub = provider.tokens.get(auth.removeprefix("Bearer "))
        if sub is None:
            return jsonify(error="invalid_token"), 401
        return jsonify({**provider.claims, **provider.userinfo_only, "sub": sub})

    return app
