"""Tenants: the provinces and portals that embed our forms and call our API.

One TOML file per tenant in the tenants folder (``FORMENGINE_TENANTS``), named
``<tenant-id>.toml``::

    name = { vi = "Cổng dịch vụ công Hà Nội", en = "Hà Nội public services portal" }
    origins = ["https://dichvucong.hanoi.gov.vn"]     # pages allowed to frame our forms
    procedures = ["ct01-residence-change", "birth-registration"]   # or ["*"]
    default_language = "vi"
    client_ids = ["hanoi-portal"]    # the portal's OpenID Connect clients (docs/api.md)

    [branding]
    logo = "https://dichvucong.hanoi.gov.vn/logo.svg"  # or a path under /static/
    colors = { primary = "#a50e0e", primary_text = "#ffffff" }

    [webhook]
    url = "https://xuly.hanoi.gov.vn/formengine"
    secret = "…"                                     # or secret_env = "HANOI_WEBHOOK_SECRET"

    [[api_keys]]
    id = "processing-2026"
    sha256 = "…"            # formengine tenants key hanoi prints a key and this line

Every file is validated with pydantic when the app starts; a problem names the file and
the key (``tenants/hanoi.toml: branding.colors.primary: …``) and stops the start-up, so a
typo never silently opens or closes a portal. API keys are stored as SHA-256 hashes of
256-bit random keys (a slow hash adds nothing for random keys); they are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = ["ApiKey", "Tenant", "TenantError", "Tenants", "hash_key", "new_key"]

#: A tenant id: the file's name without ``.toml``.
ID_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_COLOUR: Final = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ORIGIN: Final = re.compile(r"^(?:https://[a-z0-9.-]+|http://(?:localhost|127\.0\.0\.1))"
                            r"(?::[0-9]{1,5})?$")
_KEY_PREFIX: Final = "fe_"


def new_key() -> str:
    """A new API key: ``fe_`` and 256 random bits, URL-safe."""
    return _KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The SHA-256 (hex) a tenant file keeps of an API key."""
    return hashlib.sha256(key.encode()).hexdigest()


def _origin(value: str) -> str:
    if not _ORIGIN.fullmatch(value):
        raise ValueError("an origin is https://host[:port] (http:// only for localhost "
                         "or 127.0.0.1), without a path or a trailing slash")
    return value


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError("a colour is #rgb or #rrggbb")
    return value.lower()


Origin = Annotated[str, AfterValidator(_origin)]
Colour = Annotated[str, AfterValidator(_colour)]
LocalText = dict[Literal["vi", "en", "fr"], str] | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colors(_Strict):
    """Brand colours, set as CSS custom properties (never as markup or script)."""

    primary: Colour | None = None
    primary_text: Colour | None = None
    link: Colour | None = None
    focus: Colour | None = None


class Branding(_Strict):
    """What a tenant may change of our pages: a logo and colours."""

    logo: str | None = None
    colors: Colors = Colors()

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("https://") or (
                value.startswith("/static/") and ".." not in value)):
            raise ValueError("a logo is an https:// URL or a path under /static/")
        return value


class Webhook(_Strict):
    """Where the tenant's submissions are delivered, signed with its secret."""

    url: str
    secret: str | None = None
    secret_env: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("the webhook url is an http(s):// URL")
        return value

    @model_validator(mode="after")
    def _one_secret(self) -> Webhook:
        if (self.secret is None) == (self.secret_env is None):
            raise ValueError("give the webhook exactly one of `secret` or `secret_env`")
        return self

    def secret_value(self) -> str:
        """The secret itself (read from the environment for ``secret_env``)."""
        if self.secret is not None:
            return self.secret
        found = os.environ.get(self.secret_env or "")
        if not found:
            raise TenantError(f"the environment variable {self.secret_env} is not set")
        return found


