"""Vietnam's administrative units since 1 July 2025, and the legacy units they replaced.

Two levels since 1 July 2025: 34 provinces (``Province``) and 3,321 communes (``Commune``:
xã, phường, đặc khu). Before that, three: 63 provinces, districts, wards. The data is an
offline snapshot (``prefill/data/admin_units.json``, built by
``prefill/data/build_admin_units.py``), read once per process on first use.

Codes are the official NSO strings with their zero padding: provinces two digits
(``"01"``), communes and legacy wards five (``"00004"``), legacy districts three
(``"001"``). Lookups also accept a shorter all-digit code and pad it (``"4"`` → ``"00004"``).

Names are the short names without the unit type (``"Ba Đình"``); ``full_name`` adds it
(``"Phường Ba Đình"``). ``kind`` is one of ``PROVINCE_KINDS``, ``COMMUNE_KINDS``,
``LEGACY_DISTRICT_KINDS`` or ``LEGACY_WARD_KINDS``.
"""

from __future__ import annotations

import copy
import json
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

DATASET_VERSION = "2026.09.1"
"""Version of the snapshot: the month of the newest legal change it includes, and a build."""

VALID_FROM = date(2025, 7, 1)
"""The day the units in this snapshot came into force (Resolution 202/2025/QH15)."""

KIND_LABELS: dict[str, str] = {
    "tinh": "Tỉnh",
    "thanh_pho": "Thành phố",
    "xa": "Xã",
    "phuong": "Phường",
    "dac_khu": "Đặc khu",
    "quan": "Quận",
    "huyen": "Huyện",
    "thi_xa": "Thị xã",
    "thi_tran": "Thị trấn",
}
"""The Vietnamese label of every ``kind``, as it precedes a unit's name."""

PROVINCE_KINDS = ("tinh", "thanh_pho")
"""``tinh``: province; ``thanh_pho``: centrally-run city (thành phố trực thuộc trung ương)."""
COMMUNE_KINDS = ("xa", "phuong", "dac_khu")
"""``xa``: rural commune; ``phuong``: urban ward; ``dac_khu``: special zone."""
LEGACY_DISTRICT_KINDS = ("quan", "huyen", "thi_xa", "thanh_pho")
"""District-level kinds before July 2025 (``thanh_pho``: a city under a province)."""
LEGACY_WARD_KINDS = ("xa", "phuong", "thi_tran")
"""Commune-level kinds before July 2025."""

_DATA_FILE = "data/admin_units.json"
_PROVINCE_WIDTH, _DISTRICT_WIDTH, _WARD_WIDTH = 2, 3, 5


