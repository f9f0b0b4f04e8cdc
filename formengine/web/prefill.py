"""The prefill snapshot of the current request: taken when a form opens, carried signed.

The snapshot travels in the hidden field ``_prefill``, signed with the app secret (like the
answers in ``_state``), so the register's values cannot be altered by the browser; it is
bound to the signed-in person, so it is taken again when someone else signs in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer

from formengine.config import Settings
from formengine.definitions.model import FormDefinition
from formengine.prefilling.service import PrefillService
from formengine.prefilling.snapshot import CORRECTION_LIMIT, Snapshot
from formengine.web import consent
from formengine.web.auth import signed_in
from formengine.web.errors import CitizenBadRequest
from formengine.web.state import signed_field
from prefill.adapter import PopulationAdapter
from prefill.http import HttpAdapter
from prefill.sqlite import SqliteAdapter

#: Form fields carrying a correction: ``_correction:<top-level pointer>``.
CORRECTION_PREFIX = "_correction:"


def _serializer(definition: FormDefinition) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt=f"formengine-prefill:{definition.id}")


def dump_snapshot(definition: FormDefinition, snapshot: Snapshot) -> str:
    """The hidden-field value carrying ``snapshot``."""
    return str(_serializer(definition).dumps(snapshot.to_json()))


def service() -> PrefillService | None:
    """The app's prefill service (None when no population source is configured)."""
    found: PrefillService | None = current_app.extensions.get("formengine.prefill")
    return found


def fresh(definition: FormDefinition) -> Snapshot:
    """A new snapshot for the signed-in person (``anonymous`` when nobody is)."""
    person = signed_in()
    if person is None:
        return Snapshot(None, "anonymous")
    if not definition.bindings:
        return Snapshot(person.personal_id, "ok")
    prefill = service()
    if prefill is None:
        return Snapshot(person.personal_id, "unavailable")
    return prefill.snapshot(definition, person.personal_id,
                            request.headers.get("X-Request-Id"),
                            co_applicant=consent.granted(definition, person.personal_id))


def renewed(definition: FormDefinition, snapshot: Snapshot) -> Snapshot | None:
    """A new snapshot when a co-applicant agreed or withdrew since ``snapshot`` was taken
    (the citizen's corrections carried over), else None. ``g.co_applicant_dropped`` is set
    to the snapshot that held the other person's record (its answers are to be cleared)."""
    if snapshot.status != "ok" or not consent.wanted(definition):
        return None
    if consent.granted(definition, snapshot.owner) == snapshot.co_applicant:
        return None
    if snapshot.co_applicant is not None:
        g.co_applicant_dropped = snapshot
    renewed = fresh(definition)
    renewed.corrections.update(snapshot.corrections)
    g.prefill_renewed = True
    return renewed


def token_owner(definition: FormDefinition, form: Mapping[str, str]) -> str | None:
    """Whose form this is, by the signed snapshot it carries (None: none, or altered)."""
    data = signed_field(_serializer(definition), form, "_prefill")
    found = data.get("owner") if data is not None else None
    return found if isinstance(found, str) else None


def posted(definition: FormDefinition, form: Mapping[str, str]) -> Snapshot:
    """The snapshot the form carries, else a fresh one; with the corrections posted."""
    token = form.get("_prefill")
    person = signed_in()
    snapshot: Snapshot | None = None
    if token:
        try:
            data: Any = _serializer(definition).loads(token)
        except BadSignature:
            raise CitizenBadRequest(gettext(
                "The data from the population register carried by the form was altered."
            )) from None
        snapshot = Snapshot.from_json(data) if isinstance(data, dict) else None
    owner = person.personal_id if person else None
    if snapshot is None or snapshot.owner != owner:
        snapshot = fresh(definition)
    else:
        snapshot = renewed(definition, snapshot) or snapshot
    for key, text in form.items():
        if key.startswith(CORRECTION_PREFIX):
            top = key[len(CORRECTION_PREFIX):]
            if not snapshot.correctable(top):
                continue
            text = " ".join(text.split())[:CORRECTION_LIMIT]
            if text:
                snapshot.corrections[top] = text
            else:
                snapshot.corrections.pop(top, None)
    return snapshot


def init_app(app: Flask, settings: Settings) -> None:
    """Give the app its population source and prefill service (after the audit log)."""
    adapter = population_adapter(settings)
    app.extensions["formengine.population"] = adapter
    app.extensions["formengine.prefill"] = PrefillService(
        adapter, app.extensions["formengine.audit"], settings.prefill_budget)


def population_adapter(settings: Settings) -> PopulationAdapter:
    """The configured population source: the HTTP service, else the embedded SQLite file."""
    if settings.population_url:
        return HttpAdapter(settings.population_url, settings.population_token or "",
                           read_timeout=settings.prefill_budget)
    return SqliteAdapter(settings.population_path)


def current() -> Snapshot | None:
    """The snapshot this request works with (set by the citizen views)."""
    found: Snapshot | None = g.get("prefill")
    return found
