"""The catalogue page: life events, fees, documents, and search (with and without htmx)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine import catalogue
from formengine.catalogue import CatalogueIndex, documents_to_provide, fee_text, format_fee
from formengine.definitions import Catalog, DefinitionError, FormDefinition, load_definition

HTMX = {"HX-Request": "true", "HX-Target": "fe-results"}


def procedure(procedure_id: str, title: Any, **meta: Any) -> dict[str, Any]:
    """A one-question definition with the given ``x-procedure`` metadata."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-procedure": {"id": procedure_id, "version": "1", "title": title, **meta},
        "type": "object",
        "properties": {"name": {"type": "string", "title": "Tên"}},
    }


BIRTH = procedure(
    "birth-registration",
    {"vi": "Đăng ký khai sinh", "en": "Birth registration", "fr": "Déclaration de naissance"},
    code="1.001193", life_event="birth", agency_level="commune",
    agency={"vi": "UBND cấp xã", "en": "Commune People's Committee", "fr": "Comité populaire"},
    fee={"amount": 0, "note": {"vi": "Miễn lệ phí", "en": "No fee", "fr": "Sans frais"}},
    processing_time={"vi": "Ngay trong ngày", "en": "The same day", "fr": "Le jour même"},
    documents_replaced=[{"vi": "Giấy chứng sinh", "en": "Birth notice", "fr": "Certificat"}],
    keywords=["giấy khai sinh", {"vi": "làm khai sinh", "en": "newborn"}],
)
RESIDENCE = procedure(
    "permanent-residence",
    {"vi": "Đăng ký thường trú", "en": "Permanent residence registration",
     "fr": "Enregistrement de la résidence permanente"},
    life_event="residence", fee={"amount": 20000}, keywords=["hộ khẩu", "nhập khẩu"],
    description={"vi": "Đăng ký nơi ở lâu dài, kể cả cho con mới khai sinh.",
                 "en": "Register where you live for good, newborns included."},
    documents_required=[{"vi": "Hợp đồng thuê nhà", "en": "Lease", "fr": "Bail"}],
)
ABSENCE = procedure(
    "temporary-absence", {"vi": "Khai báo tạm vắng", "en": "Temporary absence"},
    life_event="residence", agency="Công an tỉnh", agency_level="province",
    fee={"amount": 1500000},
    documents_required=[],
)
MARRIAGE = procedure("marriage", {"vi": "Đăng ký kết hôn", "en": "Marriage registration"},
                     life_event="marriage")
DEATH = procedure("death", {"vi": "Đăng ký khai tử", "en": "Death registration"},
                  life_event="death")
RECORD = procedure("judicial-record", {"vi": "Cấp phiếu lý lịch tư pháp",
                                       "en": "Judicial record certificate"},
                   life_event="justice", keywords=["lý lịch tư pháp"])
UNGROUPED = procedure("seal", {"vi": "Cấp giấy chứng nhận mẫu dấu", "en": "Seal certificate"})
ALL = (BIRTH, RESIDENCE, ABSENCE, MARRIAGE, DEATH, RECORD, UNGROUPED)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """An app over the seven procedures above (shadows the bundled one)."""
    return make_app(*ALL)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, query: str = "", lang: str = "en", **headers: str) -> str:
    url = f"/?lang={lang}" + (f"&q={query}" if query else "")
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def links(html: str) -> list[str]:
    """The procedure ids the page links to, in page order."""
    return re.findall(r'href="/forms/([a-z0-9-]+)"', html)


def status(html: str) -> str:
    match = re.search(r'<p id="fe-search-status"[^>]*role="status"[^>]*>(.*?)</p>', html, re.S)
    assert match, "no live region"
    return match.group(1).strip()


def load(document: dict[str, Any], folder: Path) -> FormDefinition:
    path = folder / f"{document['x-procedure']['id']}.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    return load_definition(path)


@pytest.fixture
def index(tmp_path: Path) -> Callable[[str], CatalogueIndex]:
    """``index(lang)``: the catalogue index of the seven procedures above."""
    definitions = [load(document, tmp_path) for document in ALL]
    return lambda lang="en": CatalogueIndex(definitions, lang)


Index = Callable[..., CatalogueIndex]


def ids(found: list[catalogue.Entry]) -> list[str]:
    return [e.definition.id for e in found]


# -- grouping -------------------------------------------------------------------------------

def test_procedures_are_grouped_by_life_event_in_a_fixed_order(client: FlaskClient) -> None:
    html = page(client)
    headings = re.findall(r'<h2 id="fe-event-[a-z]+">(.*?)</h2>', html)
    assert headings == ["Birth", "Residence", "Marriage", "Death of a relative",
                        "Judicial records", "Other procedures"]
    # Within a group: by title in the page's language.
    assert links(html) == ["birth-registration", "permanent-residence", "temporary-absence",
                           "marriage", "death", "judicial-record", "seal"]
    assert status(html) == "7 procedures"


