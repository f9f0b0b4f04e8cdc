"""The catalogue of procedures (pure): life events, fees, documents and search.

A :class:`CatalogueIndex` is one language's view of a :class:`Catalog`: its entries in
display order (by life event, then title) with the words of each already folded for search
(lower case, no diacritics, "đ" as "d"). It is built once per catalogue and language
(:func:`index_for`); a search only folds the query.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from babel.numbers import format_currency

from formengine.config import LANGUAGES
from formengine.definitions import Catalog, FormDefinition
from formengine.i18n import N_, LocalText, localize, translate
from prefill.admin_units import fold

#: Life events in the catalogue's order ("other" last), with their engine-translated labels.
LIFE_EVENTS: Mapping[str, str] = {
    "birth": N_("Birth"),
    "residence": N_("Residence"),
    "marriage": N_("Marriage"),
    "death": N_("Death of a relative"),
    "justice": N_("Judicial records"),
    "other": N_("Other procedures"),
}
#: Characters of a query that are read (a procedure title is far shorter).
MAX_QUERY = 100
#: How an amount in đồng is written per language: vi and fr with the ₫ sign (their locale's
#: pattern), en with the ISO code, which English readers recognise.
_FEE_FORMATS: Mapping[str, str | None] = {"vi": None, "en": "#,##0 ¤¤", "fr": None}
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The folded words of ``text``: lower case, no diacritics, "đ" as "d"."""
    return _WORD.findall(fold(text))


def _texts(text: LocalText | None) -> list[str]:
    """Every language of a localized text."""
    if text is None:
        return []
    return [text] if isinstance(text, str) else [t for t in text.values() if t]


def life_event(definition: FormDefinition) -> str:
    """The life event a procedure is grouped under ("other" when it says none)."""
    event = definition.procedure.get("life_event")
    return event if isinstance(event, str) and event in LIFE_EVENTS else "other"


def format_fee(amount: int, lang: str) -> str:
    """An amount in đồng as written in ``lang``: 50.000 ₫, 50,000 VND, 50 000 ₫."""
    locale = lang if lang in LANGUAGES else LANGUAGES[0]
    return str(format_currency(amount, "VND", format=_FEE_FORMATS.get(locale), locale=locale))


def fee_text(procedure: Mapping[str, Any], lang: str) -> str | None:
    """The procedure's fee in ``lang`` ("Free" when 0), with its note; None when unknown."""
    fee = procedure.get("fee")
    if not isinstance(fee, Mapping) or not isinstance(fee.get("amount"), int):
        return None
    amount: int = fee["amount"]
    text = translate(lang, "Free") if amount == 0 else format_fee(amount, lang)
    note = localize(fee.get("note"), lang)
    return f"{text} ({note})" if note else text


def documents_to_provide(procedure: Mapping[str, Any]) -> list[LocalText] | None:
    """The documents the citizen must provide: [] when none are needed (documents_required
    is [], or absent while documents_replaced lists what data replaces); None when the
    definition does not say."""
    required = procedure.get("documents_required")
    if isinstance(required, list):
        return required
    return [] if procedure.get("documents_replaced") else None


def _covers(haystack: Collection[str], wanted: Sequence[str]) -> bool:
    """Every wanted word begins some word of ``haystack``."""
    return all(any(word.startswith(w) for word in haystack) for w in wanted)


@dataclass(frozen=True)
class Entry:
    """One procedure of the catalogue in one language, with its folded words."""

    definition: FormDefinition
    life_event: str
    title: str
    titles: tuple[str, ...]  # each language's title, folded words joined by single spaces
    title_words: frozenset[str]
    keyword_words: frozenset[str]
    all_words: frozenset[str]

    @classmethod
    def of(cls, definition: FormDefinition, lang: str) -> Entry:
        """The entry of ``definition`` in ``lang``."""
        procedure = definition.procedure
        titles = [" ".join(words(t)) for t in _texts(definition.title)]
        keywords = [w for k in procedure.get("keywords", ()) for t in _texts(k) for w in words(t)]
        description = procedure.get("description")
        other = [*words(localize(description, lang)), *words(localize(description, "vi")),
                 *words(str(procedure.get("code", "")))]
        title_words = frozenset(w for t in titles for w in t.split())
        return cls(definition, life_event(definition), localize(definition.title, lang),
                   tuple(dict.fromkeys(titles)), title_words, frozenset(keywords),
                   title_words | frozenset(keywords) | frozenset(other))

    def rank(self, wanted: Sequence[str]) -> int | None:
        """How well the entry matches the wanted words (0 best), None when it does not:
        0 the words in that order in a title, 1 all in the title, 2 in the title or the
        keywords, 3 anywhere (description and code too)."""
        if not _covers(self.all_words, wanted):
            return None
        phrase = " " + " ".join(wanted)
        if any(phrase in " " + title for title in self.titles):
            return 0
        if _covers(self.title_words, wanted):
            return 1
        return 2 if _covers(self.title_words | self.keyword_words, wanted) else 3


class CatalogueIndex:
    """A catalogue in one language: entries by life event then title, and search."""

    def __init__(self, definitions: Iterable[FormDefinition], lang: str) -> None:
        order = {event: position for position, event in enumerate(LIFE_EVENTS)}
        entries = (Entry.of(d, lang) for d in definitions)
        self.lang = lang
        self.entries = tuple(sorted(entries, key=lambda e: (order[e.life_event],
                                                             e.title.casefold(), e.definition.id)))

    def __len__(self) -> int:
        return len(self.entries)

    def groups(self) -> list[tuple[str, list[Entry]]]:
        """(life event, its entries) for every life event that has a procedure, in order."""
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.life_event, []).append(entry)
        return list(grouped.items())

    def search(self, query: str) -> list[Entry]:
        """The entries matching every word of ``query``, best first (ties in catalogue
        order); none when the query has no word."""
        wanted = words(query[:MAX_QUERY])
        if not wanted:
            return []
        ranked = [(rank, position) for position, entry in enumerate(self.entries)
                  if (rank := entry.rank(wanted)) is not None]
        return [self.entries[position] for _, position in sorted(ranked)]


_indexes: WeakKeyDictionary[Catalog, dict[str, CatalogueIndex]] = WeakKeyDictionary()
_lock = threading.Lock()


def index_for(catalog: Catalog, lang: str) -> CatalogueIndex:
    """The index of ``catalog`` in ``lang``, built on first use and kept with the catalog."""
    with _lock:
        by_lang = _indexes.setdefault(catalog, {})
        index = by_lang.get(lang)
        if index is None:
            index = by_lang[lang] = CatalogueIndex(catalog, lang)
        return index
