"""Page flow and the check-your-answers summary (pure)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date

from formengine.definitions.model import FormDefinition, Page
from formengine.i18n import format_number, node_text, translate
from formengine.rendering.communes import commune_label
from formengine.schema import JSON, Schema, choices, effective, ordered
from formengine.validation.coerce import encode_scalar, widget_of
from formengine.validation.report import FieldError


def visible_names(definition: FormDefinition, data: JSON) -> set[str]:
    """Top-level properties the effective schema shows for ``data``."""
    return set(effective(definition.schema, data, definition.is_valid).get("properties", {}))


def visible_pages(definition: FormDefinition, data: JSON) -> list[Page]:
    """Pages that show at least one field for ``data`` (others are skipped)."""
    shown = visible_names(definition, data)
    return [p for p in definition.pages if any(f[1:] in shown for f in p.fields)]


def on_page(pointer: str, page: Page) -> bool:
    """Whether the field at ``pointer`` belongs to ``page``."""
    return any(pointer == f or pointer.startswith(f + "/") for f in page.fields)


def errors_on(errors: Iterable[FieldError], page: Page) -> list[FieldError]:
    """The errors of fields on ``page``."""
    return [e for e in errors if on_page(e.pointer, page)]


def next_page(definition: FormDefinition, data: JSON, current: Page) -> Page | None:
    """The page after ``current`` (None: go to check your answers)."""
    pages = visible_pages(definition, data)
    order = [p.id for p in definition.pages]
    later = [p for p in pages if order.index(p.id) > order.index(current.id)]
    return later[0] if later else None


def previous_page(definition: FormDefinition, data: JSON, current: Page) -> Page | None:
    """The page before ``current`` (None on the first page)."""
    pages = visible_pages(definition, data)
    order = [p.id for p in definition.pages]
    earlier = [p for p in pages if order.index(p.id) < order.index(current.id)]
    return earlier[-1] if earlier else None


@dataclass
class Row:
    """One answer of the summary: the question, the answer as shown, where to change it."""

    label: str
    value: str
    pointer: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Section:
    """The answers of one page."""

    page: Page
    rows: list[Row]


def display_date(value: str, lang: str) -> str:
    """An ISO date for people: dd/mm/yyyy in Vietnamese, "3 February 1990" otherwise."""
    if (len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit()
            and 1 <= int(value[5:]) <= 12):
        month = datetime.date(int(value[:4]), int(value[5:]), 1)  # a month and year
        if lang == "vi":
            return month.strftime("%m/%Y")
        return format_date(month, "MMMM y", locale=lang)
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    if lang == "vi":
        return day.strftime("%d/%m/%Y")
    return format_date(day, "d MMMM y", locale=lang)


def display_value(node: Schema, value: JSON, lang: str) -> str:
    """A scalar answer as shown back to the citizen."""
    if node.get("x-widget") == "commune" and isinstance(value, str):
        return commune_label(value) or value
    options = choices(node)
    if options is not None:
        for option, branch in options:
            if option == value and isinstance(option, bool) == isinstance(value, bool):
                return node_text(branch, "title", lang) or encode_scalar(value)
    if isinstance(value, bool):
        return translate(lang, "Yes") if value else translate(lang, "No")
    if node.get("format") in ("date", "partial-date") and isinstance(value, str):
        return display_date(value, lang)
    if isinstance(value, float | int):
        return format_number(value, lang)
    return encode_scalar(value)


def _lines(definition: FormDefinition, node: Schema, value: JSON, lang: str) -> list[str]:
    node = effective(node, value, definition.is_valid)
    widget = widget_of(node)
    if widget == "fieldset" and isinstance(value, Mapping):
        props = node.get("properties", {})
        return [line for name in ordered(props, node.get("x-order")) if name in value
                for line in _lines(definition, props[name], value[name], lang)]
    if widget == "rows" and isinstance(value, list):
        items = node.get("items", {})
        label = node_text(items, "title", lang) or ""
        return [f"{label} {i + 1}: " + ", ".join(_lines(definition, items, row, lang))
                for i, row in enumerate(value)]
    if widget == "checkboxes" and isinstance(value, list):
        return [display_value(node.get("items", {}), v, lang) for v in value]
    return [display_value(node, value, lang)]


def summary(definition: FormDefinition, data: Mapping[str, Any], lang: str) -> list[Section]:
    """Every answered question, page by page, for check your answers and the receipt."""
    root = effective(definition.schema, data, definition.is_valid)
    props = root.get("properties", {})
    sections = []
    for page in visible_pages(definition, data):
        rows = []
        for pointer in page.fields:
            name = pointer[1:]
            if name not in props or name not in data:
                continue
            node = effective(props[name], data[name], definition.is_valid)
            lines = _lines(definition, node, data[name], lang)
            label = node_text(node, "title", lang) or name
            rows.append(Row(label, "\n".join(lines), pointer, lines))
        sections.append(Section(page, rows))
    return sections
