"""The Flask application factory."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask_babel import Babel
from flask_htmx import HTMX
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from formengine import i18n
from formengine.catalogue import fee_text
from formengine.config import LANGUAGES, PROJECT_ROOT, Settings
from formengine.definitions import Catalog
from formengine.storage import SqlAuditLog, is_at_head, make_engine, upgrade
from formengine.submissions.signing import Signer, load_or_create_key
from formengine.submissions.store import SubmissionStore
from formengine.tenants import Tenants
from formengine.web.cache import RenderCache

log = logging.getLogger(__name__)

TEMPLATES = PROJECT_ROOT / "templates"


def _secret_key(settings: Settings, instance: Path, explicit: bool) -> str:
    """The configured secret, else one kept in the instance folder (stable over restarts)."""
    if explicit:
        return settings.secret_key
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _init_storage(app: Flask, settings: Settings) -> None:
    """The engine database (migrated when ``auto_migrate``) and the audit log on it."""
    engine = make_engine(settings.database)
    if settings.auto_migrate:
        upgrade(engine)
    elif not is_at_head(engine):
        log.warning("the engine database is not at the latest schema: run "
                    "`formengine db upgrade`")
    app.extensions["formengine.db"] = engine
    app.extensions["formengine.audit"] = SqlAuditLog(engine)
    key = settings.signing_key or load_or_create_key(Path(app.instance_path) / "signing_key")
    app.extensions["formengine.submissions"] = SubmissionStore(
        engine, Signer.from_text(key), settings.draft_days)


def create_app(settings: Settings | dict[str, Any] | None = None) -> Flask:
    """Create the app. ``settings`` overrides the environment (a dict of Settings fields)."""
    if not isinstance(settings, Settings):
        settings = Settings(**(settings or {}))
    app = Flask("formengine", instance_path=str(PROJECT_ROOT / "instance"),
                static_folder=str(Path(__file__).parent / "static"))
    if settings.trusted_proxies:  # the client's address and scheme as the proxies saw them
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    explicit_secret = "FORMENGINE_SECRET_KEY" in os.environ or "secret_key" in (
        settings.model_fields_set)
    app.config.update(
        SECRET_KEY=_secret_key(settings, Path(app.instance_path), explicit_secret),
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_PARTS=settings.max_fields * 4,
        FORMENGINE=settings,
    )
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader([str(p) for p in settings.template_overrides]),
         FileSystemLoader(str(TEMPLATES))]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(localize=i18n.localize, LANGUAGES=LANGUAGES,
                                 has_route=lambda name: name in app.view_functions,
                                 fee_text=fee_text,
                                 status_label=lambda status: i18n.status_label(status, g.lang))
    app.jinja_env.filters.update(fe_datetime=lambda when: i18n.local_datetime(when, g.lang),
                                 fe_date=lambda when: i18n.local_date(when, g.lang))

    def select_locale() -> str:
        chosen = request.args.get("lang")
        if request.method == "POST" and not chosen:
            try:
                chosen = request.form.get("_lang")
            except HTTPException:  # a body too large or unreadable: its error page decides
                chosen = None
        g.lang_chosen = chosen in LANGUAGES
        # An embedded page (web/embed.py): the citizen's choice, else the tenant's language.
        embedded = g.get("embed")
        lang: str = getattr(g, "lang", None) or i18n.pick_language(
            chosen, request.cookies.get("lang"),
            {} if embedded else dict(request.accept_languages),
            embedded.tenant.default_language if embedded else settings.default_language)
        g.lang = lang
        return lang

    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(i18n.TRANSLATIONS_DIR))
    HTMX(app)

    _init_storage(app, settings)
    tenants = Tenants.load(settings.tenants_path)
    catalog = Catalog.load(settings.definitions)
    tenants.check_procedures({d.id for d in catalog})
    app.extensions["formengine.tenants"] = tenants
    app.extensions["formengine.catalog"] = catalog
    app.extensions["formengine.page_cache"] = RenderCache(settings.page_cache_size)
    log.info("serving %d definitions (%d problems)", len(catalog), len(catalog.problems))

    from formengine import api as api_v1
    from formengine.web import (
        api,
        assets,
        assurance,
        auth,
        citizen,
        consent,
        cookies,
        csrf,
        designer,
        embed,
        errors,
        headers,
        limits,
        oidc,
        prefill,
        receipts,
        units,
    )

    prefill.init_app(app, settings)
    consent.init_app(app)
    designer.init_app(app, settings)
    app.register_blueprint(assets.bp)
    app.register_blueprint(citizen.bp)
    app.register_blueprint(units.bp)
    app.register_blueprint(api.bp)
    api_v1.init_app(app, settings)
    app.register_blueprint(receipts.bp)
    app.context_processor(auth.context)
    if settings.demo:
        app.register_blueprint(auth.bp)
    oidc.init_app(app, settings)
    if settings.demo or settings.oidc_enabled:
        app.register_blueprint(auth.account)
    errors.init_app(app)
    limits.init_app(app, settings)  # on the views: after every blueprint is registered
    headers.init_app(app)

    from formengine.cli import register

    register(app)

    cookies.init_app(app)
    embed.init_app(app)  # before the language: an embedded page has the tenant's

    @app.before_request
    def _language() -> None:
        select_locale()

    csrf.init_app(app)  # after the language: its page is translated
    assurance.init_app(app)  # after the token check: it keeps what was posted

    @app.after_request
    def _remember_language(response: Any) -> Any:
        if getattr(g, "lang_chosen", False) and not request.path.startswith("/api/"):
            response.set_cookie("lang", g.lang, max_age=365 * 24 * 3600,
                                samesite=cookies.same_site(), secure=cookies.secure(),
                                httponly=True)
        return response

    return app