@dataclass(frozen=True, slots=True)
class Province:
    """A province or centrally-run city in force since 1 July 2025."""

    code: str
    name: str
    kind: str

    @property
    def full_name(self) -> str:
        """The name with its unit type: ``"Tỉnh Bắc Ninh"``, ``"Thành phố Hà Nội"``."""
        return f"{KIND_LABELS[self.kind]} {self.name}"


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune-level unit (xã, phường, đặc khu) in force since 1 July 2025."""

    code: str
    name: str
    kind: str
    province_code: str

    @property
    def full_name(self) -> str:
        """The name with its unit type: ``"Phường Ba Đình"``."""
        return f"{KIND_LABELS[self.kind]} {self.name}"


@dataclass(frozen=True, slots=True)
class LegacyAddress:
    """The codes of a pre-July-2025 address: old province, district and ward."""

    province_code: str
    district_code: str | None = None
    ward_code: str | None = None


@dataclass(frozen=True, slots=True)
class _LegacyUnit:
    name: str
    kind: str
    parent: str  # province: the new province's code; district: old province; ward: district
    communes: tuple[str, ...] = ()  # new commune codes (wards, and districts without wards)

    @property
    def full_name(self) -> str:
        return f"{KIND_LABELS[self.kind]} {self.name}"


class _Dataset:
    """The parsed snapshot with its indexes (built once, read-only afterwards)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        if raw["version"] != DATASET_VERSION or raw["valid_from"] != VALID_FROM.isoformat():
            raise RuntimeError(
                f"{_DATA_FILE} is version {raw['version']} ({raw['valid_from']}); "
                f"this module expects {DATASET_VERSION} ({VALID_FROM.isoformat()})"
            )
        self.meta = {k: v for k, v in raw.items() if k not in {"p", "c", "lp", "ld", "lw"}}
        self.provinces = tuple(Province(code, n, k) for code, (n, k) in sorted(raw["p"].items()))
        self.province_by_code = {p.code: p for p in self.provinces}
        self.communes = tuple(
            Commune(code, n, k, p) for code, (n, k, p) in sorted(raw["c"].items())
        )
        self.commune_by_code = {c.code: c for c in self.communes}
        by_province: dict[str, list[Commune]] = {p.code: [] for p in self.provinces}
        for c in self.communes:
            by_province[c.province_code].append(c)
        self.communes_by_province = {k: tuple(v) for k, v in by_province.items()}
        self.folded = {c.code: (fold(c.name), fold(c.full_name)) for c in self.communes}
        self.lowered = {c.code: _lower(c.full_name) for c in self.communes}
        self.legacy_provinces = {
            code: _LegacyUnit(n, k, new) for code, (n, k, new) in raw["lp"].items()
        }
        self.legacy_districts = {
            code: _LegacyUnit(n, k, prov, tuple(new))
            for code, (n, k, prov, new) in raw["ld"].items()
        }
        self.legacy_wards = {
            code: _LegacyUnit(n, k, dist, tuple(new))
            for code, (n, k, dist, new) in raw["lw"].items()
        }
        # What a district alone converts to: its own targets, or all its wards' targets.
        district_targets = {code: set(d.communes) for code, d in self.legacy_districts.items()}
        for ward in self.legacy_wards.values():
            district_targets[ward.parent].update(ward.communes)
        self.district_communes = {k: tuple(sorted(v)) for k, v in district_targets.items()}
        self.legacy_addresses = tuple(
            LegacyAddress(self.legacy_districts[w.parent].parent, w.parent, code)
            for code, w in sorted(self.legacy_wards.items())
        )

    def legacy_units(
        self, province_code: str, district_code: str | None, ward_code: str | None
    ) -> list[_LegacyUnit] | None:
        """The old address's units, smallest first; None if unknown or not nested."""
        units: list[_LegacyUnit] = []
        expected: str | None = None  # the parent code the next larger unit must have
        levels = (
            (self.legacy_wards, ward_code, _WARD_WIDTH),
            (self.legacy_districts, district_code, _DISTRICT_WIDTH),
            (self.legacy_provinces, province_code, _PROVINCE_WIDTH),
        )
        for table, raw_code, width in levels:
            if raw_code is None or not raw_code.strip():
                if expected is not None:  # a ward without its district: fill it in
                    raw_code = expected
                else:
                    continue
            code = _pad(raw_code, width)
            unit = table.get(code)
            if unit is None or (expected is not None and code != expected):
                return None
            units.append(unit)
            expected = unit.parent
        return units


_lock = threading.Lock()
_loaded: _Dataset | None = None


def _data() -> _Dataset:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                text = resources.files("prefill").joinpath(_DATA_FILE).read_text("utf-8")
                _loaded = _Dataset(json.loads(text))
    return _loaded


def _pad(code: str | None, width: int) -> str:
    """Strip a code and pad an all-digit one to its official width."""
    code = (code or "").strip()
    return code.zfill(width) if code.isdigit() and len(code) < width else code


def _lower(text: str) -> str:
    """Lower-case NFC text with single spaces, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def fold(text: str) -> str:
    """Lower-case, drop diacritics (đ → d) and collapse spaces: for matching typed text."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def metadata() -> dict[str, Any]:
    """The snapshot's metadata: version, valid_from, source, licence, overlay, counts."""
    return copy.deepcopy(_data().meta)


