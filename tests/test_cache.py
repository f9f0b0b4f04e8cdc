"""The cache of empty form pages."""

from __future__ import annotations

from flask import Flask

from formengine.app import create_app
from formengine.web.cache import RenderCache
from tests.conftest import BUNDLED, EXAMPLE


def test_lru_keeps_the_most_recent_and_renders_once() -> None:
    cache = RenderCache(2)
    calls: list[str] = []

    def render(name: str) -> str:
        calls.append(name)
        return f"<p>{name}</p>"

    assert cache.get("a", lambda: render("a")) == "<p>a</p>"
    assert cache.get("a", lambda: render("a")) == "<p>a</p>"
    cache.get("b", lambda: render("b"))
    cache.get("a", lambda: render("a"))
    cache.get("c", lambda: render("c"))  # evicts b, the least recently used
    cache.get("b", lambda: render("b"))
    assert calls == ["a", "b", "c", "b"] and len(cache) == 2


def test_size_zero_turns_it_off() -> None:
    cache = RenderCache(0)
    calls: list[int] = []
    cache.get("a", lambda: str(calls.append(1)))
    cache.get("a", lambda: str(calls.append(1)))
    assert len(calls) == 2 and len(cache) == 0


def test_empty_pages_are_cached_per_page_and_language(app: Flask) -> None:
    client = app.test_client()
    cache = app.extensions["formengine.page_cache"]
    first = client.get(f"/forms/{EXAMPLE}?lang=en").get_data(as_text=True)
    assert client.get(f"/forms/{EXAMPLE}?lang=en").get_data(as_text=True) == first
    french = client.get(f"/forms/{EXAMPLE}?lang=fr").get_data(as_text=True)
    second = client.get(f"/forms/{EXAMPLE}?page=residence&lang=en").get_data(as_text=True)
    assert len(cache) == 3 and french != first and second != first
    assert 'lang="fr"' in french and 'name="_page" value="residence"' in second


def test_cached_page_equals_a_fresh_render() -> None:
    cached = create_app({"definitions": [BUNDLED], "secret_key": "s"}).test_client()
    fresh = create_app({"definitions": [BUNDLED], "secret_key": "s",
                        "page_cache_size": 0}).test_client()
    for client in (cached, fresh):  # one browser: the same CSRF token in both pages
        client.set_cookie("fe_csrf", "one-browser")
    for _ in range(2):
        assert (cached.get(f"/forms/{EXAMPLE}").data == fresh.get(f"/forms/{EXAMPLE}").data)