def test_life_event_headings_are_translated_and_empty_groups_hidden(
        make_app: Callable[..., Flask]) -> None:
    client = make_app(BIRTH, UNGROUPED).test_client()
    html = page(client, lang="vi")
    assert re.findall(r'<h2 id="fe-event-[a-z]+">(.*?)</h2>', html) == ["Sinh con",
                                                                         "Thủ tục khác"]
    assert "Gratuit" in page(client, lang="fr") and "Naissance" in page(client, lang="fr")


# -- facts: agency, fee, processing time, documents -----------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", "50.000\xa0₫"), ("en", "50,000 VND"), ("fr", "50\u202f000\xa0₫"),
])
def test_fee_is_written_as_in_the_language(lang: str, expected: str) -> None:
    assert format_fee(50000, lang) == expected
    assert fee_text({"fee": {"amount": 50000}}, lang) == expected


@pytest.mark.parametrize(("lang", "free"), [("vi", "Miễn phí"), ("en", "Free"),
                                            ("fr", "Gratuit")])
def test_a_zero_fee_is_free(lang: str, free: str) -> None:
    assert fee_text({"fee": {"amount": 0}}, lang) == free
    assert fee_text({"fee": {"amount": 0, "note": {"vi": "Trẻ em", "en": "Children"}}},
                    lang) == f"{free} ({'Children' if lang == 'en' else 'Trẻ em'})"
    assert fee_text({}, lang) is None


def test_entry_shows_agency_fee_time_and_documents(client: FlaskClient) -> None:
    html = page(client)
    birth = html[html.index("/forms/birth-registration"):html.index("/forms/permanent")]
    assert "Commune People&#39;s Committee (commune level)" in birth
    assert "<dt>Fee:</dt> <dd>Free (No fee)</dd>" in birth
    assert "<dt>Processing time:</dt> <dd>The same day</dd>" in birth
    assert "No documents needed" in birth
    residence = html[html.index("/forms/permanent"):html.index("/forms/temporary")]
    assert "20,000 VND" in residence
    assert "<dt>Documents to provide:</dt> <dd>Lease</dd>" in residence
    assert "No documents needed" not in residence
    absence = html[html.index("/forms/temporary"):html.index("/forms/marriage")]
    assert "1,500,000 VND" in absence and "(province level)" in absence
    assert "No documents needed" in absence
    marriage = html[html.index("/forms/marriage"):html.index("/forms/death")]
    assert "Fee" not in marriage and "Documents" not in marriage
    vi = page(client, lang="vi")
    assert "1.500.000\xa0₫" in vi and "Không cần nộp giấy tờ" in vi and "cấp xã" in vi


def test_no_documents_rule() -> None:
    replaced = [{"vi": "Giấy"}]
    assert documents_to_provide({}) is None  # says nothing
    assert documents_to_provide({"documents_replaced": replaced}) == []
    assert documents_to_provide({"documents_required": []}) == []
    assert documents_to_provide({"documents_replaced": replaced,
                                 "documents_required": ["Ảnh"]}) == ["Ảnh"]


# -- search ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "đang ky khai sinh",
    "  dang   ky  khai  sinh ", "khai si", "birth regis", "déclaration naissance",
    "declaration de naissance", "1.001193", "newborn", "giay khai sinh",
])
def test_search_ignores_case_and_diacritics(index: Index, query: str) -> None:
    assert ids(index().search(query))[0] == "birth-registration"


def test_search_reads_description_keywords_and_code(index: Index) -> None:
    assert ids(index().search("ho khau")) == ["permanent-residence"]
    assert ids(index().search("ly lich tu phap")) == ["judicial-record"]
    assert ids(index("en").search("good")) == ["permanent-residence"]  # English description
    assert ids(index("fr").search("good")) == []  # no French description: Vietnamese read
    assert ids(index("fr").search("lau dai")) == ["permanent-residence"]
    assert ids(index().search("1.001")) == ["birth-registration"]


def test_every_word_must_begin_a_word(index: Index) -> None:
    assert ids(index().search("khai sinh xyz")) == []
    assert ids(index().search("hai sinh")) == []  # inside a word: no
    assert ids(index().search("!!!")) == []


def test_ranking_title_matches_first(index: Index) -> None:
    # Phrase in a title, then all words in a title, then a keyword, then the description.
    assert ids(index().search("khai sinh")) == ["birth-registration", "permanent-residence"]
    assert ids(index().search("dang ky")) == ["birth-registration", "permanent-residence",
                                             "marriage", "death"]
    assert ids(index().search("ky dang"))[:2] == ["birth-registration", "permanent-residence"]
    assert ids(index().search("ly lich")) == ["judicial-record"]
    assert ids(index().search("khau")) == ["permanent-residence"]


def test_search_page_without_javascript(client: FlaskClient) -> None:
    html = page(client, "dang+ky+khai+sinh")
    assert "<html" in html and 'role="search"' in html
    assert 'name="q" value="dang ky khai sinh"' in html
    assert links(html) == ["birth-registration", "permanent-residence"]
    assert status(html) == "2 procedures match “dang ky khai sinh”"
    assert "<title>Search: dang ky khai sinh – Procedures" in html
    assert "Life event:</dt> <dd>Birth</dd>" in html
    assert "fe-event-" not in html  # a flat, ranked list
    assert 'href="/"' in html  # back to every procedure


