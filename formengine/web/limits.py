"""Rate limits (flask-limiter) on sign-in, register lookups and submissions, per client.

Three shared budgets per client IP address, each a setting (docs/security.md):

* **sign-in**: ``POST /auth/demo``, ``GET /auth/login``, ``GET /auth/callback`` and (demo
  mode) ``POST /api/v1/demo/citizen-tokens``;
* **prefill**: what reads the population register: a form opened by someone signed in,
  "try again" (``_action=prefill``), ``POST /api/v1/forms/<id>/people`` and
  ``POST /api/v1/procedures/<id>/submissions`` (which takes the citizen's snapshot);
* **submit**: "Accept and send" (``_action=submit``) and
  ``POST /api/v1/procedures/<id>/submissions``.

One Limiter per app (tests set low limits per app and never share counters); counters are in
Redis when ``FORMENGINE_RATE_LIMIT_STORAGE`` is set, else in the process's memory. The key
is an HMAC of the client's address with the app secret: neither counters nor flask-limiter's
log lines hold an address or anything personal. When Redis cannot be reached the limits go
on in memory (logged) rather than failing the request.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter

from formengine.config import Settings
from formengine.web.auth import signed_in

#: Prefix of every counter in the storage (one Redis may serve other applications too).
KEY_PREFIX = "formengine"


def client_key() -> str:
    """This request's client, pseudonymised: HMAC-SHA256 of its address with the secret."""
    address = (request.remote_addr or "unknown").encode()
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"formengine-rate:" + address, hashlib.sha256).hexdigest()[:24]


def _action() -> str:
    return request.form.get("_action", "") if request.method == "POST" else ""


#: (endpoint, budget, when the request counts against it).
RULES: list[tuple[str, str, Callable[[], bool]]] = [
    ("auth.demo_sign_in", "sign_in", lambda: True),
    ("oidc.login", "sign_in", lambda: True),
    ("oidc.callback", "sign_in", lambda: True),
    ("citizen.form", "prefill", lambda: signed_in() is not None),
    ("citizen.post", "prefill", lambda: _action() == "prefill"),
    ("api.person", "prefill", lambda: signed_in() is not None),
    ("citizen.post", "submit", lambda: _action() == "submit"),
    ("api_v1.create_submission", "submit", lambda: True),
    ("api_v1.create_submission", "prefill", lambda: True),
    ("api_v1.validate_answers", "prefill", lambda: bool(request.headers.get("X-Citizen-Token"))),
    ("api_v1.demo_citizen_token", "sign_in", lambda: True),
]


def limiter() -> Limiter | None:
    """The app's limiter (None when rate limits are off)."""
    found: Limiter | None = current_app.extensions.get("formengine.limiter")
    return found


def retry_after() -> int:
    """Seconds until the limit this request broke lets it through again (at least 1)."""
    found = limiter()
    limit = found.current_limit if found is not None else None
    if limit is None:
        return 60
    return max(1, int(limit.reset_at - time.time()))


def init_app(app: Flask, settings: Settings) -> None:
    """Put the limits on the views (after every blueprint is registered)."""
    if not settings.rate_limit_enabled:
        return
    found = Limiter(client_key, storage_uri=settings.rate_limit_storage or "memory://",
                    key_prefix=KEY_PREFIX, headers_enabled=False, strategy="fixed-window",
                    in_memory_fallback_enabled=True, swallow_errors=True)
    found.init_app(app)
    app.extensions["formengine.limiter"] = found
    for endpoint, budget, counts in RULES:
        view = app.view_functions.get(endpoint)
        if view is None:  # demo or OpenID Connect sign-in not configured
            continue
        value = getattr(settings, f"rate_limit_{budget}")
        limited = found.shared_limit(value, scope=budget, exempt_when=_unless(counts))
        app.view_functions[endpoint] = limited(view)  # type: ignore[assignment]


def _unless(counts: Callable[[], bool]) -> Callable[[], bool]:
    """flask-limiter's ``exempt_when`` for a rule that counts when ``counts()``."""
    return lambda: not counts()
