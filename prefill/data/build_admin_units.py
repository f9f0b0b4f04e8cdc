"""Build prefill/data/admin_units.json from the MIT-licensed package vietnamadminunits.

    .venv/bin/pip install vietnamadminunits==1.0.4   # build time only, never a dependency
    .venv/bin/python prefill/data/build_admin_units.py [--check]

Re-runnable and deterministic: the same source gives the same bytes. ``--check`` builds in
memory and exits 1 if the checked-in file differs. Nothing imports this script at run time
and no test runs it; prefill/admin_units.py reads only the JSON it writes.

What it reads (the package's own data files, located without importing the package, whose
import pulls in shapely/geopy/numpy):

* ``data/dataset.db`` table ``admin_units``: the 34 provinces and 3,321 communes in force
  since 1 July 2025 with their NSO codes; table ``admin_units_legacy``: the 63 provinces,
  696 districts and 10,035 wards before (plus 5 island districts without wards);
* ``data/converter_2025.json``: which old provinces form each new one, which old wards
  went whole into each new commune, and the candidates for each old ward that was split.

What it changes on the way (each change is printed):

* the unit type of a commune comes from the prefix of its official name ("Phường …"),
  which the package's separate type column contradicts for a few communes;
* short names are the official name without that prefix (the package's short names carry
  disambiguators such as "Yên Viên (Thị trấn)");
* ``OVERLAY``: the 2026 resolutions that made three provinces centrally-run cities (codes
  unchanged), from ../shared/research/vietnam.md §3. Recorded in the JSON's ``overlay``.

Output keys (short on purpose; every map is keyed by code and sorted):

* ``p``  province code → [name, kind]
* ``c``  commune code → [name, kind, province code]
* ``lp`` legacy province code → [name, kind, new province code]
* ``ld`` legacy district code → [name, kind, legacy province code, [commune codes]]
  (the commune list is filled only for a district without wards, e.g. an island district
  that became a đặc khu)
* ``lw`` legacy ward code → [name, kind, legacy district code, [commune codes]]
  (one code: went whole into that commune; several: split, candidates in code order)
"""

from __future__ import annotations

import argparse
import collections
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path
from typing import Any

SOURCE_PACKAGE = "vietnamadminunits"
SOURCE_VERSION = "1.0.4"
VERSION = "2026.09.1"  # keep equal to prefill.admin_units.DATASET_VERSION
VALID_FROM = "2025-07-01"
OUT = Path(__file__).with_name("admin_units.json")

KINDS = {
    "tỉnh": "tinh",
    "thành phố": "thanh_pho",
    "xã": "xa",
    "phường": "phuong",
    "đặc khu": "dac_khu",
    "quận": "quan",
    "huyện": "huyen",
    "thị xã": "thi_xa",
    "thị trấn": "thi_tran",
}


def _city(province: str, resolution: str, day: str) -> dict[str, str]:
    """An overlay entry: the province became a centrally-run city (code unchanged)."""
    return {"province": province, "kind": "thanh_pho", "basis": resolution, "date": day}


OVERLAY = [
    _city("75", "Resolution 30/2026/QH16", "2026-04-30"),  # Đồng Nai
    _city("22", "Resolution 36/2026/QH16", "2026-09-01"),  # Quảng Ninh
    _city("24", "Resolution 39/2026/QH16", "2026-09-20"),  # Bắc Ninh
]
OVERLAY_NOTE = (
    "Province type changes only (province -> centrally-run city), codes and communes "
    "unchanged; dates as given in the project's research notes (vietnam.md section 3). "
    "Commune-level 2026 changes (e.g. xa -> phuong in Dong Nai) are not applied."
)


