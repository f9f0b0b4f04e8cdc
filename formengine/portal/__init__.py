"""A sample province portal that embeds a form (the demo's second site, port 5001).

A tiny Flask app, no part of the engine: one page with the province's heading and colours,
the script tag a real portal would use (``<script src=".../embed.js" data-tenant=...
data-procedure=... data-lang=...>``) and a visible log of the ``formengine:submitted``
events it receives (written by portal.js: no inline script). ``formengine portal serve``
runs it; ``formengine serve --demo`` starts it too (docs/tenants.md, "Embedding").
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from flask import Flask, Response, current_app, render_template, request

HERE: Final = Path(__file__).resolve().parent
#: The demo's defaults: the bundled demo tenant and a form anyone can fill in.
TENANT: Final = "demo-portal"
PROCEDURE: Final = "example-residence-registration"


def policy(forms_url: str) -> str:
    """The portal page's own CSP: its files, the forms host's script and frames."""
    return (f"default-src 'self'; script-src 'self' {forms_url}; frame-src {forms_url}; "
            "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'")


#: Hosts the demo serves on; both are loopback, but they are two different *sites*.
LOCAL_HOSTS: Final = ("localhost", "127.0.0.1")


def forms_url_for_this_host(port: int) -> str:
    """The forms on ``port`` of the host this page was asked for (``localhost`` or
    ``127.0.0.1``): the same site as the portal, so the cookies work in the iframe."""
    host = request.host.rsplit(":", 1)[0]
    return f"http://{host if host in LOCAL_HOSTS else 'localhost'}:{port}"


def create_portal(forms_url: str, tenant: str = TENANT, procedure: str = PROCEDURE,
                  lang: str = "vi", forms_port: int | None = None) -> Flask:
    """The portal app; ``forms_url`` is where formengine is served (``http://localhost:5000``,
    no trailing slash), or, with ``forms_port``, that port on the host the portal page was
    asked for. ``app.config["PORTAL"]`` can be changed after it is made."""
    app = Flask("formengine-portal", static_folder=str(HERE / "static"),
                template_folder=str(HERE / "templates"))
    app.config["PORTAL"] = {"forms_url": forms_url.rstrip("/"), "tenant": tenant,
                            "procedure": procedure, "lang": lang}

    @app.get("/")
    def index() -> Response:
        settings = dict(current_app.config["PORTAL"])
        if forms_port is not None:
            settings["forms_url"] = forms_url_for_this_host(forms_port)
        response = Response(render_template("portal.html", **settings))
        response.headers["Content-Security-Policy"] = policy(settings["forms_url"])
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return app
