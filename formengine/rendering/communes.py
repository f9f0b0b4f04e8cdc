"""The commune list of an address (``x-widget: commune``): options per province, cached.

An object with ``x-commune-of`` names its province and commune questions. The commune
question is a plain ``<select>`` of the chosen province's communes (full names, sorted by
name), so it works without JavaScript once the province is chosen; with htmx a search box
above it narrows the options (``formengine.web.units``). The option HTML of each province
and language is built once per process: Hồ Chí Minh City alone has 168 communes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from formengine.i18n import translate
from prefill import admin_units

if TYPE_CHECKING:
    from formengine.rendering.tree import Field

__all__ = [
    "commune_label",
    "commune_of",
    "link",
    "options_html",
    "province_code",
    "search_options_html",
]


def province_code(raw: str) -> str | None:
    """``raw`` if it is exactly the code of a province in force ("01"), else None."""
    found = admin_units.province(raw) if raw else None
    return found.code if found is not None and found.code == raw else None


def commune_of(code: str, province: str | None) -> admin_units.Commune | None:
    """The commune with exactly this code, if it is in ``province``; else None."""
    found = admin_units.commune(code) if code else None
    if found is None or found.code != code or found.province_code != province:
        return None
    return found


def commune_label(code: str) -> str | None:
    """The full name of the commune with exactly this code ("Phường Ba Đình"), else None."""
    found = admin_units.commune(code) if code else None
    return found.full_name if found is not None and found.code == code else None


def _option(value: str, label: str, selected: bool = False) -> str:
    mark = " selected" if selected else ""
    return f'<option value="{escape(value)}"{mark}>{escape(label)}</option>'


@lru_cache(maxsize=128)
def _sorted_options(province: str) -> tuple[tuple[str, ...], dict[str, int]]:
    """The ``<option>`` of each commune of ``province`` sorted by name (case and diacritics
    ignored, unit type aside: "Phường Ba Đình" next to "Xã Ba Vì"), and each code's index."""
    units = sorted(admin_units.communes(province),
                   key=lambda c: (admin_units.fold(c.name), c.name, c.code))
    return (tuple(_option(c.code, c.full_name) for c in units),
            {c.code: i for i, c in enumerate(units)})


def _placeholder(lang: str, province: str | None) -> str:
    if province is None:
        return _option("", translate(lang, "Choose the province or city first"))
    return _option("", translate(lang, "Select an option"))


@lru_cache(maxsize=256)
def _all_options(province: str | None, lang: str) -> str:
    """Placeholder and every commune of ``province`` (none without a province), joined."""
    options = _sorted_options(province)[0] if province else ()
    return _placeholder(lang, province) + "".join(options)


def options_html(province: str | None, selected: str, lang: str) -> Markup:
    """The options of the commune select: the placeholder, then the communes of ``province``
    with ``selected`` (a commune code) selected when it is one of them."""
    html = _all_options(province, lang)
    if province is not None and commune_of(selected, province) is not None:
        options, index = _sorted_options(province)
        plain = options[index[selected]]
        html = html.replace(plain, _option(selected, commune_label(selected) or "", True), 1)
    return Markup(html)


def search_options_html(province: str | None, query: str, selected: str, lang: str,
                        limit: int = 200) -> Markup:
    """The options for what was typed: the placeholder, the current selection (always kept,
    even when it does not match), then the matches best first (``search_communes``: case
    and diacritics ignored). No query: every commune, as :func:`options_html`."""
    if not query.strip() or province is None:
        return options_html(province, selected, lang)
    chosen = commune_of(selected, province)
    parts = [_placeholder(lang, province)]
    if chosen is not None:
        parts.append(_option(chosen.code, chosen.full_name, True))
    parts.extend(_option(c.code, c.full_name)
                 for c in admin_units.search_communes(province, query, limit)
                 if chosen is None or c.code != chosen.code)
    return Markup("".join(parts))


def link(fields: Sequence[Field], node: Mapping[str, Any], prefix: str, formdata: Any,
         lang: str) -> None:
    """Give the commune question among ``fields`` (the children of the object ``node``)
    its province and options, from the answers in ``formdata`` (``x-commune-of``)."""
    names = node.get("x-commune-of")
    if not isinstance(names, Mapping):
        return
    commune = next((f for f in fields if f.widget == "commune"
                    and f.name == f"{prefix}{names.get('commune')}"), None)
    if commune is None:
        return
    province = province_code(_first(formdata, f"{prefix}{names.get('province')}"))
    commune.attrs["province"] = province or ""
    commune.attrs["options"] = options_html(province, _first(formdata, commune.name), lang)


def _first(formdata: Any, key: str) -> str:
    values = formdata.getlist(key) if formdata is not None else []
    return str(values[0]).strip() if values else ""