def source_dir() -> Path:
    """The installed package's folder, found without importing it."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"pip install {SOURCE_PACKAGE}=={SOURCE_VERSION} first (build time only)")
    found = importlib.metadata.version(SOURCE_PACKAGE)
    if found != SOURCE_VERSION:
        sys.exit(f"{SOURCE_PACKAGE} {found} installed; this build is for {SOURCE_VERSION}")
    return Path(next(iter(spec.submodule_search_locations)))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def split_name(full: str) -> tuple[str, str]:
    """'Phường Ba Đình' -> ('Ba Đình', 'phuong'): the longest known type prefix wins."""
    full = nfc(full)
    for label in sorted(KINDS, key=len, reverse=True):
        if full.casefold().startswith(label + " "):
            return full[len(label) + 1 :], KINDS[label]
    raise ValueError(f"no unit type in {full!r}")


def build(src: Path) -> dict[str, Any]:
    db = sqlite3.connect(src / "data" / "dataset.db")
    conv = json.loads((src / "data" / "converter_2025.json").read_text("utf-8"))

    provinces: dict[str, list[str]] = {}
    communes: dict[str, list[str]] = {}
    commune_key: dict[tuple[str, str], str] = {}
    rows = db.execute(
        "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey "
        "FROM admin_units"
    )
    for pcode, pname, pkey, code, name, ward_type, wkey in rows:
        provinces.setdefault(pcode, list(split_name(pname)))
        short, kind = split_name(name)
        if kind != KINDS[nfc(ward_type).casefold()]:
            print(f"commune {code} {name!r}: type column says {ward_type!r}; name wins")
        communes[code] = [short, kind, pcode]
        commune_key[(pkey, wkey)] = code

    for change in OVERLAY:
        provinces[change["province"]][1] = change["kind"]
        print(
            f"overlay: {change['province']} {provinces[change['province']][0]} -> "
            f"{change['kind']} ({change['basis']})"
        )

    legacy_provinces: dict[str, list[str]] = {}
    legacy_districts: dict[str, list[Any]] = {}
    wards: dict[str, list[Any]] = {}
    old_key: dict[str, tuple[str, str]] = {}  # converter key -> ("w"|"d", code)
    old_province_key: dict[str, str] = {}
    rows = db.execute(
        "SELECT provinceCode, province, provinceKey, districtCode, district, districtKey, "
        "wardCode, ward, wardKey FROM admin_units_legacy"
    )
    for pcode, pname, pkey, dcode, dname, dkey, wcode, wname, wkey in rows:
        legacy_provinces.setdefault(pcode, [*split_name(pname), ""])
        old_province_key[pkey] = pcode
        legacy_districts.setdefault(dcode, [*split_name(dname), pcode, []])
        if wcode:
            wards[wcode] = [*split_name(wname), dcode, []]
            old_key[f"{pkey}_{dkey}_{wkey}"] = ("w", wcode)
        else:
            old_key[f"{pkey}_{dkey}_"] = ("d", dcode)

    new_province_code = {pkey: communes[code][2] for (pkey, _), code in commune_key.items()}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for key in old_keys:
            legacy_provinces[old_province_key[key]][2] = new_province_code[new_key]

    targets: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for pkey, merged in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, old_keys in merged.items():
            for key in old_keys:
                targets[old_key[key]].add(commune_key[(pkey, wkey)])
    for pkey, split in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, candidates in split.items():
            for candidate in candidates:
                targets[old_key[key]].add(commune_key[(pkey, candidate["newWardKey"])])
    for (level, code), new in targets.items():
        (wards if level == "w" else legacy_districts)[code][3] = sorted(new)

    check(provinces, communes, legacy_provinces, legacy_districts, wards)
    kinds = collections.Counter(kind for _, kind, _ in communes.values())
    return {
        "version": VERSION,
        "valid_from": VALID_FROM,
        "basis": "Resolution 202/2025/QH15; Decision 19/2025/QD-TTg (NSO code list)",
        "source": {
            "package": SOURCE_PACKAGE,
            "version": SOURCE_VERSION,
            "licence": "MIT",
            "copyright": "Copyright (c) 2025 Tran Ngoc Minh Hieu",
            "url": "https://github.com/tranngocminhhieu/vietnamadminunits",
        },
        "overlay": {"note": OVERLAY_NOTE, "changes": OVERLAY},
        "counts": {
            "provinces": len(provinces),
            "communes": len(communes),
            "commune_kinds": dict(sorted(kinds.items())),
            "legacy_provinces": len(legacy_provinces),
            "legacy_districts": len(legacy_districts),
            "legacy_wards": len(wards),
            "legacy_wards_split": sum(len(w[3]) > 1 for w in wards.values()),
        },
        "p": provinces,
        "c": communes,
        "lp": legacy_provinces,
        "ld": legacy_districts,
        "lw": wards,
    }


def check(
    provinces: dict[str, list[str]],
    communes: dict[str, list[str]],
    legacy_provinces: dict[str, list[str]],
    legacy_districts: dict[str, list[Any]],
    wards: dict[str, list[Any]],
) -> None:
    """Fail the build on any broken link or width; print what is merely worth knowing."""
    assert all(len(c) == 2 for c in provinces) and all(len(c) == 5 for c in communes)
    assert all(len(c) == 2 for c in legacy_provinces)
    assert all(len(c) == 3 for c in legacy_districts) and all(len(c) == 5 for c in wards)
    assert all(c[2] in provinces for c in communes.values())
    assert all(p[2] in provinces for p in legacy_provinces.values())
    assert all(d[2] in legacy_provinces for d in legacy_districts.values())
    assert all(w[2] in legacy_districts for w in wards.values())
    assert all(w[3] and set(w[3]) <= communes.keys() for w in wards.values())
    wardless = {w[2] for w in wards.values()} ^ legacy_districts.keys()
    assert all(legacy_districts[d][3] for d in wardless), "a district without wards or target"
    crossing = [
        code
        for code, w in wards.items()
        if any(communes[c][2] != legacy_provinces[legacy_districts[w[2]][2]][2] for c in w[3])
    ]
    print(f"{len(crossing)} legacy wards map outside their old province's successor")


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare with the file; no write")
    args = parser.parse_args()
    text = render(build(source_dir()))
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("up to date" if same else f"{OUT} differs from a fresh build")
        sys.exit(0 if same else 1)
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT} ({len(text.encode())} bytes)")


if __name__ == "__main__":
    main()
