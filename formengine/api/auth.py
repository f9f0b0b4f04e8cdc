"""Tenant API keys: ``Authorization: Bearer fe_…`` (docs/tenants.md, docs/api.md)."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext

from formengine.api.problems import ApiProblem
from formengine.definitions import Catalog, FormDefinition
from formengine.tenants import Tenant, Tenants

#: The challenge of a 401 for a missing or unknown key.
CHALLENGE = 'Bearer realm="formengine-api"'


def tenants() -> Tenants:
    """The app's tenants."""
    found: Tenants = current_app.extensions["formengine.tenants"]
    return found


def _refused(detail: str) -> ApiProblem:
    return ApiProblem(401, "tenant-key", gettext("Unknown or missing API key"), detail,
                      headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})


def optional_tenant() -> Tenant | None:
    """The tenant of the request's API key; None without an ``Authorization`` header.
    A key that is sent but unknown (or not a bearer key) is a 401, never ignored."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or len(key) > 200:
        raise _refused(gettext("Send the key as Authorization: Bearer fe_…"))
    tenant = tenants().by_key(key)
    if tenant is None:
        raise _refused(gettext("This API key is not known. Ask for a new one."))
    return tenant


def required_tenant() -> Tenant:
    """The tenant of the request's API key; 401 (with ``WWW-Authenticate``) without one."""
    tenant = optional_tenant()
    if tenant is None:
        raise ApiProblem(401, "tenant-key", gettext("Unknown or missing API key"),
                         gettext("Send the key as Authorization: Bearer fe_…"),
                         headers={"WWW-Authenticate": CHALLENGE})
    return tenant


def visible(tenant: Tenant | None) -> list[FormDefinition]:
    """The procedures a caller may use: the tenant's enabled ones, or every one."""
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    return [d for d in catalog if tenant is None or tenant.allows(d.id)]


def procedure(procedure_id: str, tenant: Tenant | None) -> FormDefinition:
    """The definition ``procedure_id`` if the caller may use it, else a 404 problem (the
    same for an unknown procedure and one the tenant has not enabled)."""
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    definition = catalog.get(procedure_id)
    if definition is None or (tenant is not None and not tenant.allows(definition.id)):
        raise ApiProblem(404, "unknown-procedure", gettext("No such procedure"),
                         gettext("The procedure does not exist, or it is not enabled for "
                                 "your portal."))
    return definition
