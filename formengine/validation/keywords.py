"""Custom JSON Schema keywords.

``x-personal-id-check`` sits on an object schema and names sibling properties::

    {"x-personal-id-check": {"id": "personal_id", "date_of_birth": "date_of_birth",
                             "sex": "sex"}}

"date_of_birth" and "sex" are optional.

``x-commune-of`` sits on an object schema and names the sibling properties holding a
province code and a commune code (``prefill.admin_units``, the units since 1 July 2025)::

    {"x-commune-of": {"province": "province_code", "commune": "commune_code"}}

Register both with ``jsonschema.validators.extend(Draft202012Validator, EXTRA_KEYWORDS)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

from jsonschema import ValidationError

from formengine.validation.formats import personal_id_mismatch, personal_id_problem
from prefill import admin_units

__all__ = [
    "COMMUNE_MISMATCH_PREFIX",
    "EXTRA_KEYWORDS",
    "PERSONAL_ID_MISMATCH_PREFIX",
    "commune_of",
    "keyword_detail",
    "mismatch_reason",
    "personal_id_check",
]

PERSONAL_ID_MISMATCH_PREFIX: Final = "personal ID mismatch: "
"""Error messages are this prefix followed by the reason: "date_of_birth" or "sex"."""

_REASONS: Final = frozenset({"date_of_birth", "sex"})

COMMUNE_MISMATCH_PREFIX: Final = "commune mismatch: "
"""``x-commune-of`` messages are this prefix followed by "unknown" or "province"."""

_COMMUNE_REASONS: Final = frozenset({"unknown", "province"})


def _string_property(instance: Mapping[str, Any], name: object) -> str | None:
    """The string held by property ``name`` of ``instance``, else None."""
    if not isinstance(name, str):
        return None
    value = instance.get(name)
    return value if isinstance(value, str) else None


def personal_id_check(
    validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """Yield an error at the ID property if a valid ID disagrees with the DOB or sex.

    Invalid or missing IDs are left to ``format: vn-personal-id`` and ``required``. The
    message is ``PERSONAL_ID_MISMATCH_PREFIX + reason``, e.g.
    "personal ID mismatch: date_of_birth"; see :func:`mismatch_reason`.
    """
    if not isinstance(instance, dict) or not isinstance(value, Mapping):
        return
    id_name = value.get("id")
    personal_id = _string_property(instance, id_name)
    if id_name is None or personal_id is None or personal_id_problem(personal_id) is not None:
        return
    reason = personal_id_mismatch(
        personal_id,
        _string_property(instance, value.get("date_of_birth")),
        _string_property(instance, value.get("sex")),
    )
    if reason is not None:
        yield ValidationError(
            PERSONAL_ID_MISMATCH_PREFIX + reason, path=[id_name], instance=personal_id
        )


def mismatch_reason(error: ValidationError) -> str | None:
    """The reason code ("date_of_birth"/"sex") of an ``x-personal-id-check`` error, else None."""
    if error.validator != "x-personal-id-check":
        return None
    message: str = error.message
    if not message.startswith(PERSONAL_ID_MISMATCH_PREFIX):
        return None
    reason = message[len(PERSONAL_ID_MISMATCH_PREFIX) :]
    return reason if reason in _REASONS else None


def commune_of(
    validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """Yield an error at the commune property if its code is not a commune in force, or is
    one of another province than the province property's.

    Codes must be written exactly (five digits, ``"00004"``). A missing commune is left
    to ``required``; a missing or unknown province only skips the province comparison
    (``required`` or the province's own choices report it). The message is
    ``COMMUNE_MISMATCH_PREFIX + reason``, reason "unknown" or "province"; see
    :func:`keyword_detail`.
    """
    if not isinstance(instance, dict) or not isinstance(value, Mapping):
        return
    commune_name = value.get("commune")
    code = _string_property(instance, commune_name)
    if commune_name is None or code is None:
        return
    found = admin_units.commune(code)
    province = _string_property(instance, value.get("province"))
    known = admin_units.province(province) if province is not None else None
    if found is None or found.code != code:
        reason = "unknown"
    elif known is not None and known.code == province and found.province_code != province:
        reason = "province"
    else:
        return
    yield ValidationError(COMMUNE_MISMATCH_PREFIX + reason, path=[commune_name], instance=code)


def keyword_detail(error: ValidationError) -> str:
    """The detail of a custom keyword's error, as in ``x-error-messages`` keys
    (``"x-personal-id-check/sex"``, ``"x-commune-of/province"``); "" for other errors."""
    if error.validator == "x-personal-id-check":
        return mismatch_reason(error) or ""
    if error.validator == "x-commune-of":
        message: str = error.message
        reason = message.removeprefix(COMMUNE_MISMATCH_PREFIX)
        return reason if reason in _COMMUNE_REASONS else ""
    return ""


EXTRA_KEYWORDS: Final[Mapping[str, Callable[..., Iterator[ValidationError]]]] = MappingProxyType(
    {"x-personal-id-check": personal_id_check, "x-commune-of": commune_of}
)
"""Custom keywords to pass to ``jsonschema.validators.extend``."""
