"""The designer preview in a real browser: the form in its frame for a chosen persona, and
the page reloading itself when the definition file is saved."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from formengine.app import create_app
from formengine.scaffold import write_starter
from formengine.web.designer import UNKNOWN_PERSON

from .conftest import LiveServerFactory
from .test_forms import assert_accessible

pytestmark = pytest.mark.browser


def test_preview_switches_persona_and_reloads_on_save(
        page: Any, tmp_path: Path, population_file: Path,
        live_server_factory: LiveServerFactory) -> None:
    folder = tmp_path / "defs"
    path = write_starter("xem-truoc", folder)
    app = create_app({"definitions": [folder], "demo": True, "designer": True,
                      "secret_key": "x", "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    base = live_server_factory(app)
    page.context.add_cookies([{"name": "lang", "value": "en", "url": base}])
    page.goto(f"{base}/designer/xem-truoc")
    assert_accessible(page, "the designer preview")
    with page.expect_navigation():
        page.click(f"#designer-personas button:has-text('{UNKNOWN_PERSON}')")
    frame = page.frame_locator("#designer-form")
    assert frame.locator("#prefill-status").get_attribute("data-prefill-status") == "not_found"

    document = json.loads(path.read_text(encoding="utf-8"))
    document["x-procedure"]["title"]["en"] = "Saved while previewing"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))
    # htmx asks every second; the changed file makes it reload the page.
    page.wait_for_selector("h1:has-text('Saved while previewing')", timeout=10_000)
