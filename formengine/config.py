"""Settings read from the environment (prefix ``FORMENGINE_``) with pydantic-settings."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The repository root (the folder holding formengine/, templates/, form_definitions/).
PROJECT_ROOT = Path(__file__).resolve().parent.parent

LANGUAGES: tuple[str, ...] = ("vi", "en", "fr")

#: The engine database when ``FORMENGINE_DATABASE_URL`` is unset.
DEFAULT_DATABASE = PROJECT_ROOT / "instance" / "formengine.sqlite3"


class Settings(BaseSettings):
    """Every setting of the engine; each maps to ``FORMENGINE_<NAME>`` (see docs/settings.md)."""

    model_config = SettingsConfigDict(env_prefix="FORMENGINE_", extra="ignore")

    #: Folders of definitions, ``:``-separated in the environment.
    definitions: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [PROJECT_ROOT / "form_definitions"]
    )
    #: Demo mode: demo sign-in and synthetic population (never in production).
    demo: bool = False
    #: Secret for signing cookies and the carried form state. Random per process if unset.
    secret_key: str = Field(default_factory=lambda: secrets.token_hex(32))
    #: Largest request body accepted, in bytes (larger bodies get 413).
    max_body_bytes: int = 1_000_000
    #: Most form fields accepted in one POST (more get 400).
    max_fields: int = 2_000
    #: Language used when nothing else decides.
    default_language: str = "vi"
    #: Empty form pages kept rendered in memory (0: render every time).
    page_cache_size: int = 256
    #: Extra template folders searched before the bundled templates/ (portal overrides).
    template_overrides: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    #: The embedded population database (SQLite); None: ``instance/population.sqlite3``.
    population_db: Path | None = None
    #: The engine database (audit log; later drafts and submissions): a SQLAlchemy URL,
    #: ``sqlite:///...`` or ``postgresql://...``; None: ``instance/formengine.sqlite3``.
    database_url: str | None = None
    #: Migrate the engine database to the latest schema when the app starts.
    auto_migrate: bool = True

    #: Ed25519 key that signs stored submissions: base64 of 32 bytes; None: one kept in
    #: ``instance/signing_key``.
    signing_key: str | None = None
    #: Days a draft is kept after its last change.
    draft_days: int = Field(default=30, ge=1)
    #: Days the personal data of a decided submission is kept (``formengine purge``).
    retention_days: int = Field(default=365, ge=1)
    #: Base URL of a population-data service (prefill/openapi.json); None: the embedded file.
    population_url: str | None = None
    #: Bearer token for ``population_url``.
    population_token: str | None = None
    #: Seconds the population register may take before a form opens without its data.
    prefill_budget: float = Field(default=2.0, gt=0, le=30)

    #: Where ``formengine outbox run`` POSTs each submission (the processing system).
    webhook_url: str | None = None
    #: Secret of the HMAC-SHA256 signature of every POST (shared with the receiver).
    webhook_secret: str | None = None
    #: Failed attempts after which a delivery is parked (``formengine outbox retry``).
    outbox_max_attempts: int = Field(default=8, ge=1)
    #: Seconds before the first retry; doubled after each failed attempt (at most 1 h).
    outbox_backoff: float = Field(default=30.0, gt=0)

    #: Folder of tenant files (``<tenant-id>.toml``: provinces and portals, docs/tenants.md);
    #: None: no tenants, or the bundled ``tenants/`` in demo mode.
    tenants: Path | None = None

    #: OpenID Connect sign-in (docs/settings.md, "Sign-in"): on when issuer and client id
    #: are set. The issuer URL; discovery is at ``<issuer>/.well-known/openid-configuration``.
    oidc_issuer: str | None = None
    #: The client id and secret this service was registered with at the provider.
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    #: Scopes asked for, space-separated (``openid`` is always included).
    oidc_scopes: str = "openid profile"
    #: The ID-token (or userinfo) claim holding the 12-digit personal ID.
    oidc_id_claim: str = "personal_id"
    #: The claim holding the level of assurance (1 or 2; missing: 1).
    oidc_assurance_claim: str = "loa"
    #: Extra claim values mapped to levels, ``value=level`` comma-separated (``high=2``).
    oidc_assurance_values: Annotated[dict[str, int], NoDecode] = Field(default_factory=dict)
    #: The callback URL registered at the provider; None: ``/auth/callback`` of the request.
    oidc_redirect_uri: str | None = None

    #: Refuse form posts without the CSRF token of their browser (docs/security.md).
    csrf_enabled: bool = True
    #: How many reverse proxies in front of the service set X-Forwarded-For/-Proto/-Host
    #: (werkzeug's ProxyFix); 0: none, the client is the peer of the connection.
    trusted_proxies: int = Field(default=0, ge=0, le=5)
    #: Rate limits per client IP address (docs/security.md); off: no limits at all.
    rate_limit_enabled: bool = True
    #: Where the counters live: a ``redis://`` URL shared by every worker; None: in memory.
    rate_limit_storage: str | None = None
    #: Limits (``N/second|minute|hour|day``, ``;``-separated) of sign-in attempts, register
    #: lookups (forms opened signed in, the API) and submissions, per client IP address.
    rate_limit_sign_in: str = "20/minute;200/hour"
    rate_limit_prefill: str = "60/minute;600/hour"
    rate_limit_submit: str = "20/minute;200/hour"

    @field_validator("rate_limit_sign_in", "rate_limit_prefill", "rate_limit_submit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError("write limits like 20/minute;200/hour") from None
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _storage_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if urlsplit(value).scheme not in ("redis", "rediss", "redis+unix", "memory"):
            raise ValueError("must be a redis:// (or rediss://) URL")
        return value

    @field_validator("definitions", "template_overrides", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(part) for part in value.split(":") if part]
        return value

    @field_validator("oidc_issuer")
    @classmethod
    def _secure_issuer(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise ValueError("must be an https:// URL (http:// only on this machine)")
        return value.rstrip("/")

    @field_validator("oidc_assurance_values", mode="before")
    @classmethod
    def _split_levels(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = [part.rpartition("=") for part in value.split(",") if part.strip()]
            return {key.strip(): level.strip() for key, _, level in pairs}
        return value

    @field_validator("oidc_assurance_values")
    @classmethod
    def _known_levels(cls, value: dict[str, int]) -> dict[str, int]:
        if any(level not in (1, 2) for level in value.values()):
            raise ValueError("levels are 1 or 2, e.g. substantial=1,high=2")
        return value

    @property
    def oidc_enabled(self) -> bool:
        """Whether OpenID Connect sign-in is configured (issuer and client id)."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def tenants_path(self) -> Path | None:
        """The tenants folder: ``tenants``, else the bundled one in demo mode, else None."""
        if self.tenants is not None:
            return self.tenants
        return PROJECT_ROOT / "tenants" if self.demo else None

    @property
    def population_path(self) -> Path:
        """The population database file: ``population_db``, else the instance folder's."""
        return self.population_db or PROJECT_ROOT / "instance" / "population.sqlite3"

    @property
    def database(self) -> str:
        """The effective engine database URL: ``database_url``, else the instance folder's."""
        return self.database_url or f"sqlite:///{DEFAULT_DATABASE}"

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value
