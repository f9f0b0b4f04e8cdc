"""Engine translations: complete catalogues, an up-to-date .pot, and the language choice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from formengine import i18n
from formengine.config import LANGUAGES, PROJECT_ROOT
from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition
from formengine.rendering import pages
from formengine.validation import messages
from formengine.validation.report import validate

TRANSLATIONS = PROJECT_ROOT / "formengine" / "translations"
POT = TRANSLATIONS / "messages.pot"
EXAMPLE = PROJECT_ROOT / "form_definitions" / "example-residence-registration.json"
FIX = "run `./dev translations`, then translate the new entries of the vi and fr catalogues"
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def ids(catalog: Catalog) -> set[str]:
    """The msgids of ``catalog`` (the singular one for plural entries), header left out."""
    return {msgid(m) for m in catalog if m.id}


def msgid(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, tuple | list) else [str(value or "")]


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def pot() -> Catalog:
    assert POT.is_file(), f"{POT} is missing: {FIX}"
    return read_catalog(POT)


@pytest.fixture(scope="module")
def example() -> FormDefinition:
    return load_definition(EXAMPLE)


# --- catalogues -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(pot: Catalog, lang: str) -> None:
    path = po_path(lang)
    assert path.is_file(), f"{path} is missing: {FIX}"
    catalog = read_catalog(path)
    missing = sorted(ids(pot) - ids(catalog))
    assert not missing, f"{path} lacks {missing}: {FIX}"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        texts = strings(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy (check it, then remove the fuzzy flag): {msgid(message)!r}")
        if not all(t.strip() for t in texts):
            problems.append(f"not translated: {msgid(message)!r}")
            continue
        if message.pluralizable:  # a plural form may leave out the number
            allowed = set(placeholders("".join(strings(message.id))))
            problems += [f"unknown placeholder in {text!r}" for text in texts
                         if not set(placeholders(text)) <= allowed]
        elif placeholders(msgid(message)) != placeholders(texts[0]):
            problems.append(f"placeholders differ: {msgid(message)!r} -> {texts[0]!r}")
        if lang == "en" and texts != strings(message.id):
            problems.append(f"English text differs from its msgid: {msgid(message)!r}")
    problems += [f"{m.id!r}: {'; '.join(map(str, errors))}" for m, errors in catalog.check()]
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_pot_is_up_to_date_with_the_code(tmp_path: Path, pot: Catalog) -> None:
    """A string added to (or removed from) the code without ``./dev translations`` fails."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), "-o", str(fresh),
        "--no-location", "--sort-output", "--project", "formengine",
        "--ignore-dirs", ".* ._ node_modules instance", str(PROJECT_ROOT),
    ])
    extracted = ids(read_catalog(fresh))
    new, gone = sorted(extracted - ids(pot)), sorted(ids(pot) - extracted)
    assert not new and not gone, (
        f"formengine/translations/messages.pot is out of date: new strings {new}, "
        f"strings no longer used {gone}: {FIX}")


def test_extraction_sees_indirect_msgids(pot: Catalog) -> None:
    """Msgids passed to translate() through a variable are marked with N_ and extracted."""
    for text in (*messages._LIMIT_MESSAGES.values(), "%(label)s must include a day",
                 "%(label)s must include a month", "%(label)s must include a year",
                 "Step %(n)s of %(total)s", "There is a problem", "Page not found"):
        assert text in ids(pot)


