"""Validate an instance against a definition and explain each failing field."""

from __future__ import annotations

from dataclasses import dataclass

from formengine.definitions.model import FormDefinition
from formengine.i18n import node_text
from formengine.schema import JSON, node_at, split_pointer
from formengine.validation.coerce import widget_of
from formengine.validation.messages import message
from formengine.validation.validator import field_errors


@dataclass(frozen=True)
class FieldError:
    """One failing field: where (JSON pointer), which keyword, and the message to show."""

    pointer: str
    keyword: str
    message: str


def field_label(definition: FormDefinition, data: JSON, pointer: str, lang: str) -> str:
    """The localized label of the field at ``pointer`` (its name if it has no title)."""
    node = node_at(definition.schema, data, pointer, definition.is_valid) or {}
    tokens = split_pointer(pointer)
    return node_text(node, "title", lang) or (tokens[-1] if tokens else "")


def validate(definition: FormDefinition, instance: JSON, lang: str) -> list[FieldError]:
    """Every failing field of ``instance``, one error each, with a message in ``lang``."""

    def relocate(pointer: str) -> str:
        # An item of a checkbox group (an array of choices) is shown by the group.
        parent, _, last = pointer.rpartition("/")
        if last.isdigit():
            node = node_at(definition.schema, instance, parent, definition.is_valid)
            if node is not None and widget_of(node) == "checkboxes":
                return parent
        return pointer

    errors = []
    for raw in field_errors(definition.validator, instance, relocate):
        node = node_at(definition.schema, instance, raw.pointer, definition.is_valid)
        if node is None:  # a parent-level error (e.g. an unexpected property)
            node = dict(raw.schema)
        limit = raw.schema.get(raw.keyword)
        if isinstance(limit, int | float) and not isinstance(limit, bool):
            # The limit that failed, which may be tighter than the node's own (a keyword
            # beside a $ref, or in an allOf branch).
            node = {**node, raw.keyword: limit}
        tokens = split_pointer(raw.pointer)
        label = node_text(node, "title", lang) or (tokens[-1] if tokens else "")
        text = message(lang, raw.keyword, node, label, raw.instance, raw.detail)
        errors.append(FieldError(raw.pointer, raw.keyword, text))
    return errors