class ApiKey(_Strict):
    """One API key of a tenant: a name to tell keys apart and the key's SHA-256."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Tenant(_Strict):
    """One province or portal (its id is the file name)."""

    id: Annotated[str, Field(pattern=ID_PATTERN.pattern)]
    name: LocalText
    origins: tuple[Origin, ...] = ()
    procedures: tuple[str, ...] = ()
    default_language: Literal["vi", "en", "fr"] = "vi"
    branding: Branding = Branding()
    webhook: Webhook | None = None
    api_keys: tuple[ApiKey, ...] = ()
    #: OpenID Connect client ids of the portal at the national identity provider: a
    #: citizen's ID token issued to one of them is accepted from this tenant's API key.
    client_ids: tuple[Annotated[str, Field(min_length=1, max_length=200)], ...] = ()

    def allows(self, procedure_id: str) -> bool:
        """Whether the tenant has ``procedure_id`` enabled (``"*"``: every procedure)."""
        return "*" in self.procedures or procedure_id in self.procedures

    def css_variables(self) -> str:
        """The branding as CSS custom properties (``--fe-primary: #a50e0e; …``)."""
        colors = self.branding.colors.model_dump(exclude_none=True)
        return "; ".join(f"--fe-{name.replace('_', '-')}: {value}"
                         for name, value in colors.items())


class TenantError(Exception):
    """A tenant file is missing, unreadable or invalid; the message names file and key."""


def _location(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(file)"


def load_tenant(path: Path) -> Tenant:
    """The tenant of one TOML file; raises :class:`TenantError` naming file and key."""
    tenant_id = path.stem
    if not ID_PATTERN.fullmatch(tenant_id):
        raise TenantError(f"{path}: the file name must be a tenant id: lower-case letters, "
                          "digits and hyphens, then .toml")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TenantError(f"{path}: cannot be read ({type(exc).__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise TenantError(f"{path}: not valid TOML: {exc}") from None
    if "id" in document:
        raise TenantError(f"{path}: id: remove it; the id is the file name ({tenant_id})")
    try:
        return Tenant.model_validate({**document, "id": tenant_id})
    except ValidationError as exc:
        raise TenantError("\n".join(f"{path}: {_location(e)}: {e['msg']}"
                                    for e in exc.errors())) from None


class Tenants:
    """Every tenant of a folder, by id and by API key."""

    def __init__(self, tenants: Iterable[Tenant] = ()) -> None:
        self._by_id = {t.id: t for t in tenants}
        self._by_key = {k.sha256: t for t in self._by_id.values() for k in t.api_keys}

    @classmethod
    def load(cls, folder: Path | None) -> Tenants:
        """The tenants of ``folder``'s ``*.toml`` files (none when it is None or missing);
        raises :class:`TenantError` listing every invalid file."""
        if folder is None or not folder.is_dir():
            return cls()
        found, problems = [], []
        for path in sorted(folder.glob("*.toml")):
            try:
                found.append(load_tenant(path))
            except TenantError as exc:
                problems.append(str(exc))
        if problems:
            raise TenantError("\n".join(problems))
        return cls(found)

    def check_procedures(self, known: set[str]) -> None:
        """Raise :class:`TenantError` naming every enabled procedure that is not in
        ``known`` (the ids of the loaded definitions)."""
        problems = [f"{tenant.id}.toml: procedures.{index}: no definition called "
                    f"{procedure!r}" for tenant in self
                    for index, procedure in enumerate(tenant.procedures)
                    if procedure != "*" and procedure not in known]
        if problems:
            raise TenantError("\n".join(problems))

    def get(self, tenant_id: str | None) -> Tenant | None:
        """The tenant ``tenant_id`` (None when unknown)."""
        return self._by_id.get(tenant_id or "")

    def by_key(self, key: str) -> Tenant | None:
        """The tenant an API key belongs to (None for an unknown key)."""
        digest = hash_key(key)
        for known, tenant in self._by_key.items():
            if hmac.compare_digest(known, digest):
                return tenant
        return None

    def __iter__(self) -> Iterator[Tenant]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
