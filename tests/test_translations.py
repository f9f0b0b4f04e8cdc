"""Definition texts without an English or French translation are reported as warnings."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from formengine.cli import main
from formengine.config import PROJECT_ROOT
from formengine.definitions.catalog import definition_files
from formengine.definitions.loader import load_definition
from formengine.definitions.model import Problem
from formengine.definitions.translations import missing_translations

BUNDLED = PROJECT_ROOT / "form_definitions"


def text(vi: str, en: str = "English", fr: str = "Français") -> dict[str, str]:
    return {"vi": vi, "en": en, "fr": fr}


def translated(vi: str, **more: str) -> dict[str, Any]:
    """A node's ``title`` (and other texts) with both translations."""
    return {"title": vi, **more, "x-i18n": {
        "en": {"title": "Title", **{k: "English" for k in more}},
        "fr": {"title": "Titre", **{k: "Français" for k in more}},
    }}


def definition() -> dict[str, Any]:
    """A small definition with every text translated."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-procedure": {"id": "tt", "version": "1", "title": text("Thủ tục"),
                        "agency": text("Cơ quan"), "documents_replaced": [text("Giấy")]},
        "x-layout": {"pages": [{"id": "p", "title": text("Trang"),
                                "fields": ["/name", "/kind", "/phone"]}]},
        "type": "object",
        "properties": {
            "name": {"type": "string", **translated("Tên", **{"x-help": "Gợi ý"}),
                     "x-error-messages": {"required": text("Nhập tên")}},
            "kind": {"type": "string", **translated("Loại"), "oneOf": [
                {"const": "a", **translated("A")}, {"const": "b", **translated("B")}]},
        },
        "allOf": [{"if": {"properties": {"kind": {"const": "a", "title": "ẩn"}},
                          "required": ["kind"]},
                   "then": {"properties": {"phone": {"$ref": "components/phone.json"}}}}],
        "required": ["name"],
    }


def messages(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.pointer, p.message) for p in missing_translations(document, "f.json")]


def test_a_translated_definition_has_no_warning() -> None:
    assert messages(definition()) == []


def test_missing_french_title(definitions_dir: Path) -> None:
    document = definition()
    del document["properties"]["name"]["x-i18n"]["fr"]["title"]
    path = definitions_dir / "t.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    loaded = load_definition(path)
    assert list(loaded.warnings) == [Problem(
        str(path), "/properties/name",
        "no French translation of `title` (add x-i18n.fr.title)", "warning")]


def test_every_node_text_needs_both_translations() -> None:
    document = definition()
    document["properties"]["kind"]["oneOf"][1].pop("x-i18n")
    document["properties"]["name"]["x-i18n"].pop("en")
    document["properties"]["name"]["x-placeholder"] = "Nguyễn Văn A"
    assert sorted(messages(document)) == sorted([
        ("/properties/kind/oneOf/1", "no English translation of `title` (add x-i18n.en.title)"),
        ("/properties/kind/oneOf/1", "no French translation of `title` (add x-i18n.fr.title)"),
        ("/properties/name", "no English translation of `title` (add x-i18n.en.title)"),
        ("/properties/name", "no English translation of `x-help` (add x-i18n.en.x-help)"),
        ("/properties/name",
         "no English translation of `x-placeholder` (add x-i18n.en.x-placeholder)"),
        ("/properties/name",
         "no French translation of `x-placeholder` (add x-i18n.fr.x-placeholder)"),
    ])


def test_catalogue_texts_of_the_procedure() -> None:
    """Fee note, processing time and documents to provide need translations; keywords not."""
    document = definition()
    document["x-procedure"].update({
        "fee": {"amount": 0, "note": {"vi": "Miễn phí", "en": "Free"}},
        "processing_time": text("3 ngày"),
        "documents_required": ["Ảnh"],
        "keywords": ["hộ khẩu", {"vi": "khai sinh", "en": "birth"}],
    })
    assert sorted(messages(document)) == sorted([
        ("/x-procedure/fee/note", "x-procedure/fee/note has no French text"),
        ("/x-procedure/documents_required/0",
         "x-procedure/documents_required/0 has no English text"),
        ("/x-procedure/documents_required/0",
         "x-procedure/documents_required/0 has no French text"),
    ])

def test_bundle_part_titles_need_translations() -> None:
    document = definition()
    document["x-procedure"]["bundle"] = [
        {"procedure": "a", "title": {"vi": "Khai sinh", "en": "Birth", "fr": "Naissance"},
         "answers": ["/name"]},
        {"procedure": "b", "title": "Thường trú", "answers": ["/name"]}]
    assert sorted(messages(document)) == sorted([
        ("/x-procedure/bundle/1/title", "x-procedure/bundle/1/title has no English text"),
        ("/x-procedure/bundle/1/title", "x-procedure/bundle/1/title has no French text"),
    ])


def test_procedure_layout_and_error_texts() -> None:
    document = definition()
    document["x-procedure"]["title"] = "Thủ tục"
    document["x-procedure"]["documents_replaced"][0] = {"vi": "Giấy", "en": "Paper"}
    document["x-layout"]["pages"][0]["description"] = {"vi": "Mô tả", "fr": "Description"}
    document["properties"]["name"]["x-error-messages"]["format"] = "Sai định dạng"
    assert sorted(messages(document)) == sorted([
        ("/x-procedure/title", "x-procedure/title has no English text"),
        ("/x-procedure/title", "x-procedure/title has no French text"),
        ("/x-procedure/documents_replaced/0",
         "x-procedure/documents_replaced/0 has no French text"),
        ("/x-layout/pages/0/description", "x-layout/pages/0/description has no English text"),
        ("/properties/name/x-error-messages/format",
         "properties/name/x-error-messages/format has no English text"),
        ("/properties/name/x-error-messages/format",
         "properties/name/x-error-messages/format has no French text"),
    ])


def test_untranslated_component_is_reported_where_it_is_used(definitions_dir: Path) -> None:
    component = {"type": "string", "title": "Biệt danh"}
    (definitions_dir / "components" / "nickname.json").write_text(json.dumps(component))
    document = definition()
    document["properties"]["name"] = {"$ref": "components/nickname.json"}
    path = definitions_dir / "t.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert [(p.pointer, p.message) for p in load_definition(path).warnings] == [
        ("/properties/name", "no English translation of `title` (add x-i18n.en.title)"),
        ("/properties/name", "no French translation of `title` (add x-i18n.fr.title)"),
    ]


def test_a_text_overridden_beside_a_ref_needs_its_own_translation(definitions_dir: Path) -> None:
    document = definition()
    document["properties"]["name"] = {"$ref": "components/phone.json", "title": "Số máy bàn"}
    path = definitions_dir / "t.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert {p.message for p in load_definition(path).warnings} == {
        "no English translation of `title` (add x-i18n.en.title)",
        "no French translation of `title` (add x-i18n.fr.title)",
    }


def test_conditions_are_not_shown_so_need_no_translation() -> None:
    document = definition()
    document["not"] = {"title": "ẩn", "required": ["x"]}
    assert messages(document) == []


def test_check_prints_the_warning_and_exits_0(definitions_dir: Path) -> None:
    document = copy.deepcopy(definition())
    document["x-layout"]["pages"][0]["title"] = "Trang"
    path = definitions_dir / "t.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert (f"{path}: /x-layout/pages/0/title: warning: x-layout/pages/0/title has no "
            "English text") in result.output
    assert "0 error(s), 2 warning(s)" in result.output


@pytest.mark.parametrize("path", list(definition_files([BUNDLED])), ids=lambda p: p.name)
def test_bundled_definitions_are_fully_translated(path: Path) -> None:
    assert missing_translations(load_definition(path).schema, str(path)) == []


@pytest.mark.parametrize("path", sorted((BUNDLED / "components").glob("*.json")),
                         ids=lambda p: p.name)
def test_bundled_components_are_fully_translated(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert missing_translations(document, str(path)) == []
