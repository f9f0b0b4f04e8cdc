"""Languages: message catalogues, localized definition texts and locale choice.

Engine strings live in Babel catalogues under ``formengine/translations`` (English msgids,
Vietnamese default). Definition texts are Vietnamese in the definition itself, with English
and French beside them (see docs/definitions.md, "Translations").
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from formengine.config import LANGUAGES

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

#: A text in a definition: a Vietnamese string, or ``{"vi": ..., "en": ..., "fr": ...}``.
LocalText = str | Mapping[str, str]


@cache
def translations(lang: str) -> NullTranslations:
    """The engine catalogue for ``lang`` (loaded once per process)."""
    if lang not in LANGUAGES:
        lang = LANGUAGES[0]
    return Translations.load(str(TRANSLATIONS_DIR), [lang], domain="messages")


def translate(lang: str, msgid: str, **params: Any) -> str:
    """Translate ``msgid`` into ``lang`` and interpolate ``params`` (``%(name)s`` style)."""
    text = translations(lang).gettext(msgid)
    return text % params if params else text


def format_number(value: float | int, lang: str) -> str:
    """A number as people write it in ``lang`` (decimal comma in vi and fr), every digit
    kept and no grouping (so a year reads 2024)."""
    return str(format_decimal(value, locale=lang if lang in LANGUAGES else LANGUAGES[0],
                              decimal_quantization=False, group_separator=False))


def localize(text: LocalText | None, lang: str) -> str:
    """Pick ``lang`` from a localized text, falling back to Vietnamese."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("vi") or next(iter(text.values()), "")


def node_text(node: Mapping[str, Any], key: str, lang: str) -> str | None:
    """A text keyword (``title``, ``description``, ``x-help``, ``x-placeholder``) of a schema
    node in ``lang``: the ``x-i18n`` translation when there is one, else the Vietnamese text."""
    if lang != "vi":
        translated = node.get("x-i18n", {}).get(lang, {}).get(key)
        if translated:
            return str(translated)
    value = node.get(key)
    return None if value is None else str(value)


def pick_language(
    query: str | None, cookie: str | None, accept: Mapping[str, float] | None, default: str
) -> str:
    """The request's language: ``?lang=``, then the cookie, then Accept-Language, then default."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    if accept:
        for tag, _quality in sorted(accept.items(), key=lambda item: -item[1]):
            base = tag.split("-")[0].lower()
            if base in LANGUAGES:
                return base
    return default
