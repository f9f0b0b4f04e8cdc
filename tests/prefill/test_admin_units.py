"""Administrative units: counts, known codes, legacy conversion, search, the data file."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from datetime import date
from importlib import resources

import pytest

from prefill import admin_units as au


def _data_text() -> str:
    return resources.files("prefill").joinpath("data/admin_units.json").read_text("utf-8")


def test_counts_since_july_2025() -> None:
    assert len(au.provinces()) == 34
    assert len(au.communes()) == 3321
    kinds = collections.Counter(c.kind for c in au.communes())
    assert kinds == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert sum(len(au.communes(p.code)) for p in au.provinces()) == 3321


def test_provinces_in_code_order_with_two_digit_codes() -> None:
    codes = [p.code for p in au.provinces()]
    assert codes == sorted(codes)
    assert all(len(c) == 2 and c.isdigit() for c in codes)
    assert codes[0] == "01" and codes[-1] == "96"


def test_known_provinces() -> None:
    assert au.province("24") == au.Province("24", "Bắc Ninh", "thanh_pho")
    assert au.province("27") is None  # Bắc Ninh's old code, not a code since July 2025
    hanoi = au.province("01")
    assert hanoi is not None and hanoi.full_name == "Thành phố Hà Nội"
    assert au.province("80") == au.Province("80", "Tây Ninh", "tinh")
    assert au.province("99") is None


def test_2026_overlay_makes_three_more_centrally_run_cities() -> None:
    cities = {p.code for p in au.provinces() if p.kind == "thanh_pho"}
    assert cities == {"01", "22", "24", "31", "46", "48", "75", "79", "92"}
    changes = au.metadata()["overlay"]["changes"]
    assert {c["province"] for c in changes} == {"22", "24", "75"}


@pytest.mark.parametrize(
    ("code", "name", "kind", "province_code"),
    [
        ("00004", "Ba Đình", "phuong", "01"),
        ("00097", "Hồng Hà", "phuong", "01"),
        ("26740", "Sài Gòn", "phuong", "79"),
        ("26743", "Bến Thành", "phuong", "79"),
        ("09187", "Kinh Bắc", "phuong", "24"),
        ("26368", "Long Thành", "xa", "75"),
        ("31078", "Phú Quốc", "dac_khu", "91"),
        ("11948", "Bạch Long Vĩ", "dac_khu", "31"),
    ],
)
def test_known_communes(code: str, name: str, kind: str, province_code: str) -> None:
    assert au.commune(code) == au.Commune(code, name, kind, province_code)


def test_commune_full_name_and_code_padding() -> None:
    ba_dinh = au.commune("4")
    assert ba_dinh is not None and ba_dinh.code == "00004"
    assert ba_dinh.full_name == "Phường Ba Đình"
    assert au.province("1") == au.province("01")
    assert au.commune("99999") is None
    assert au.commune("") is None


def test_every_commune_has_its_province() -> None:
    for c in au.communes():
        assert au.province(c.province_code) is not None
        assert len(c.code) == 5 and c.code.isdigit()
        assert c.kind in au.COMMUNE_KINDS
        assert c.name and c.name == c.name.strip()
    assert au.communes("99") == ()
    assert all(c.province_code == "24" for c in au.communes("24"))


def test_legacy_ward_that_went_whole_into_one_commune() -> None:
    # Phường Phúc Xá, Quận Ba Đình, Hà Nội -> Phường Hồng Hà
    assert [c.code for c in au.convert_legacy("01", "001", "00001")] == ["00097"]
    # the district may be omitted: ward codes are unique nationally
    assert [c.code for c in au.convert_legacy("01", None, "00001")] == ["00097"]


def test_split_legacy_ward_gives_candidates() -> None:
    # Phường Cống Vị, Quận Ba Đình was split between Ngọc Hà and Giảng Võ
    result = au.convert_legacy("01", "001", "00007")
    assert [c.code for c in result] == ["00008", "00025"]
    assert [c.name for c in result] == ["Ngọc Hà", "Giảng Võ"]


def test_unknown_or_inconsistent_legacy_codes_give_nothing() -> None:
    assert au.convert_legacy("01", "001", "99999") == []
    assert au.convert_legacy("02", "001", "00001") == []  # ward not in that province
    assert au.convert_legacy("01", "002", "00001") == []  # ward not in that district
    assert au.convert_legacy("01", None, None) == []  # a province alone is not an address
    assert au.convert_legacy("99", "001", None) == []


def test_legacy_district_without_ward() -> None:
    # an island district without wards became a đặc khu
    assert [c.code for c in au.convert_legacy("31", "318", None)] == ["11948"]
    # a district with wards: every commune its wards went into, as candidates
    ba_dinh = {c.code for c in au.convert_legacy("01", "001", None)}
    assert {"00004", "00008", "00025", "00097"} <= ba_dinh
    assert all(au.commune(code).province_code == "01" for code in ba_dinh)  # type: ignore[union-attr]


def test_every_legacy_ward_converts_within_its_successor_province() -> None:
    addresses = au.legacy_addresses()
    assert len(addresses) == 10035
    sizes: collections.Counter[bool] = collections.Counter()
    for a in addresses:
        result = au.convert_legacy(a.province_code, a.district_code, a.ward_code)
        successor = au.legacy_province(a.province_code)
        assert result and successor is not None
        assert {c.province_code for c in result} == {successor.code}
        sizes[len(result) > 1] += 1
    assert sizes[True] == au.metadata()["counts"]["legacy_wards_split"] > 400


def test_legacy_provinces() -> None:
    old_codes = {a.province_code for a in au.legacy_addresses()}
    assert len(old_codes) == 63
    bac_ninh = au.province("24")
    assert au.legacy_province("24") == bac_ninh  # old Bắc Giang
    assert au.legacy_province("27") == bac_ninh  # old Bắc Ninh
    assert au.legacy_province("77") == au.province("79")  # Bà Rịa - Vũng Tàu -> HCMC
    assert au.legacy_province("2") == au.province("08")  # Hà Giang -> Tuyên Quang
    assert au.legacy_province("03") is None
    assert {au.legacy_province(c) for c in old_codes} == set(au.provinces())


def test_legacy_label_and_addresses() -> None:
    phuc_xa = au.LegacyAddress("01", "001", "00001")
    assert au.legacy_label(phuc_xa) == "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"
    assert au.legacy_label(au.LegacyAddress("01", None, "00001")) == au.legacy_label(phuc_xa)
    assert au.legacy_label(au.LegacyAddress("02", "001", "00001")) is None
    assert phuc_xa in au.legacy_addresses("01")
    assert all(a.province_code == "27" for a in au.legacy_addresses("27"))


@pytest.mark.parametrize(
    "text", ["ba dinh", "Ba Đình", "BA ĐÌNH", "  ba   đình ", "phuong ba dinh", "Phường Ba Đình"]
)
def test_search_with_or_without_diacritics(text: str) -> None:
    found = au.search_communes("01", text)
    assert found and found[0].code == "00004"


def test_search_ranking_limit_and_province() -> None:
    # typed diacritics rank matching names first: Đình before Định
    names = [c.name for c in au.search_communes("01", "Đình", limit=5)]
    assert names[:3] == ["Ba Đình", "Khương Đình", "Vân Đình"]
    assert "Định Công" in names
    assert len(au.search_communes("01", "a", limit=7)) == 7
    assert all(c.province_code == "79" for c in au.search_communes("79", "tan"))
    everywhere = {c.province_code for c in au.search_communes(None, "long thanh")}
    assert {"75", "86"} <= everywhere
    assert au.search_communes("01", "no such place zzz") == []
    assert [c.code for c in au.search_communes("01", "", limit=2)] == ["00004", "00008"]


def test_version_and_metadata_match_the_data_file() -> None:
    meta = au.metadata()
    assert meta["version"] == au.DATASET_VERSION
    assert date.fromisoformat(meta["valid_from"]) == au.VALID_FROM == date(2025, 7, 1)
    assert meta["source"]["licence"] == "MIT"
    assert meta["source"]["package"] == "vietnamadminunits"


def test_data_file_is_compact_sorted_and_deterministic() -> None:
    text = _data_text()
    again = json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert text == again + "\n"


def test_runtime_never_imports_the_source_package() -> None:
    code = (
        "import sys; from prefill import admin_units as au; au.provinces();"
        " au.convert_legacy('01', '001', '00007');"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'vietnamadminunits', 'shapely', 'geopy', 'numpy', 'flask'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
