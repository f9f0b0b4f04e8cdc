"""Build the tree of fields a page shows, from the effective schema and the answers.

The tree is plain data for the Jinja templates: every node knows its label, hint, error,
``aria-describedby`` ids and widget; text-like inputs are WTForms fields (so values, even
invalid ones, are shown back exactly as typed, escaped by WTForms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup
from wtforms import fields as wt
from wtforms import widgets as wt_widgets
from wtforms.form import BaseForm

from formengine.definitions.model import FormDefinition
from formengine.i18n import localize, node_text, translate
from formengine.prefilling.snapshot import Snapshot
from formengine.rendering import communes
from formengine.rendering.pages import display_value
from formengine.schema import (
    JSON,
    Schema,
    choices,
    controlling_properties,
    effective,
    items_of,
    ordered,
    per_node,
)
from formengine.validation.coerce import encode_scalar, widget_of
from formengine.validation.report import FieldError
from prefill import admin_units

_INPUT_MODES = {"integer": "numeric", "number": "decimal"}


@dataclass
class Option:
    """One radio, checkbox or select option."""

    value: str
    label: str
    id: str
    checked: bool
    hint: str | None = None


@dataclass
class Field:
    """A node of the page: a ``fieldset`` (object), ``rows`` (repeating group) or an input."""

    widget: str
    name: str
    pointer: str
    id: str
    label: str
    hint: str | None = None
    required: bool = False
    error: str | None = None
    #: the JSON Schema keyword behind ``error`` (shown as ``data-keyword`` for tooling).
    error_keyword: str | None = None
    controlling: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)
    input: Any = None
    #: rows: whether a row can be added / removed; rows' index within the group.
    can_add: bool = False
    can_remove: bool = False
    index: int | None = None
    item_label: str = ""
    #: "locked" (shown as text, never posted) or "editable" when the register filled it in.
    prefilled: str | None = None
    #: a locked value as text.
    display: str = ""
    #: top-level fields holding register data: the citizen may report it is wrong.
    correctable: bool = False
    correction: str = ""

    @property
    def anchor(self) -> str:
        """The id an error-summary link points at (the first input of the field)."""
        if self.widget == "date":
            return f"{self.id}-day"
        if self.widget in ("radios", "checkboxes") and self.options:
            return self.options[0].id
        if self.widget in ("fieldset", "rows", "row"):
            first = next(iter(self.children), None)
            return first.anchor if first else self.id
        return self.id

    @property
    def described_by(self) -> str:
        """The ``aria-describedby`` value: hint then error ids."""
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    def walk(self) -> list[Field]:
        """This node and every node below it, in page order."""
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


@per_node
def _derived(node: Schema) -> dict[Any, Any]:
    """A per-node, per-process store for what rendering derives from a definition node."""
    return {}


def option_texts(node: Schema, lang: str) -> list[tuple[str, str, str | None]]:
    """(value, label, hint) of each option of a choice node in ``lang`` (computed once)."""
    store = _derived(node)
    key = ("options", lang)
    if key not in store:
        listed = choices(node) or []
        if not listed and node.get("type") == "boolean":
            listed = [(True, {"title": translate(lang, "Yes")}),
                      (False, {"title": translate(lang, "No")})]
        store[key] = [(encode_scalar(value), node_text(branch, "title", lang)
                       or encode_scalar(value), node_text(branch, "description", lang))
                      for value, branch in listed]
    texts: list[tuple[str, str, str | None]] = store[key]
    return texts


def select_choices(node: Schema, lang: str) -> list[wt.SelectChoice]:
    """The WTForms choices of a select: a placeholder, then every option (computed once)."""
    store = _derived(node)
    key = ("select", lang)
    if key not in store:
        store[key] = [wt.SelectChoice("", translate(lang, "Select an option"))] + [
            wt.SelectChoice(value, label) for value, label, _hint in option_texts(node, lang)]
    pairs: list[wt.SelectChoice] = store[key]
    return pairs


@lru_cache(maxsize=65536)
def _option_html(value: str, label: str, selected: bool) -> str:
    """One ``<option>`` rendered by WTForms (values and labels come from definitions)."""
    choice = SimpleNamespace(value=value, label=label, selected=selected, render_kw=None)
    return str(wt_widgets.Select.render_option(choice))


class CachedSelect(wt_widgets.Select):  # type: ignore[misc]  # WTForms is untyped
    """WTForms' select, rendering each distinct option once per process: long option lists
    (34 provinces, 3,321 communes) otherwise dominate a page's rendering time."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        html = [f"<select {wt_widgets.html_params(name=field.name, **kwargs)}>"]
        html.extend(_option_html(c.value, c.label, c.value == field.data) for c in field.choices)
        html.append("</select>")
        return Markup("".join(html))


