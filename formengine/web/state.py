"""The answers of a multi-page form, carried between pages in a signed hidden field.

Stateless and JavaScript-free: every page posts back all earlier answers (``_state``),
signed with the app secret so they cannot be altered unseen. Validation never trusts them
anyway: the whole instance is validated again on submit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from formengine.definitions.model import FormDefinition


def _serializer(definition: FormDefinition) -> URLSafeSerializer:
    # Not salted with the version: answers typed on an older version carry over to a newly
    # published one (they are pruned to it and validated against it like any others).
    salt = f"formengine-state:{definition.id}"
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def signed_field(serializer: URLSafeSerializer, form: Mapping[str, str],
                 name: str) -> dict[str, Any] | None:
    """The object a signed hidden field carries (None when absent, altered or not one)."""
    token = form.get(name)
    if not token:
        return None
    try:
        data: Any = serializer.loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def dump_state(definition: FormDefinition, data: dict[str, Any]) -> str:
    """The hidden-field value carrying ``data``."""
    return str(_serializer(definition).dumps(data))


def load_state(definition: FormDefinition, token: str | None) -> dict[str, Any] | None:
    """The answers in ``token`` ({} when there is none; None when it was tampered with)."""
    if not token:
        return {}
    try:
        data = _serializer(definition).loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None
