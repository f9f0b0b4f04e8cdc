"""The citizen's journey between pages: the idempotency key, drafts and the session.

* **The idempotency key** (``_key``, signed, bound to the signed-in person) is made on the
  first page rendered for someone and carried by every page after it; a signed-in person's
  draft holds it, so a second tab or a resumed draft sends the same key. Submitting twice
  with one key gives one submission (submissions/store.py).
* **Drafts**: every step a signed-in person takes (a page, a change validated inline, "save
  and continue later") saves their one draft of the procedure; opening the form again
  resumes it.
* **An expired session** loses nothing: the answers are saved to the draft of the person
  the form was opened for (named by the signed register snapshot), who finds them again
  after signing in.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import current_app, g
from itsdangerous import URLSafeSerializer
from sqlalchemy.exc import SQLAlchemyError

from formengine.definitions.model import FormDefinition
from formengine.submissions.store import Draft, SubmissionStore, new_key
from formengine.web.auth import signed_in
from formengine.web.state import signed_field

log = logging.getLogger(__name__)


def store() -> SubmissionStore:
    """The app's submission store."""
    found: SubmissionStore = current_app.extensions["formengine.submissions"]
    return found


def _serializer(definition: FormDefinition) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt=f"formengine-key:{definition.id}")


def owner() -> str | None:
    """The signed-in person's personal ID."""
    person = signed_in()
    return None if person is None else person.personal_id


def posted_key(definition: FormDefinition, form: Mapping[str, str]) -> str | None:
    """The idempotency key a form carried, if it is intact and the signed-in person's."""
    data = signed_field(_serializer(definition), form, "_key")
    if data is None or data.get("o") != owner():
        return None
    key = data.get("k")
    return key if isinstance(key, str) else None


def current_key(definition: FormDefinition) -> str:
    """This request's idempotency key (made now if the request brought none)."""
    key: str | None = g.get("submission_key")
    if key is None:
        key = g.submission_key = new_key()
    return key


def dump_key(definition: FormDefinition) -> str:
    """The hidden-field value carrying this request's idempotency key."""
    return str(_serializer(definition).dumps({"k": current_key(definition), "o": owner()}))


def draft_of(definition: FormDefinition) -> Draft | None:
    """The signed-in person's draft of the procedure (None when there is none, or when
    nobody is signed in, or the database cannot be read)."""
    person = owner()
    if person is None:
        return None
    known: dict[tuple[str, str], Draft | None] = g.setdefault("drafts_read", {})
    if (person, definition.id) in known:  # read once per request
        return known[(person, definition.id)]
    try:
        found = known[(person, definition.id)] = store().draft(person, definition.id)
    except SQLAlchemyError as exc:
        log.error("draft of %s not read (%s)", definition.id, type(exc).__name__)
        return None
    return found


def autosave(definition: FormDefinition, page: str | None, answers: Mapping[str, Any],
             snapshot: Mapping[str, Any] | None, person: str | None = None) -> bool | None:
    """Save the draft of ``person`` (default: the signed-in person); the draft's key becomes
    the request's. True when saved, False when the database failed, None when there is
    nobody to save for."""
    person = person or owner()
    if person is None:
        return None
    try:
        draft = store().save_draft(person, definition, page, answers, snapshot,
                                   current_key(definition))
    except SQLAlchemyError as exc:
        log.error("draft of %s not saved (%s)", definition.id, type(exc).__name__)
        g.draft_failed = True
        return False
    g.submission_key = draft.submission_key
    g.draft_saved = draft
    g.setdefault("drafts_read", {})[(person, definition.id)] = draft
    return True