def html_id(name: str) -> str:
    """The HTML id of the field called ``name``."""
    return "f-" + name.replace(".", "-")


@dataclass
class _Builder:
    definition: FormDefinition
    formdata: Any
    errors: Mapping[str, FieldError]
    lang: str
    prefill: Snapshot | None = None
    inputs: list[tuple[str, Any]] = field(default_factory=list)
    bound: list[Field] = field(default_factory=list)

    def object_fields(self, node: Schema, data: JSON, prefix: str, pointer: str,
                      only: Sequence[str] | None = None) -> list[Field]:
        eff = effective(node, data, self.definition.is_valid)
        props: Mapping[str, Schema] = eff.get("properties", {})
        names = ordered(props, eff.get("x-order"))
        if only is not None:
            names = [n for n in only if n in props]
        required = set(eff.get("required", ()))
        controlling = controlling_properties(node)
        values = data if isinstance(data, Mapping) else {}
        fields = [
            self.field(props[name], values.get(name), f"{prefix}{name}", f"{pointer}/{name}",
                       name in required, name in controlling)
            for name in names if isinstance(props[name], Mapping)
        ]
        communes.link(fields, eff, prefix, self.formdata, self.lang)
        return fields

    def field(self, raw: Schema, data: JSON, name: str, pointer: str,
              required: bool, controlling: bool) -> Field:
        node = effective(raw, data, self.definition.is_valid)
        widget = widget_of(node)
        label = node_text(node, "title", self.lang) or name.rsplit(".", 1)[-1]
        node_hint = node_text(node, "x-help", self.lang) or node_text(
            node, "description", self.lang)
        error = self.errors.get(pointer)
        snap = self.prefill
        if snap is not None and snap.is_locked(pointer) and widget not in ("fieldset", "rows"):
            widget = "locked"
        elif snap is not None and pointer in snap.choices:
            widget = "radios"
        out = Field(widget, name, pointer, html_id(name), label, node_hint, required,
                    error.message if error else None, error.keyword if error else None,
                    controlling)
        if snap is not None and pointer in snap.values:
            out.prefilled = "editable"
        if widget == "locked":
            # Register data, shown as text: input hints ("for example...") do not apply.
            out.prefilled, out.hint = "locked", None
            out.display = "" if data is None else display_value(node, data, self.lang)
        elif snap is not None and pointer in snap.choices:
            self.candidates(out, snap.choices[pointer])
        elif widget == "fieldset":
            out.children = self.object_fields(raw, data, name + ".", pointer)
            if out.children and all(c.prefilled == "locked" for c in out.children):
                out.prefilled, out.hint = "locked", None
        elif widget == "rows":
            self.rows(out, node, data)
            if out.prefilled == "locked":
                out.hint = None
        elif widget in ("radios", "checkboxes", "select"):
            self.options(out, node)
        elif widget == "date":
            out.parts = {p: self.first(f"{name}.{p}") for p in ("day", "month", "year")}
            out.attrs["autocomplete"] = node.get("x-autocomplete")
        elif widget in ("checkbox", "consent"):
            out.attrs["checked"] = self.first(name) in ("true", "on", "1")
        elif widget == "commune":
            pass  # a select of its province's communes: its object links it (communes.link)
        else:
            self.text_input(out, node)
        return out

    def first(self, key: str) -> str:
        values = self.formdata.getlist(key)
        return str(values[0]) if values else ""

    def rows(self, out: Field, node: Schema, data: JSON) -> None:
        items = items_of(node)
        rows = data if isinstance(data, list) else []
        out.item_label = node_text(items, "title", self.lang) or out.label
        low, high = node.get("minItems", 0), node.get("maxItems")
        out.can_add = high is None or len(rows) < high
        locked = self.prefill is not None and out.pointer in self.prefill.rows
        if locked:
            out.can_add, low, out.prefilled = False, len(rows), "locked"
        for index, row in enumerate(rows):
            row_name = f"{out.name}.{index}"
            row_error = self.errors.get(f"{out.pointer}/{index}")
            row_field = Field("row", row_name, f"{out.pointer}/{index}", html_id(row_name),
                              f"{out.item_label} {index + 1}", index=index,
                              error=row_error.message if row_error else None,
                              error_keyword=row_error.keyword if row_error else None,
                              can_remove=len(rows) > low)
            row_field.children = self.object_fields(items, row, row_name + ".",
                                                    f"{out.pointer}/{index}")
            out.children.append(row_field)

    def candidates(self, out: Field, codes: Sequence[str]) -> None:
        """Radios for the communes an old, split ward became (the register's candidates)."""
        chosen = set(self.formdata.getlist(out.name))
        units = [admin_units.commune(code) for code in codes]
        out.options = [Option(code, unit.full_name if unit else code, f"{out.id}-{i}",
                              code in chosen) for i, (code, unit) in enumerate(zip(codes, units,
                                                                                   strict=True))]
        out.hint = translate(self.lang, "Your old ward was divided between these communes: "
                             "choose the one you live in.")

    def options(self, out: Field, node: Schema) -> None:
        source = node
        if out.widget == "checkboxes" and isinstance(node.get("items"), Mapping):
            source = node["items"]
        listed = option_texts(source, self.lang)
        chosen = set(self.formdata.getlist(out.name))
        out.options = [Option(text, label, f"{out.id}-{i}", text in chosen, hint)
                       for i, (text, label, hint) in enumerate(listed)]
        if out.widget == "select":
            pairs = select_choices(source, self.lang)
            self.bind(out, wt.SelectField(choices=pairs, id=out.id, validate_choice=False,
                                          widget=CachedSelect()))

    def text_input(self, out: Field, node: Schema) -> None:
        kind = node.get("type")
        attrs: dict[str, Any] = {"class": "fe-input"}
        if node.get("x-width"):
            attrs["class"] += f" fe-width-{node['x-width']}"
        if node.get("x-autocomplete"):
            attrs["autocomplete"] = node["x-autocomplete"]
        if placeholder := node_text(node, "x-placeholder", self.lang):
            attrs["placeholder"] = placeholder
        if isinstance(kind, str) and kind in _INPUT_MODES:
            attrs["inputmode"] = _INPUT_MODES[kind]
        if node.get("format") in ("vn-personal-id", "email") or "name" in str(
                node.get("x-autocomplete", "")):
            attrs["spellcheck"] = "false"
        if node.get("format") == "vn-personal-id":
            attrs["inputmode"] = "numeric"
        if isinstance(node.get("maxLength"), int) and out.widget != "textarea":
            attrs["maxlength"] = node["maxLength"]
        out.attrs = attrs
        unbound = {
            "textarea": wt.TextAreaField, "email": wt.EmailField, "tel": wt.TelField,
            "hidden": wt.HiddenField,
        }.get(out.widget, wt.StringField)
        self.bind(out, unbound(id=out.id))

    def bind(self, out: Field, unbound: Any) -> None:
        self.inputs.append((out.name, unbound))
        self.bound.append(out)

    def finish(self) -> None:
        form = BaseForm(self.inputs)
        form.process(self.formdata)
        for out in self.bound:
            out.input = form[out.name]


def page_fields(definition: FormDefinition, page_fields: Sequence[str], data: JSON,
                formdata: Any, errors: Mapping[str, FieldError], lang: str,
                prefill: Snapshot | None = None) -> list[Field]:
    """The fields of one page (top-level pointers ``page_fields``) ready for the templates;
    ``prefill`` marks what the register filled in and locked."""
    builder = _Builder(definition, formdata, errors, lang, prefill)
    names = [pointer.lstrip("/") for pointer in page_fields]
    fields = builder.object_fields(definition.schema, data, "", "", names)
    builder.finish()
    if prefill is not None:
        for top in fields:
            top.correctable = prefill.correctable(top.pointer)
            top.correction = prefill.corrections.get(top.pointer, "")
    return fields


def page_title(definition: FormDefinition, page_id: str, lang: str) -> str:
    """The localized title of a page."""
    page = definition.page(page_id)
    return localize(page.title if page else definition.title, lang)
