"""Human error messages, from the Babel catalogue, in the citizen's language.

Lookup order for a field's error: the definition's ``x-error-messages`` on that field
(``"<keyword>"`` or ``"<keyword>/<detail>"``, e.g. ``"format"``,
``"x-personal-id-check/sex"`` or ``"x-commune-of/province"``), then the engine message for
the keyword (and, for ``format``, the format).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from formengine.i18n import N_, format_number, localize, translate
from formengine.schema import Schema, choices, schema_type
from formengine.validation.formats import personal_id_problem


def lower_first(label: str) -> str:
    """``label`` with its first letter lowered, unless it starts with an acronym."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _is_consent(node: Schema) -> bool:
    return node.get("const") is True or node.get("x-widget") == "consent"


def _required(lang: str, node: Schema, label: str) -> str:
    if _is_consent(node):
        return translate(lang, "Tick the box to confirm: %(label)s", label=label)
    widget = node.get("x-widget")
    is_choice = choices(node) is not None or widget in ("select", "radios", "checkboxes",
                                                         "commune")
    if is_choice or schema_type(node) == "boolean":
        return translate(lang, "Select %(label)s", label=lower_first(label))
    if schema_type(node) == "array":
        return translate(lang, "Add %(label)s", label=lower_first(label))
    return translate(lang, "Enter %(label)s", label=lower_first(label))


def _date_message(lang: str, label: str, value: Any) -> str:
    if isinstance(value, str) and value.count("-") == 2:
        year, month, day = value.split("-")
        for part, msgid in (
            (day, N_("%(label)s must include a day")),
            (month, N_("%(label)s must include a month")),
            (year, N_("%(label)s must include a year")),
        ):
            if not part:
                return translate(lang, msgid, label=label)
        if len(year) != 4:
            return translate(lang, "Year must include 4 numbers")
    return translate(lang, "%(label)s must be a real date", label=label)


def _format(lang: str, node: Schema, label: str, value: Any) -> str:
    fmt = node.get("format")
    if fmt == "date":
        return _date_message(lang, label, value)
    if fmt == "partial-date":
        return translate(lang, "Enter %(label)s as a real date, or give the month and year, "
                         "or the year alone", label=lower_first(label))
    if fmt == "email":
        return translate(
            lang, "Enter an email address in the correct format, like name@example.com"
        )
    if fmt == "vn-phone":
        return translate(lang, "Enter a phone number, like 0912 345 678 or +84 912 345 678")
    if fmt == "vn-personal-id":
        return personal_id_message(lang, value)
    return translate(lang, "Enter %(label)s in the correct format", label=lower_first(label))


def personal_id_message(lang: str, value: object) -> str:
    """What is wrong with ``value`` as a personal identification number."""
    problem = personal_id_problem(value) if isinstance(value, str) else "length"
    if problem == "prefix":
        return translate(
            lang, "The first 3 digits of the personal identification number are not valid"
        )
    if problem == "century":
        return translate(
            lang, "The personal identification number gives a year of birth in the future"
        )
    return translate(lang, "Enter a personal identification number of 12 digits")


def _type(lang: str, node: Schema, label: str) -> str:
    kind = schema_type(node)
    if kind == "integer":
        return translate(lang, "%(label)s must be a whole number", label=label)
    if kind == "number":
        return translate(lang, "%(label)s must be a number", label=label)
    return translate(lang, "Enter %(label)s in the correct format", label=lower_first(label))


def _limit(value: Any, lang: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


_LIMIT_MESSAGES = {
    "minLength": N_("%(label)s must be %(limit)s characters or more"),
    "maxLength": N_("%(label)s must be %(limit)s characters or fewer"),
    "minimum": N_("%(label)s must be %(limit)s or more"),
    "maximum": N_("%(label)s must be %(limit)s or less"),
    "exclusiveMinimum": N_("%(label)s must be more than %(limit)s"),
    "exclusiveMaximum": N_("%(label)s must be less than %(limit)s"),
    "multipleOf": N_("%(label)s must be a multiple of %(limit)s"),
    "minItems": N_("%(label)s: add at least %(limit)s"),
    "maxItems": N_("%(label)s: add no more than %(limit)s"),
}


def engine_message(
    lang: str, keyword: str, node: Schema, label: str, value: Any, detail: str = ""
) -> str:
    """The engine's message for ``keyword`` failing on a field labelled ``label``."""
    if keyword in ("required", "dependentRequired"):
        return _required(lang, node, label)
    if keyword == "type":
        return _type(lang, node, label)
    if keyword == "format":
        return _format(lang, node, label, value)
    if keyword in _LIMIT_MESSAGES:
        limit = _limit(node.get(keyword), lang)
        # The msgids are marked with N_ in _LIMIT_MESSAGES, so Babel extracts them.
        return translate(lang, _LIMIT_MESSAGES[keyword], label=label, limit=limit)
    if keyword == "const" and _is_consent(node):
        return translate(lang, "Tick the box to confirm: %(label)s", label=label)
    if keyword in ("enum", "const", "oneOf", "anyOf"):
        return translate(lang, "Select %(label)s from the options", label=lower_first(label))
    if keyword == "pattern":
        return translate(lang, "Enter %(label)s in the correct format", label=lower_first(label))
    if keyword == "uniqueItems":
        return translate(lang, "%(label)s: each answer must be different", label=label)
    if keyword == "x-personal-id-check":
        if detail == "sex":
            return translate(
                lang, "The personal identification number does not match the sex given"
            )
        return translate(
            lang, "The personal identification number does not match the date of birth given"
        )
    if keyword == "x-commune-of":
        if detail == "province":
            return translate(lang, "Select %(label)s in the province or city you chose",
                             label=lower_first(label))
        return translate(lang, "Select %(label)s from the options", label=lower_first(label))
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        return translate(lang, "%(label)s contains answers that are not part of this form",
                         label=label)
    return translate(lang, "%(label)s is not valid", label=label)


def message(
    lang: str, keyword: str, node: Schema, label: str, value: Any, detail: str = ""
) -> str:
    """The message shown for a failing field: the definition's override, else the engine's."""
    overrides: Mapping[str, Any] = node.get("x-error-messages", {})
    for key in (f"{keyword}/{detail}" if detail else None, keyword):
        if key and key in overrides:
            return localize(overrides[key], lang)
    return engine_message(lang, keyword, node, label, value, detail)
