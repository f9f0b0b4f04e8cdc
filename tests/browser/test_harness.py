"""Proves the browser-test harness works: live server, Chromium, JS on/off, axe-core.

Uses a tiny Flask app made here, not the product.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, Response

from .axe import format_violations, run_axe
from .conftest import LiveServerFactory

pytestmark = pytest.mark.browser

STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def _page(body: str, *, inline_script: bool = True) -> str:
    script = (
        "<script>document.getElementById('js-status').textContent = 'js ran';</script>"
        if inline_script
        else '<script src="/app.js"></script>'
    )
    return f"""<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Harness</title></head>
<body>
<main>
<h1>Đăng ký</h1>
<p id="js-status">js did not run</p>
<noscript><p id="nojs">JavaScript is off</p></noscript>
{body}
</main>
{script}
</body>
</html>"""


GOOD_FORM = """<form method="post" action="/submit">
<label for="full-name">Họ và tên</label>
<input id="full-name" name="full_name" type="text" autocomplete="name" required>
<button type="submit">Gửi</button>
</form>"""

BROKEN_FORM = """<form method="post" action="/submit">
<input id="full-name" name="full_name" type="text">
<button type="submit">Gửi</button>
</form>"""


def make_app() -> Flask:
    app = Flask(__name__)

    @app.get("/good")
    def good() -> str:
        return _page(GOOD_FORM)

    @app.get("/broken")
    def broken() -> str:
        return _page(BROKEN_FORM)

    def strict(body: str) -> Response:
        # The external script sets the status text; the inline one must be blocked by CSP.
        html = _page(body, inline_script=False).replace(
            "</main>",
            "</main><script>document.body.dataset.inline = 'ran';</script>",
        )
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = STRICT_CSP
        return response

    @app.get("/csp/good")
    def csp_good() -> Response:
        return strict(GOOD_FORM)

    @app.get("/csp/broken")
    def csp_broken() -> Response:
        return strict(BROKEN_FORM)

    @app.get("/app.js")
    def app_js() -> Response:
        return Response(
            "document.getElementById('js-status').textContent = 'js ran';",
            mimetype="text/javascript",
        )

    return app


@pytest.fixture
def base_url(live_server_factory: LiveServerFactory) -> str:
    return live_server_factory(make_app())


def test_page_loads_with_javascript(page: Any, base_url: str) -> None:
    response = page.goto(f"{base_url}/good")
    assert response is not None and response.status == 200
    assert page.title() == "Harness"
    assert page.get_by_label("Họ và tên").is_visible()
    assert page.text_content("#js-status") == "js ran"
    assert not page.locator("#nojs").is_visible()


def test_nojs_page_really_has_javascript_off(nojs_page: Any, base_url: str) -> None:
    nojs_page.goto(f"{base_url}/good")
    assert nojs_page.text_content("#js-status") == "js did not run"
    assert nojs_page.locator("#nojs").is_visible()
    assert nojs_page.get_by_label("Họ và tên").is_visible()


def test_live_servers_are_independent(live_server_factory: LiveServerFactory, page: Any) -> None:
    first = live_server_factory(make_app())
    second = live_server_factory(make_app())
    assert first != second
    for url in (first, second):
        assert page.goto(f"{url}/good").status == 200


def test_axe_passes_accessible_page(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/good")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_axe_reports_input_without_label(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/broken")
    violations = run_axe(page)
    by_id = {v["id"]: v for v in violations}
    assert "label" in by_id, format_violations(violations)
    assert by_id["label"]["impact"] == "critical"
    assert by_id["label"]["targets"] == ["#full-name"]


def test_axe_runs_under_strict_csp(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/csp/good")
    # The CSP is really enforced: the external script ran, the inline one did not.
    assert page.text_content("#js-status") == "js ran"
    assert page.evaluate("() => document.body.dataset.inline") is None
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    page.goto(f"{base_url}/csp/broken")
    assert "label" in {v["id"] for v in run_axe(page)}
