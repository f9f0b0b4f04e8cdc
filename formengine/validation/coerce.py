"""Form fields <-> typed JSON, driven by the schema (pure).

Field names are dotted paths: ``full_name.family``, ``members.0.name``. A date is three
inputs ``<path>.day``, ``.month``, ``.year``; each row of a repeating group posts a
``<path>.<i>._row`` marker so an empty row survives. Rules (docs/definitions.md, "How
answers are read"):

* text is stripped and NFC-normalised; an empty string is absent;
* integers and numbers are parsed (a decimal comma is accepted); text that does not parse
  is kept as typed, so the validator reports a ``type`` error and the page shows it again;
* formats with a normaliser (personal ID, phone, email) are normalised;
* a required nested object is always present (possibly empty), so its missing children
  are reported one by one; an optional one is absent when nothing in it was answered;
* properties that the effective schema does not show are dropped (see schema.prune).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from werkzeug.datastructures import MultiDict

from formengine.schema import (
    JSON,
    Schema,
    all_properties,
    choices,
    items_of,
    per_node,
    required_anywhere,
    schema_type,
)
from formengine.validation.formats import FORMAT_NORMALIZERS

_INTEGER = re.compile(r"^[+-]?\d+$")


class FormData(Protocol):
    """What coercion needs from a request's form (werkzeug's MultiDict fits)."""

    def getlist(self, key: str) -> list[str]: ...

    def __contains__(self, key: object) -> bool: ...

    def __iter__(self) -> Iterator[str]: ...


@per_node
def widget_of(node: Schema) -> str:
    """The widget that shows ``node`` (``x-widget``, else inferred from the schema)."""
    explicit = node.get("x-widget")
    if isinstance(explicit, str):
        return explicit
    kind = schema_type(node)
    if kind == "object":
        return "fieldset"
    if kind == "array":
        items = node.get("items")
        if isinstance(items, Mapping) and choices(items) is not None:
            return "checkboxes"
        return "rows"
    if node.get("const") is True:
        return "consent"
    options = choices(node)
    if options is not None or kind == "boolean":
        return "radios" if options is None or len(options) <= 6 else "select"
    if kind in ("integer", "number"):
        return "number"
    fmt = node.get("format")
    if fmt in ("date", "email"):
        return str(fmt)
    if fmt == "vn-phone":
        return "tel"
    if isinstance(node.get("maxLength"), int) and node["maxLength"] > 300:
        return "textarea"
    return "text"


def _text(raw: str, node: Schema) -> str | None:
    value = unicodedata.normalize("NFC", raw.strip())
    if not value:
        return None
    normalizer = FORMAT_NORMALIZERS.get(str(node.get("format")))
    return normalizer(value) if normalizer else value


def scalar(raw: str, node: Schema) -> JSON:
    """One posted string as the JSON value ``node`` expects (kept as text if it won't parse)."""
    text = _text(raw, node)
    if text is None:
        return None
    options = choices(node)
    if options is not None:
        return next((value for value, _ in options if encode_scalar(value) == text), text)
    kind = schema_type(node)
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind == "integer":
        compact = text.replace(" ", "").replace("\u00a0", "")
        return int(compact) if _INTEGER.match(compact) else text
    if kind == "number":
        compact = text.replace(" ", "").replace("\u00a0", "")
        if "," in compact and "." not in compact:
            compact = compact.replace(",", ".")
        if _INTEGER.match(compact):
            return int(compact)
        try:
            number = float(compact)
        except ValueError:
            return text
        return number if number == number and abs(number) != float("inf") else text
    return text


def encode_scalar(value: JSON) -> str:
    """A JSON scalar as the string a form field carries."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _date(form: FormData, name: str, seen: set[str], partial: bool = False) -> str | None:
    parts = []
    for part in ("year", "month", "day"):
        key = f"{name}.{part}"
        seen.add(key)
        values = form.getlist(key)
        parts.append(values[0].strip() if values else "")
    if not any(parts):
        return None
    year, month, day = parts
    if partial and year.isdigit() and len(year) == 4 and not day:
        # A partial date: the year alone, or the month and year.
        if not month:
            return year
        if month.isdigit():
            return f"{year}-{int(month):02d}"
    if year.isdigit() and month.isdigit() and day.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{month}-{day}"


def _rows(form: FormData, name: str) -> list[int]:
    prefix = f"{name}."
    indexes = set()
    for key in form:
        if key.startswith(prefix):
            head = key[len(prefix):].split(".", 1)[0]
            if head.isdigit():
                indexes.add(int(head))
    return sorted(indexes)


def read_value(form: FormData, name: str, node: Schema, seen: set[str], keep: bool = False
               ) -> JSON:
    """The JSON value of the field called ``name`` (None when unanswered).

    ``keep``: the field is a required object, read even when nothing in it was answered.
    """
    widget = widget_of(node)
    if widget == "fieldset":
        return read_object(form, name + ".", node, seen, keep=keep)
    if widget == "rows":
        items = items_of(node)
        rows = []
        for index in _rows(form, name):
            seen.add(f"{name}.{index}._row")
            row = read_object(form, f"{name}.{index}.", items, seen, keep=True)
            rows.append(row if row is not None else {})
        return rows or None
    if widget == "date":
        return _date(form, name, seen, node.get("format") == "partial-date")
    seen.add(name)
    raws = form.getlist(name)
    if widget == "checkboxes":
        item = items_of(node)
        values = [v for raw in raws if (v := scalar(raw, item)) is not None]
        return values or None
    if widget in ("checkbox", "consent") and not raws:
        return False if widget == "checkbox" else None
    if widget in ("checkbox", "consent"):
        return True if raws[-1] in ("true", "on", "1") else scalar(raws[-1], node)
    return scalar(raws[-1], node) if raws else None


def read_object(
    form: FormData, prefix: str, node: Schema, seen: set[str], only: Iterable[str] | None = None,
    keep: bool = False,
) -> dict[str, JSON] | None:
    """The object whose fields are named ``<prefix><property>...``; None if all unanswered
    (unless ``keep``: a required object, whose required nested objects are kept as ``{}``).

    ``only`` restricts reading to some properties (the fields of one page).
    """
    props = all_properties(node)
    names = props if only is None else [n for n in only if n in props]
    required = required_anywhere(node)
    out: dict[str, JSON] = {}
    for prop in names:
        value = read_value(form, prefix + prop, props[prop], seen, keep=prop in required)
        if value is not None:
            out[prop] = value
    if prefix and not keep and _unanswered(out):
        return None
    return out


def _unanswered(value: JSON) -> bool:
    """Whether ``value`` is an object with nothing answered in it (only empty objects)."""
    return isinstance(value, dict) and all(_unanswered(v) for v in value.values())


def read_form(
    form: FormData, schema: Schema, only: Iterable[str] | None = None
) -> tuple[dict[str, JSON], list[str]]:
    """The answers posted in ``form`` and the names of posted fields the form does not have.

    Names starting with ``_`` are the engine's own (actions, state) and are not answers.
    """
    seen: set[str] = set()
    data = read_object(form, "", schema, seen, only) or {}
    unknown = [k for k in form if not k.startswith("_") and k not in seen]
    return data, unknown


def encode(schema: Schema, data: Mapping[str, JSON]) -> MultiDict[str, str]:
    """The form fields that would post ``data`` back (the inverse of :func:`read_form`)."""
    out: dict[str, list[str]] = {}
    _encode_object(schema, data, "", out)
    return MultiDict([(key, value) for key, values in out.items() for value in values])


def _encode_object(node: Schema, data: Mapping[str, JSON], prefix: str,
                   out: dict[str, list[str]]) -> None:
    props = all_properties(node)
    for prop, value in data.items():
        if prop in props:
            _encode_value(props[prop], value, prefix + prop, out)


def _encode_value(node: Schema, value: JSON, name: str, out: dict[str, list[str]]) -> None:
    widget = widget_of(node)
    if widget == "fieldset" and isinstance(value, Mapping):
        _encode_object(node, value, name + ".", out)
    elif widget == "rows" and isinstance(value, list):
        items = items_of(node)
        for index, row in enumerate(value):
            out[f"{name}.{index}._row"] = ["1"]
            if isinstance(row, Mapping):
                _encode_object(items, row, f"{name}.{index}.", out)
    elif widget == "date" and isinstance(value, str):
        parts = value.split("-")
        if len(parts) == 3:
            year, month, day = parts
            out[f"{name}.year"] = [year]
            out[f"{name}.month"] = [str(int(month)) if month.isdigit() else month]
            out[f"{name}.day"] = [str(int(day)) if day.isdigit() else day]
        elif len(parts) == 2:  # a month and year (partial date)
            out[f"{name}.year"] = [parts[0]]
            out[f"{name}.month"] = [str(int(parts[1])) if parts[1].isdigit() else parts[1]]
        else:
            out[f"{name}.year"] = [value]
    elif isinstance(value, list):
        out[name] = [encode_scalar(v) for v in value]
    else:
        out[name] = [encode_scalar(value)]
