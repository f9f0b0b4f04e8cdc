"""The demo sign-in page in a real browser: accessible, and it signs in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from prefill.synthetic import generate

from .axe import format_violations, run_axe
from .conftest import LiveServerFactory


@pytest.mark.browser
def test_demo_sign_in_page(page: Any, live_server_factory: LiveServerFactory,
                           tmp_path: Path) -> None:
    population = tmp_path / "population.sqlite3"
    generate(population, 150, 3)
    app = create_app({"definitions": [PROJECT_ROOT / "form_definitions"], "demo": True,
                      "population_db": population, "secret_key": "x"})
    base = live_server_factory(app)
    page.goto(base + "/auth/demo")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    page.fill("#personal_id", "001099000000")  # nobody has this one
    page.click("form button.fe-button")
    assert page.locator(".fe-error-summary").is_visible()
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    page.locator("table button").first.click()
    page.wait_for_url(base + "/")
    assert page.locator("form[action='/auth/logout'] button").is_visible()
