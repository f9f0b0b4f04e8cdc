"""Tests for formengine.rendering.communes (the options of the commune list)."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from formengine.definitions import FormDefinition, load_definition
from formengine.rendering.communes import (
    commune_label,
    commune_of,
    options_html,
    province_code,
    search_options_html,
)
from formengine.rendering.tree import page_fields
from prefill import admin_units
from tests.conftest import BUNDLED, EXAMPLE


def options(html: str) -> list[tuple[str, bool, str]]:
    """(value, selected, label) of each ``<option>``."""
    return [(value, bool(selected), label) for value, selected, label in re.findall(
        r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)]


def test_exact_codes_only() -> None:
    assert province_code("01") == "01"
    assert province_code("1") is None and province_code("99") is None
    assert province_code("") is None
    assert commune_of("00004", "01") is not None
    assert commune_of("00004", "79") is None and commune_of("4", "01") is None
    assert commune_of("", "01") is None
    assert commune_label("00004") == "Phường Ba Đình"
    assert commune_label("4") is None and commune_label("nope") is None


def test_a_provinces_communes_sorted_by_name() -> None:
    listed = options(options_html("01", "", "en"))
    assert listed[0] == ("", False, "Select an option")
    communes = listed[1:]
    assert len(communes) == len(admin_units.communes("01")) == 126
    assert {code for code, _, _ in communes} == {c.code for c in admin_units.communes("01")}
    names = [label.split(" ", 1)[1] if not label.startswith("Đặc khu") else label[8:]
             for _, _, label in communes]
    folded = [admin_units.fold(n) for n in names]
    assert folded == sorted(folded)  # by name, the unit type aside, diacritics ignored
    assert communes[:3] == [("09877", False, "Xã An Khánh"), ("00004", False, "Phường Ba Đình"),
                            ("09700", False, "Xã Ba Vì")]


def test_the_choice_is_selected_only_in_its_province() -> None:
    listed = options(options_html("01", "00004", "vi"))
    assert [code for code, selected, _ in listed if selected] == ["00004"]
    assert not any(selected for _, selected, _ in options(options_html("79", "00004", "vi")))
    assert not any(selected for _, selected, _ in options(options_html("01", "4", "vi")))
    # The cached list itself is never changed by a selection.
    assert not any(selected for _, selected, _ in options(options_html("01", "", "vi")))


def test_without_a_province_only_a_prompt() -> None:
    assert options(options_html(None, "00004", "en")) == [
        ("", False, "Choose the province or city first")]
    assert options(options_html(None, "", "vi")) == [("", False, "Chọn tỉnh, thành phố trước")]


def test_option_lists_are_built_once_per_province_and_language() -> None:
    assert options_html("79", "", "fr") == options_html("79", "", "fr")
    from formengine.rendering import communes

    before = communes._all_options.cache_info().hits
    options_html("79", "26743", "fr")
    assert communes._all_options.cache_info().hits == before + 1


def test_search_keeps_the_choice_first() -> None:
    listed = options(search_options_html("01", "hoan kiem", "00004", "en"))
    assert listed == [("", False, "Select an option"), ("00004", True, "Phường Ba Đình"),
                      ("00070", False, "Phường Hoàn Kiếm")]
    listed = options(search_options_html("01", "Ba Đình", "00004", "en"))
    assert listed == [("", False, "Select an option"), ("00004", True, "Phường Ba Đình")]
    # A choice of another province is not kept; no query is the whole list.
    assert options(search_options_html("01", "zzz", "26743", "en")) == [
        ("", False, "Select an option")]
    assert search_options_html("01", "  ", "00004", "en") == options_html("01", "00004", "en")
    assert options(search_options_html(None, "ba", "", "en")) == [
        ("", False, "Choose the province or city first")]


def test_labels_are_escaped() -> None:
    assert "<b>" not in search_options_html("01", "<b>", "", "en")


def example() -> FormDefinition:
    return load_definition(BUNDLED / f"{EXAMPLE}.json")


def test_the_object_links_its_commune_question() -> None:
    formdata = MultiDict({"address.province_code": "01", "address.commune_code": "00070"})
    (address,) = page_fields(example(), ["/address"], {}, formdata, {}, "en")
    province, commune, _detail = address.children
    assert province.controlling and not commune.controlling
    assert commune.widget == "commune" and commune.input is None
    assert commune.attrs["province"] == "01"
    assert ("00070", True, "Phường Hoàn Kiếm") in options(commune.attrs["options"])
    (address,) = page_fields(example(), ["/address"], {}, MultiDict(), {}, "en")
    assert address.children[1].attrs["province"] == ""
    assert options(address.children[1].attrs["options"]) == [
        ("", False, "Choose the province or city first")]
