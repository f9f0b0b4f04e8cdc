"""Embedding: a form inside a province portal's page (docs/tenants.md, "Embedding").

* ``GET /embed/<tenant>/<procedure>`` is the form in the embedded layout (no site header
  or footer, the tenant's colours and default language); 404 for an unknown tenant or a
  procedure it has not enabled. ``/embed/<tenant>/brand.css`` holds the colours (CSS
  custom properties from validated ``#rgb``/``#rrggbb`` values: no inline style, so the
  CSP stays strict). ``/embed.js`` is the script a portal puts in its page.
* Every later step is a plain POST to ``/forms/<id>``: the form carries the tenant in a
  signed hidden field (``_tenant``, bound to the procedure), so the pages keep the layout
  and framing and the submission is stored with the tenant. An altered field is refused
  (400); a tenant since removed, or a procedure since disabled, gets a clear page (404).
* The demo sign-in keeps the embedding when its ``next`` is an embedded form.

The request's embedding (:func:`current`) decides ``frame-ancestors`` (headers.py) and the
default language (app.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from itsdangerous import URLSafeSerializer
from markupsafe import Markup, escape

from formengine.tenants import ID_PATTERN, Tenant, Tenants
from formengine.web.errors import CitizenBadRequest
from formengine.web.state import signed_field

bp = Blueprint("embed", __name__)

#: The hidden form field carrying the signed tenant.
FIELD: Final = "_tenant"
#: The views of the journey whose posts may carry :data:`FIELD`.
JOURNEY: Final = frozenset({"citizen.post", "citizen.save_draft", "citizen.validate_field"})
#: The sign-in views that keep the embedding of their ``next``.
SIGN_IN: Final = frozenset({"auth.demo", "auth.demo_sign_in"})
_NEXT: Final = re.compile(r"^/embed/([a-z0-9][a-z0-9-]{1,62})/([A-Za-z0-9._-]+)(?:[?#]|$)")
#: Brand colours and the engine's CSS custom properties they set (formengine.css).
BRAND_PROPERTIES: Final = {
    "primary": ("--fe-primary", "--fe-brand", "--fe-button"),
    "primary_text": ("--fe-primary-text", "--fe-brand-text", "--fe-button-text"),
    "link": ("--fe-link",),
    "focus": ("--fe-focus",),
}
STATIC: Final = Path(__file__).resolve().parent.parent / "static"


@dataclass(frozen=True)
class Embedded:
    """This request is a page of ``procedure`` embedded in ``tenant``'s portal."""

    tenant: Tenant
    procedure: str

    @property
    def origins(self) -> tuple[str, ...]:
        """The portal origins allowed to frame the page (and to get its messages)."""
        return self.tenant.origins


def tenants() -> Tenants:
    """The app's tenants."""
    found: Tenants = current_app.extensions["formengine.tenants"]
    return found


def current() -> Embedded | None:
    """The embedding of this request (None: a page of our own site)."""
    found: Embedded | None = g.get("embed")
    return found


def _serializer(procedure_id: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt=f"formengine-embed:{procedure_id}")


def dump_tenant(procedure_id: str, tenant_id: str) -> str:
    """The value of the hidden field carrying ``tenant_id`` through ``procedure_id``'s
    journey (the same for every visitor: the pages can be cached)."""
    return str(_serializer(procedure_id).dumps({"t": tenant_id}))


def posted_tenant(procedure_id: str, form: Mapping[str, str]) -> str | None:
    """The tenant id a post carried (None when it carried none); raises
    :class:`CitizenBadRequest` when the field was altered or belongs to another form."""
    if not form.get(FIELD):
        return None
    data = signed_field(_serializer(procedure_id), form, FIELD)
    tenant_id = data.get("t") if data else None
    if not isinstance(tenant_id, str):
        raise CitizenBadRequest(gettext("The portal this form was opened from could not be "
                                        "verified."))
    return tenant_id


def field() -> Markup:
    """The hidden ``_tenant`` input of a form of the journey (nothing when not embedded)."""
    embedded = current()
    if embedded is None:
        return Markup("")
    value = dump_tenant(embedded.procedure, embedded.tenant.id)
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(value)}">')


def form_url(procedure_id: str, **args: Any) -> str:
    """The URL of a form: embedded in the tenant's layout when this request is."""
    embedded = current()
    if embedded is None:
        return url_for("citizen.form", procedure_id=procedure_id, **args)
    return url_for("embed.form", tenant_id=embedded.tenant.id, procedure_id=procedure_id,
                   **args)


def _unavailable(tenant: Tenant | None) -> ResponseReturnValue:
    """The page of a journey whose tenant is gone or no longer offers the procedure."""
    get_locale()
    return render_template("embed_unavailable.html", tenant=tenant), 404, {
        "Cache-Control": "no-store"}


def resolve() -> ResponseReturnValue | None:
    """Find this request's embedding (before every view; see the module docstring)."""
    endpoint, args = request.endpoint or "", request.view_args or {}
    if endpoint == "embed.form":
        tenant = tenants().get(args.get("tenant_id"))
        if tenant is None or not tenant.allows(args["procedure_id"]):
            abort(404)  # before the other checks (sign-in level...): it is not here
        g.embed = Embedded(tenant, args["procedure_id"])
    elif endpoint in JOURNEY and request.method == "POST":
        procedure_id = args.get("procedure_id", "")
        tenant_id = posted_tenant(procedure_id, request.form)
        if tenant_id is None:
            return None
        tenant = tenants().get(tenant_id)
        if tenant is None:
            return _unavailable(None)
        g.embed = Embedded(tenant, procedure_id)
        if not tenant.allows(procedure_id):
            return _unavailable(tenant)
    elif endpoint in SIGN_IN:
        found = _NEXT.match(request.values.get("next") or "")
        tenant = tenants().get(found.group(1)) if found else None
        if found and tenant is not None and tenant.allows(found.group(2)):
            g.embed = Embedded(tenant, found.group(2))
    return None


@bp.get("/embed/<tenant_id>/<procedure_id>")
def form(tenant_id: str, procedure_id: str) -> ResponseReturnValue:
    """The form, embedded in the tenant's layout (:func:`resolve` made it 404 unless the
    tenant enabled it)."""
    from formengine.web import citizen

    return citizen.form(procedure_id)


def brand_css(tenant: Tenant) -> str:
    """The tenant's stylesheet: only custom properties, from validated colours."""
    colors = tenant.branding.colors.model_dump(exclude_none=True)
    lines = [f"  {prop}: {value};" for key, value in colors.items()
             for prop in BRAND_PROPERTIES[key]]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


@bp.get("/embed/<tenant_id>/brand.css")
def brand(tenant_id: str) -> ResponseReturnValue:
    """The tenant's colours as CSS custom properties (an external stylesheet: no inline
    style is needed, so ``style-src 'self'`` holds)."""
    tenant = tenants().get(tenant_id) if ID_PATTERN.fullmatch(tenant_id) else None
    if tenant is None:
        abort(404)
    response = Response(brand_css(tenant), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/embed.js")
def script() -> ResponseReturnValue:
    """The script a portal puts in its page to insert a form (formengine/static/embed.js)."""
    return send_from_directory(STATIC, "embed.js", mimetype="text/javascript", max_age=300)


def context() -> dict[str, Any]:
    """Template globals: the embedding of the page."""
    return {"embedded": current()}


def init_app(app: Flask) -> None:
    """The routes, :func:`resolve` before every view, the template helpers."""
    app.register_blueprint(bp)
    app.before_request(resolve)
    app.context_processor(context)
    app.jinja_env.globals.update(embed_field=field, form_url=form_url)