def _validation_msgids(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    used: list[str] = []

    def recording(lang: str, msgid: str, **params: Any) -> str:
        used.append(msgid)
        return i18n.translate(lang, msgid, **params)

    monkeypatch.setattr(messages, "translate", recording)
    nodes: list[dict[str, Any]] = [
        {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
        {"type": "array"}, {"type": "boolean", "const": True}, {"x-widget": "consent"},
        {"enum": ["a", "b"]}, {"type": "string", "format": "email"},
        {"type": "string", "format": "vn-phone"}, {"type": "string", "format": "date"},
        {"type": "string", "format": "unknown"},
    ]
    keywords = ["required", "dependentRequired", "type", "format", "const", "enum", "oneOf",
                "anyOf", "pattern", "uniqueItems", "additionalProperties",
                "unevaluatedProperties", "something-else", *messages._LIMIT_MESSAGES]
    values: list[Any] = ["", "x", "1990--01", "1990-01-", "-01-01", "90-01-01", "1990-02-30", 3]
    for node in nodes:
        for keyword in keywords:
            for value in values:
                limit = {keyword: 1} if keyword in messages._LIMIT_MESSAGES else {}
                messages.engine_message("vi", keyword, {**node, **limit}, "Tên", value)
    pid = {"type": "string", "format": "vn-personal-id"}
    for value in ("123", "999099012345", "001499012345", "001199012345", 12):
        messages.engine_message("vi", "format", pid, "Số", value)
    for detail in ("unknown", "province"):
        messages.engine_message("vi", "x-commune-of", {"x-widget": "commune"}, "Xã", "1", detail)
    for detail in ("sex", "date_of_birth"):
        messages.engine_message("vi", "x-personal-id-check", pid, "Số", "x", detail)
    yield from used


def test_every_validation_message_is_catalogued(
    pot: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = set(_validation_msgids(monkeypatch))
    missing = sorted(used - ids(pot))
    assert not missing, f"msgids used by validation but not extracted: {missing}"
    source = Path(messages.__file__).read_text(encoding="utf-8")
    unreached = sorted(m for m in ids(pot) if f'"{m}"' in source and m not in used)
    assert not unreached, f"extend the matrix of this test to reach {unreached}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_loaded(lang: str) -> None:
    """formengine.i18n (and flask-babel, same folder) serve what the .po says."""
    catalog = read_catalog(po_path(lang))
    loaded = i18n.translations(lang)
    stale = [msgid(m) for m in catalog
             if m.id and isinstance(m.id, str) and loaded.gettext(m.id) != m.string]
    assert not stale, (f"the compiled {lang} catalogue (.mo) is missing or older than its .po "
                       f"(run `./dev setup`): {stale[:5]}")


# --- choosing the language ---------------------------------------------------------------


def test_pick_language_order() -> None:
    accept = {"en-GB": 1.0, "fr": 0.5}
    assert i18n.pick_language("fr", "en", accept, "vi") == "fr"
    assert i18n.pick_language(None, "fr", accept, "vi") == "fr"
    assert i18n.pick_language(None, None, accept, "vi") == "en"
    assert i18n.pick_language(None, None, {"fr-FR": 0.9, "en": 0.4}, "vi") == "fr"
    assert i18n.pick_language(None, None, None, "vi") == "vi"
    assert i18n.pick_language(None, None, {}, "en") == "en"


def test_pick_language_ignores_unknown_values() -> None:
    assert i18n.pick_language("de", "fr", None, "vi") == "fr"
    assert i18n.pick_language("de", "xx", {"en": 1.0}, "vi") == "en"
    assert i18n.pick_language("", "", {"de-DE": 1.0, "ja": 0.8}, "vi") == "vi"
    assert i18n.pick_language(None, None, {"*": 1.0}, "fr") == "fr"


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no <html lang>"
    return match.group(1)


def shows(html: str, lang: str, msgid: str) -> bool:
    text = i18n.translate(lang, msgid)
    assert lang == "en" or text != msgid, f"{msgid!r} is not translated into {lang}"
    return text in html


def test_default_language_is_vietnamese(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert html_lang(html) == "vi"
    assert shows(html, "vi", "Procedures")
    assert "Dịch vụ công trực tuyến" in html
    assert "Online public services" not in html


def test_query_parameter_switches_and_sets_a_cookie(client: FlaskClient) -> None:
    response = client.get("/?lang=fr")
    html = response.get_data(as_text=True)
    assert html_lang(html) == "fr"
    assert shows(html, "fr", "Procedures") and shows(html, "fr", "Online public services")
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "fr"
    later = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(later) == "fr"  # the cookie beats Accept-Language
    assert shows(later, "fr", "Procedures")
    form = client.get("/forms/example-residence-registration").get_data(as_text=True)
    assert html_lang(form) == "fr" and shows(form, "fr", "Continue")
    assert html_lang(client.get("/?lang=en").get_data(as_text=True)) == "en"
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


def test_unknown_query_value_is_ignored(client: FlaskClient) -> None:
    response = client.get("/?lang=de", headers={"Accept-Language": "fr"})
    assert html_lang(response.get_data(as_text=True)) == "fr"
    assert client.get_cookie("lang") is None


def test_accept_language_gives_english(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert html_lang(html) == "en"
    assert "Online public services" in html and "Procedures" in html
    assert client.get_cookie("lang") is None  # only an explicit choice is remembered


@pytest.mark.parametrize(("lang", "problem", "button", "error"), [
    ("vi", "Có lỗi xảy ra", "Tiếp tục", "Nhập họ<"),
    ("en", "There is a problem", "Continue", "Enter family name"),
    ("fr", "Il y a un problème", "Continuer", "Renseignez le champ « nom de famille »"),
])
def test_error_summary_in_each_language(
    client: FlaskClient, lang: str, problem: str, button: str, error: str
) -> None:
    page = client.get(f"/forms/example-residence-registration?lang={lang}")
    state = re.search(r'name="_state" value="([^"]*)"', page.get_data(as_text=True))
    assert state
    html = client.post("/forms/example-residence-registration", data={
        "_state": state.group(1), "_page": "applicant", "_action": "next"}).get_data(as_text=True)
    assert html_lang(html) == lang
    assert problem in html and button in html and error in html


# --- validation messages and dates -------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", {"/full_name": "Nhập họ, chữ đệm và tên", "/sex": "Chọn giới tính",
            "/rooms": "Số phòng phải lớn hơn hoặc bằng 1",
            "/date_of_birth": "Ngày, tháng, năm sinh phải có ngày"}),
    ("en", {"/full_name": "Enter full name", "/sex": "Select sex",
            "/rooms": "Number of rooms must be 1 or more",
            "/date_of_birth": "Date of birth must include a day"}),
    ("fr", {"/full_name": "Renseignez le champ « nom complet »",
            "/sex": "Sélectionnez une réponse pour « sexe »",
            "/rooms": "Nombre de pièces : indiquez une valeur supérieure ou égale à 1",
            "/date_of_birth": "Date de naissance : indiquez le jour"}),
])
def test_validation_messages_in_each_language(
    example: FormDefinition, lang: str, expected: dict[str, str]
) -> None:
    errors = validate(example, {"rooms": 0, "date_of_birth": "1990-02-"}, lang)
    found = {e.pointer: e.message for e in errors}
    assert {pointer: found.get(pointer) for pointer in expected} == expected


def test_definition_error_override_in_each_language(example: FormDefinition) -> None:
    texts = {lang: {e.pointer: e.message for e in validate(example, {}, lang)}["/confirm"]
             for lang in LANGUAGES}
    assert texts == {"vi": "Bạn phải xác nhận sự đồng ý của các thành viên",
                     "en": "You must confirm that the members agree",
                     "fr": "Vous devez confirmer l'accord des membres"}


def test_display_date() -> None:
    assert pages.display_date("2024-03-07", "vi") == "07/03/2024"
    assert pages.display_date("2024-03-07", "en") == "7 March 2024"
    assert pages.display_date("2024-03-07", "fr") == "7 mars 2024"
    assert pages.display_date("not a date", "vi") == "not a date"


def test_check_answers_dates_are_dd_mm_yyyy_in_vietnamese(example: FormDefinition) -> None:
    data = {"date_of_birth": "1990-03-27", "sex": "female",
            "members": [{"name": "Lê Văn B", "date_of_birth": "2015-11-02",
                         "relationship": "child"}]}
    lines = {row.pointer: row.lines for section in pages.summary(example, data, "vi")
             for row in section.rows}
    assert lines["/date_of_birth"] == ["27/03/1990"]
    assert lines["/sex"] == ["Nữ"]
    assert any("02/11/2015" in line for line in lines["/members"])
    english = {row.pointer: row.lines for section in pages.summary(example, data, "en")
               for row in section.rows}
    assert english["/date_of_birth"] == ["27 March 1990"] and english["/sex"] == ["Female"]


def test_numbers_follow_the_citizen_language() -> None:
    from formengine.i18n import format_number

    assert format_number(12.5, "vi") == "12,5"
    assert format_number(12.5, "fr") == "12,5"
    assert format_number(12.5, "en") == "12.5"
    assert format_number(2024, "vi") == "2024"
