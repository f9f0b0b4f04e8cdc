"""Embedding a form in a tenant's portal (formengine/web/embed.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from formengine.storage.tables import submissions
from formengine.validation.coerce import encode
from formengine.web import embed
from tests.conftest import BUNDLED, EXAMPLE
from tests.test_examples import INSTANCES
from tests.test_headers import directives

HANOI = """
name = { vi = "Cổng Hà Nội", en = "Hà Nội portal" }
origins = ["https://dichvucong.hanoi.gov.vn", "http://localhost:5001"]
procedures = ["%s"]
default_language = "en"

[branding]
logo = "https://dichvucong.hanoi.gov.vn/logo.svg"
colors = { primary = "#A50E0E", primary_text = "#fff", focus = "#ffbf47" }
"""
HUE = """
name = "Cổng Huế"
origins = ["https://dichvucong.hue.gov.vn"]
procedures = ["*"]
"""
EMBED = f"/embed/hanoi/{EXAMPLE}"
#: Answers that complete the example form.
ANSWERS = INSTANCES[EXAMPLE][0]


def make_app(tmp_path: Path, procedures: str = EXAMPLE, **overrides: Any) -> Flask:
    folder = tmp_path / "tenants"
    folder.mkdir(exist_ok=True)
    (folder / "hanoi.toml").write_text(HANOI % procedures, encoding="utf-8")
    (folder / "hue.toml").write_text(HUE, encoding="utf-8")
    return create_app({"definitions": [BUNDLED], "secret_key": "test-secret",
                       "tenants": folder, "csrf_enabled": False,
                       "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}",
                       **overrides})


@pytest.fixture
def embed_app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


@pytest.fixture
def embed_client(embed_app: Flask) -> FlaskClient:
    return embed_app.test_client()


def signed(app: Flask, procedure_id: str, tenant_id: str) -> str:
    with app.app_context():
        return embed.dump_tenant(procedure_id, tenant_id)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


def test_the_embedded_form_has_the_tenant_layout_framing_and_language(
        embed_app: Flask, embed_client: FlaskClient) -> None:
    response = embed_client.get(EMBED, headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en" class="fe-embedded">' in html  # the tenant's language, not fr
    assert 'href="/embed/hanoi/brand.css"' in html
    assert 'class="fe-footer"' not in html and 'class="fe-service"' not in html
    assert '<meta name="fe-embed-origins" content="https://dichvucong.hanoi.gov.vn ' \
           'http://localhost:5001">' in html
    assert 'src="https://dichvucong.hanoi.gov.vn/logo.svg"' in html
    assert "style=" not in html and "<style" not in html
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'", "https://dichvucong.hanoi.gov.vn",
                                         "http://localhost:5001"]
    assert policy["img-src"] == ["'self'", "data:", "https://dichvucong.hanoi.gov.vn"]
    assert policy["style-src"] == ["'self'"]
    assert "X-Frame-Options" not in response.headers
    assert signed(embed_app, EXAMPLE, "hanoi") == hidden(html, "_tenant")
    chosen = embed_client.get(EMBED + "?lang=vi").get_data(as_text=True)
    assert '<html lang="vi" class="fe-embedded">' in chosen  # the citizen's choice wins


def test_our_own_pages_may_be_framed_by_us_only(embed_client: FlaskClient) -> None:
    for url in ["/", f"/forms/{EXAMPLE}", "/embed/nobody/x"]:
        response = embed_client.get(url)
        assert directives(response.headers["Content-Security-Policy"])[
            "frame-ancestors"] == ["'self'"], url
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN", url
    html = embed_client.get(f"/forms/{EXAMPLE}").get_data(as_text=True)
    assert "_tenant" not in html and "fe-embedded" not in html


def test_each_tenant_gets_its_own_origins(embed_app: Flask,
                                          embed_client: FlaskClient) -> None:
    response = embed_client.get(f"/embed/hue/{EXAMPLE}")
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "'self'", "https://dichvucong.hue.gov.vn"]
    # Both pages were rendered from the page cache: each keeps its own tenant.
    again = embed_client.get(EMBED).get_data(as_text=True)
    assert signed(embed_app, EXAMPLE, "hanoi") == hidden(again, "_tenant")


@pytest.mark.parametrize("url", ["/embed/nobody/" + EXAMPLE, "/embed/hanoi/birth-registration",
                                 "/embed/hue/no-such-procedure", "/embed/Bad_Id/" + EXAMPLE,
                                 "/embed/nobody/brand.css"])
def test_unknown_tenants_and_procedures_not_enabled_are_404(embed_client: FlaskClient,
                                                            url: str) -> None:
    assert embed_client.get(url).status_code == 404


def test_brand_css_holds_validated_colours_only(embed_client: FlaskClient) -> None:
    response = embed_client.get("/embed/hanoi/brand.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert css == (":root {\n  --fe-primary: #a50e0e;\n  --fe-brand: #a50e0e;\n"
                   "  --fe-button: #a50e0e;\n  --fe-primary-text: #fff;\n"
                   "  --fe-brand-text: #fff;\n  --fe-button-text: #fff;\n"
                   "  --fe-focus: #ffbf47;\n}\n")
    assert embed_client.get("/embed/hue/brand.css").get_data(as_text=True) == ":root {\n\n}\n"


def test_a_colour_that_is_not_one_never_reaches_the_stylesheet(tmp_path: Path) -> None:
    from formengine.tenants import TenantError

    folder = tmp_path / "tenants"
    folder.mkdir()
    (folder / "evil.toml").write_text(
        'name = "x"\n[branding]\ncolors = { primary = "red; } body { display: none" }\n',
        encoding="utf-8")
    with pytest.raises(TenantError, match=r"branding\.colors\.primary"):
        create_app({"definitions": [BUNDLED], "secret_key": "x", "tenants": folder})


def test_embed_js_is_served(embed_client: FlaskClient) -> None:
    response = embed_client.get("/embed.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "formengine:submitted" in response.get_data(as_text=True)


def post(client: FlaskClient, tenant_field: str | None, **fields: str) -> Any:
    app: Flask = client.application
    definition = app.extensions["formengine.catalog"].get(EXAMPLE)
    data = encode(definition.schema, ANSWERS)
    data.update({"_page": "*", "_action": "next", **fields})
    if tenant_field is not None:
        data["_tenant"] = tenant_field
    return client.post(f"/forms/{EXAMPLE}", data=data)


def test_the_tenant_stays_attached_through_the_journey_and_is_stored(
        embed_app: Flask, embed_client: FlaskClient) -> None:
    html = embed_client.get(EMBED).get_data(as_text=True)
    field = hidden(html, "_tenant")
    check = post(embed_client, field)
    assert check.status_code == 200
    page = check.get_data(as_text=True)
    assert "fe-embedded" in page and hidden(page, "_tenant") == field
    assert directives(check.headers["Content-Security-Policy"])["frame-ancestors"][1:] == [
        "https://dichvucong.hanoi.gov.vn", "http://localhost:5001"]
    done = embed_client.post(f"/forms/{EXAMPLE}", data={
        "_action": "submit", "_state": hidden(page, "_state"), "_key": hidden(page, "_key"),
        "_tenant": field})
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    receipt = re.search(r'id="receipt-number">([^<]+)<', body)
    assert receipt is not None
    assert (f'id="fe-embed-submitted" hidden data-procedure="{EXAMPLE}" '
            f'data-receipt="{receipt.group(1)}"') in body
    assert 'href="/"' not in body  # no link out of the frame
    with embed_app.extensions["formengine.db"].connect() as connection:
        rows = connection.execute(sa.select(submissions.c.receipt,
                                            submissions.c.tenant)).all()
    assert [tuple(r) for r in rows] == [(receipt.group(1), "hanoi")]


def test_without_the_field_the_journey_is_our_own(embed_app: Flask,
                                                  embed_client: FlaskClient) -> None:
    response = post(embed_client, None)
    assert response.status_code == 200
    assert "fe-embedded" not in response.get_data(as_text=True)
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "'self'"]


@pytest.mark.parametrize("forged", ["tampered", "eyJ0IjoiaGFub2kifQ.forged"])
def test_an_altered_tenant_field_is_refused(embed_app: Flask, embed_client: FlaskClient,
                                            forged: str) -> None:
    response = post(embed_client, forged)
    assert response.status_code == 400
    assert "fe-embedded" not in response.get_data(as_text=True)


def test_a_tenant_field_of_another_form_or_resigned_is_refused(
        embed_app: Flask, embed_client: FlaskClient) -> None:
    other_form = signed(embed_app, "birth-registration", "hanoi")
    assert post(embed_client, other_form).status_code == 400
    payload, _, signature = signed(embed_app, EXAMPLE, "hanoi").rpartition(".")
    hue = signed(embed_app, EXAMPLE, "hue")
    assert post(embed_client, hue.rpartition(".")[0] + "." + signature).status_code == 400
    assert post(embed_client, payload + "." + signature).status_code == 200


def test_a_procedure_disabled_since_gets_a_clear_page(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    field, gone = signed(app, EXAMPLE, "hanoi"), signed(app, EXAMPLE, "atlantis")
    later = make_app(tmp_path, procedures="birth-registration").test_client()
    response = post(later, field)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Hà Nội portal no longer offers this form." in html and "fe-embedded" in html
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"][1] == (
        "https://dichvucong.hanoi.gov.vn")
    later.set_cookie("lang", "en")
    removed = post(later, gone)
    assert removed.status_code == 404
    assert "no longer offers it" in removed.get_data(as_text=True)


def test_the_demo_sign_in_keeps_the_embedding(tmp_path: Path,
                                              population_file: Path) -> None:
    client = make_app(tmp_path, demo=True, population_db=population_file).test_client()
    page = client.get(EMBED).get_data(as_text=True)
    assert f'href="/auth/demo?next=/embed/hanoi/{EXAMPLE}"' in page
    response = client.get(f"/auth/demo?next={EMBED}")
    assert "fe-embedded" in response.get_data(as_text=True)
    assert "http://localhost:5001" in response.headers["Content-Security-Policy"]
    assert "fe-embedded" not in client.get("/auth/demo?next=/").get_data(as_text=True)


def test_cookies_are_samesite_none_and_secure_under_https(tmp_path: Path) -> None:
    client = make_app(tmp_path, csrf_enabled=True).test_client()
    secure = client.get(EMBED + "?lang=en", base_url="https://forms.example")
    cookies = secure.headers.getlist("Set-Cookie")
    assert cookies and all("SameSite=None" in c and "Secure" in c for c in cookies), cookies
    plain = client.get(EMBED + "?lang=vi").headers.getlist("Set-Cookie")
    assert plain and all("SameSite=Lax" in c and "Secure" not in c for c in plain), plain


def test_the_sample_portal_embeds_from_its_own_host() -> None:
    from formengine.portal import create_portal

    client = create_portal("http://localhost:5000", forms_port=5000).test_client()
    for host in ("localhost", "127.0.0.1"):
        response = client.get("/", base_url=f"http://{host}:5001")
        html = response.get_data(as_text=True)
        assert (f'<script src="http://{host}:5000/embed.js" data-tenant="demo-portal" '
                f'data-procedure="{EXAMPLE}" data-lang="vi"></script>') in html
        assert f"frame-src http://{host}:5000" in response.headers["Content-Security-Policy"]
        assert "<script>" not in html and "style=" not in html
    assert client.get("/static/portal.js").status_code == 200