def provinces() -> tuple[Province, ...]:
    """The 34 provinces and centrally-run cities, in code order."""
    return _data().provinces


def province(code: str) -> Province | None:
    """The province with this two-digit code (``"01"``), or None."""
    return _data().province_by_code.get(_pad(code, _PROVINCE_WIDTH))


def communes(province_code: str | None = None) -> tuple[Commune, ...]:
    """All 3,321 communes, or one province's (empty for an unknown code), in code order."""
    data = _data()
    if province_code is None:
        return data.communes
    return data.communes_by_province.get(_pad(province_code, _PROVINCE_WIDTH), ())


def commune(code: str) -> Commune | None:
    """The commune with this five-digit code (``"00004"``), or None."""
    return _data().commune_by_code.get(_pad(code, _WARD_WIDTH))


def search_communes(province_code: str | None, text: str, limit: int = 20) -> list[Commune]:
    """Communes of a province (None: all) whose name matches typed text, best first.

    Case and diacritics are ignored ("ba dinh" finds "Ba Đình"), and the text may include
    the unit type ("phuong ba dinh"). Ranking: names that match the diacritics the text
    has ("Đình" before "Định"), then exact name, name starting with the text, a word
    starting with it, containing it; ties in code order. Empty text gives the first
    ``limit`` communes in code order.
    """
    data = _data()
    pool = communes(province_code)
    query = fold(text)
    if not query:
        return list(pool[: max(limit, 0)])
    typed = _lower(text)
    accented = typed != query
    ranked: list[tuple[int, int, int, Commune]] = []
    for i, c in enumerate(pool):
        name, full = data.folded[c.code]
        if query in (name, full):
            rank = 0
        elif name.startswith(query) or full.startswith(query):
            rank = 1
        elif f" {query}" in f" {name}":
            rank = 2
        elif query in full:
            rank = 3
        else:
            continue
        tier = 1 if accented and typed not in data.lowered[c.code] else 0
        ranked.append((tier, rank, i, c))
    ranked.sort(key=lambda t: t[:3])
    return [t[3] for t in ranked[: max(limit, 0)]]


def legacy_province(code: str) -> Province | None:
    """The province since July 2025 that an old (63-province) code became part of."""
    unit = _data().legacy_provinces.get(_pad(code, _PROVINCE_WIDTH))
    return province(unit.parent) if unit else None


def convert_legacy(
    province_code: str, district_code: str | None, ward_code: str | None
) -> list[Commune]:
    """The commune(s) an old address became, in code order.

    With a ward: one commune when the old ward went whole into it, several candidates
    when it was split (the citizen picks one). With a district but no ward: the communes
    its wards went into (candidates to narrow down), or the one an island district without
    wards became. [] when a code is unknown, the codes do not nest (ward in district in
    province), or only a province is given (use ``legacy_province``). The district code
    may be None when a ward code is given: ward codes are unique nationally.
    """
    data = _data()
    units = data.legacy_units(province_code, district_code, ward_code)
    if not units or len(units) == 1:
        return []
    has_ward = bool(ward_code and ward_code.strip())
    codes = units[0].communes if has_ward else data.district_communes[_pad(district_code, 3)]
    return [data.commune_by_code[c] for c in codes]


def legacy_addresses(province_code: str | None = None) -> tuple[LegacyAddress, ...]:
    """Every old ward as a full legacy address (optionally of one old province), by code."""
    every = _data().legacy_addresses
    if province_code is None:
        return every
    prov = _pad(province_code, _PROVINCE_WIDTH)
    return tuple(a for a in every if a.province_code == prov)


def legacy_label(address: LegacyAddress) -> str | None:
    """The old address in words, smallest unit first, e.g.
    ``"Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"``; None if the codes are unknown or
    do not nest."""
    units = _data().legacy_units(address.province_code, address.district_code, address.ward_code)
    return ", ".join(u.full_name for u in units) if units else None
