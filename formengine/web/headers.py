"""Security headers on every response: CSP, nosniff, Referrer-Policy, HSTS under HTTPS.

The Content-Security-Policy allows scripts, styles, images, fonts and requests from this
origin only, with neither ``'unsafe-inline'`` nor ``'unsafe-eval'``: templates carry no
inline script, style or event handler, and htmx is configured (``<meta name="htmx-config">``
in base.html) not to evaluate code nor inject its indicator styles. Who may frame the pages
comes from :func:`frame_ancestors`, the one place that lists a tenant's portal origins:
this site only, except the pages of a form embedded in a tenant's portal (web/embed.py),
which its origins may frame too. ``X-Frame-Options: SAMEORIGIN`` (for browsers without
CSP level 2) goes on every page but those: it cannot name other origins, and would block.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

from formengine.web.embed import current

#: Strict-Transport-Security for responses to HTTPS requests: a year, this host only.
HSTS = "max-age=31536000"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def frame_ancestors() -> list[str]:
    """The origins allowed to frame this response (CSP ``frame-ancestors``): this site,
    and the tenant's portal origins on the pages of a form it embeds."""
    embedded = current()
    return ["'self'", *(embedded.origins if embedded else ())]


def image_sources() -> list[str]:
    """Where images may come from: this site, and the origin of an embedding tenant's
    ``https://`` logo."""
    embedded = current()
    logo = embedded.tenant.branding.logo if embedded else None
    if logo and logo.startswith("https://"):
        parts = urlsplit(logo)
        return ["'self'", "data:", f"{parts.scheme}://{parts.netloc}"]
    return ["'self'", "data:"]


def content_security_policy() -> str:
    """The Content-Security-Policy of this response."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": image_sources(),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": frame_ancestors(),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_headers(response: Response) -> Response:
    """Put the security headers on ``response`` (those a view set itself are kept)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    if current() is None:
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    app.after_request(add_headers)
