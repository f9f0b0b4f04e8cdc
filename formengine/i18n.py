"""Languages: message catalogues, localized definition texts and locale choice.

Engine strings live in Babel catalogues under ``formengine/translations`` (English msgids,
Vietnamese default). Definition texts are Vietnamese in the definition itself, with English
and French beside them (see docs/definitions.md, "Translations").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from formengine.config import LANGUAGES


def N_(msgid: str) -> str:
    """Mark ``msgid`` for Babel extraction without translating it (looked up later)."""
    return msgid


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


#: Vietnam's time (UTC+7, no daylight saving): dates shown to people are in it.
LOCAL_TIME = datetime.timezone(datetime.timedelta(hours=7), "ICT")


def local_datetime(value: datetime.datetime, lang: str) -> str:
    """An aware time as people in Vietnam read it: "03/02/2026 14:05" in vi,
    "3 Feb 2026, 14:05" in en, "3 févr. 2026, 14:05" in fr."""
    local = value.astimezone(LOCAL_TIME)
    if lang == "vi":
        return local.strftime("%d/%m/%Y %H:%M")
    return format_datetime(local.replace(tzinfo=None), "d MMM y, HH:mm",
                           locale=lang if lang in LANGUAGES else "en")


def local_date(value: datetime.datetime, lang: str) -> str:
    """The Vietnamese calendar day of an aware time: "03/02/2026" or "3 February 2026"."""
    local = value.astimezone(LOCAL_TIME).date()
    if lang == "vi":
        return local.strftime("%d/%m/%Y")
    return format_date(local, "d MMMM y", locale=lang if lang in LANGUAGES else "en")


#: What each submission status means to the citizen.
STATUS_LABELS: dict[str, str] = {
    "received": N_("Received"),
    "delivered": N_("Passed to the office"),
    "processed": N_("Decided"),
}


def status_label(status: str, lang: str) -> str:
    """The citizen's words for a submission status, in ``lang``."""
    msgid = STATUS_LABELS.get(status)
    return translate(lang, msgid) if msgid else status
