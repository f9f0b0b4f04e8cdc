"""Find definition texts that lack an English or French translation (pure).

Vietnamese is the source language of a definition. A schema node's ``title``,
``description``, ``x-help`` and ``x-placeholder`` are Vietnamese, with their translations in a
sibling ``x-i18n: {"en": {...}, "fr": {...}}``. Texts of ``x-procedure``, ``x-layout`` and
``x-error-messages`` are a Vietnamese string or ``{"vi": ..., "en": ..., "fr": ...}``.

A missing translation is a warning, not an error: the form falls back to Vietnamese, and
``formengine check`` lists what is left to translate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from formengine.config import LANGUAGES
from formengine.definitions.model import Problem
from formengine.schema import subschemas

#: Text keywords of a schema node, translated in its ``x-i18n``.
NODE_TEXTS = ("title", "description", "x-help", "x-placeholder")
#: Localized texts of ``x-procedure``.
PROCEDURE_TEXTS = ("title", "description", "agency", "declaration", "processing_time")
#: Lists of localized texts of ``x-procedure``. ``keywords`` is not among them: a search
#: term need not exist in every language.
PROCEDURE_TEXT_LISTS = ("documents_replaced", "documents_required")
#: Subschemas that are never shown to anyone (conditions, constraints on names).
HIDDEN = frozenset({"if", "not", "propertyNames", "contains"})
#: The translations every text needs (every language but the source, Vietnamese).
TARGETS = tuple(lang for lang in LANGUAGES if lang != "vi")
LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def _local_text(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each language a localized text lacks."""
    if isinstance(value, str):
        missing = list(TARGETS)
    elif isinstance(value, Mapping):
        missing = [lang for lang in TARGETS if not value.get(lang)]
    else:
        return
    for lang in missing:
        yield pointer, f"{pointer[1:]} has no {_name(lang)} text"


def _node_texts(node: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each untranslated text of one schema node."""
    i18n = node.get("x-i18n")
    i18n = i18n if isinstance(i18n, Mapping) else {}
    for key in NODE_TEXTS:
        if not isinstance(node.get(key), str):
            continue
        for lang in TARGETS:
            translated = i18n.get(lang)
            if not (isinstance(translated, Mapping) and translated.get(key)):
                yield pointer, (f"no {_name(lang)} translation of `{key}` "
                                f"(add x-i18n.{lang}.{key})")
    messages = node.get("x-error-messages")
    if isinstance(messages, Mapping):
        for key, text in messages.items():
            yield from _local_text(text, f"{pointer}/x-error-messages/{_escape(key)}")


def _procedure(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    procedure = document.get("x-procedure")
    if isinstance(procedure, Mapping):
        for key in PROCEDURE_TEXTS:
            if key in procedure:
                yield from _local_text(procedure[key], f"/x-procedure/{key}")
        for key in PROCEDURE_TEXT_LISTS:
            texts = procedure.get(key)
            if isinstance(texts, list):
                for index, text in enumerate(texts):
                    yield from _local_text(text, f"/x-procedure/{key}/{index}")
        fee = procedure.get("fee")
        if isinstance(fee, Mapping) and "note" in fee:
            yield from _local_text(fee["note"], "/x-procedure/fee/note")
        bundle = procedure.get("bundle")
        for index, part in enumerate(bundle if isinstance(bundle, list) else ()):
            if isinstance(part, Mapping) and "title" in part:
                yield from _local_text(part["title"], f"/x-procedure/bundle/{index}/title")
    layout = document.get("x-layout")
    pages = layout.get("pages") if isinstance(layout, Mapping) else None
    if isinstance(pages, list):
        for index, page in enumerate(pages):
            if isinstance(page, Mapping):
                for key in ("title", "description"):
                    if key in page:
                        yield from _local_text(page[key], f"/x-layout/pages/{index}/{key}")


def missing_translations(document: Mapping[str, Any], file: str) -> list[Problem]:
    """A warning for every text of ``document`` (a definition, best with its ``$ref``s
    inlined so the components it uses are checked too) that lacks English or French."""
    nodes = subschemas(document, skip=HIDDEN)
    found = [*_procedure(document),
             *(item for pointer, node in nodes for item in _node_texts(node, pointer))]
    unique = dict.fromkeys(found)  # a node reached twice (e.g. a shared subschema) warns once
    return [Problem(file, pointer, message, "warning") for pointer, message in unique]