def test_language_links_keep_the_query(client: FlaskClient) -> None:
    html = page(client, "tam+vang")
    assert 'href="?lang=fr&amp;q=tam%20vang"' in html
    assert 'hx-swap-oob' not in html.split("</header>")[0]
    assert 'href="?lang=fr"' in page(client)


def test_search_status_is_translated(client: FlaskClient) -> None:
    assert status(page(client, "tam+vang", lang="vi")) == "1 thủ tục phù hợp với “tam vang”"
    assert status(page(client, "dang+ky", lang="fr")) == (
        "4 démarches correspondent à « dang ky »")


def test_no_result_is_helpful(client: FlaskClient) -> None:
    html = page(client, "passport")
    assert links(html) == []
    assert status(html) == "No procedure matches “passport”"
    assert "No procedure found" in html and "checking the spelling" in html
    assert 'href="/"' in html


def test_query_is_escaped_and_cut(client: FlaskClient) -> None:
    html = page(client, "<script>")
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "&lt;script&gt;" in html
    long = "khai " * 100
    assert 'value="' + ("khai " * 20).strip() + '"' in page(client, long.replace(" ", "+"))


def test_blank_query_shows_the_whole_catalogue(client: FlaskClient) -> None:
    html = page(client, "+++")
    assert status(html) == "7 procedures" and "fe-event-birth" in html


def test_htmx_gets_only_the_results_and_the_count(client: FlaskClient) -> None:
    response = client.get("/?lang=en&q=khai+tu", headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    assert '<nav class="fe-languages" id="fe-languages"' in html  # out of band, with q
    assert 'href="?lang=vi&amp;q=khai%20tu"' in html
    assert 'hx-swap-oob="innerHTML"' in html and 'role="status"' in html
    assert status(html) == "1 procedure matches “khai tu”"
    assert '<div id="fe-results"' in html and links(html) == ["death"]
    assert {"HX-Request", "HX-Target"} <= set(response.vary)


def test_htmx_history_restore_and_other_targets_get_the_whole_page(client: FlaskClient) -> None:
    restore = page(client, "khai", **HTMX, **{"HX-History-Restore-Request": "true"})
    assert "<html" in restore
    assert "<html" in page(client, "khai", **{"HX-Request": "true", "HX-Target": "main"})


def test_the_search_form_works_with_and_without_htmx(client: FlaskClient) -> None:
    html = page(client)
    form = html[html.index('<form class="fe-search"'):html.index("</form>")]
    assert 'method="get" action="/"' in form and 'hx-get="/"' in form
    assert 'hx-trigger="submit, input changed delay:300ms from:#fe-q"' in form
    assert 'hx-target="#fe-results"' in form and 'hx-replace-url="true"' in form
    assert '<label class="fe-label" for="fe-q">Search for a procedure</label>' in form
    assert 'aria-describedby="fe-q-hint"' in form and 'type="search"' in form
    assert '<button type="submit"' in form


def test_the_index_is_built_once_per_catalogue_and_language(
        app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    original = catalogue.Entry.of

    def counting(definition: Any, lang: str) -> catalogue.Entry:
        built.append(lang)
        return original(definition, lang)

    monkeypatch.setattr(catalogue.Entry, "of", counting)
    for query in ("", "khai", "dang ky", "khai", ""):
        page(client, query.replace(" ", "+"))
    page(client, "khai", lang="vi")
    assert built == ["en"] * len(ALL) + ["vi"] * len(ALL)
    catalog: Catalog = app.extensions["formengine.catalog"]
    assert catalogue.index_for(catalog, "en") is catalogue.index_for(catalog, "en")


# -- meta-schema ----------------------------------------------------------------------------

def test_the_bundled_examples_use_the_catalogue_keys() -> None:
    bundled = Catalog.load([Path(__file__).resolve().parents[1] / "form_definitions"])
    assert not bundled.problems
    events = {d.id: catalogue.life_event(d) for d in bundled}
    assert events["example-residence-registration"] == "residence"


@pytest.mark.parametrize(("meta", "pointer"), [
    ({"fee": {"amount": -1}}, "/x-procedure/fee/amount"),
    ({"fee": {"amount": 1.5}}, "/x-procedure/fee/amount"),
    ({"fee": {"note": "x"}}, "/x-procedure/fee"),
    ({"fee": {"amount": 0, "currency": "USD"}}, "/x-procedure/fee"),
    ({"life_event": "holiday"}, "/x-procedure/life_event"),
    ({"agency_level": "district"}, "/x-procedure/agency_level"),
    ({"keywords": "khai sinh"}, "/x-procedure/keywords"),
    ({"documents_required": [""]}, "/x-procedure/documents_required/0"),
])
def test_wrong_catalogue_keys_are_refused(meta: dict[str, Any], pointer: str,
                                         tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as refused:
        load(procedure("bad", "Sai", **meta), tmp_path)
    assert pointer in {p.pointer for p in refused.value.problems}, refused.value.problems

