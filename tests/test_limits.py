"""Tests for formengine.web.limits: rate limits on sign-in, register lookups and submits."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from pydantic import ValidationError

from formengine.config import Settings
from formengine.web import limits
from prefill.sqlite import read_documents
from tests.conftest import EXAMPLE
from tests.demo import demo_app, sign_in

REDIS_URL = "redis://127.0.0.1:6379/0"


def small(procedure_id: str = "tiny") -> dict[str, Any]:
    """A one-question form."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-procedure": {"id": procedure_id, "version": "1", "title": "Thủ tục nhỏ"},
        "x-layout": {"pages": [{"id": "p", "title": "Trang", "fields": ["/name"]}]},
        "type": "object",
        "properties": {"name": {"type": "string", "title": "Tên", "maxLength": 50}},
        "required": ["name"],
    }


def submit(client: Any, name: str, lang: str = "en") -> Any:
    """Send the tiny form in one post."""
    return client.post(f"/forms/tiny?lang={lang}",
                       data={"_page": "*", "name": name, "_action": "submit"})


def test_submissions_are_limited_and_the_answers_kept(make_app: Callable[..., Flask]) -> None:
    app = make_app(small(), rate_limit_submit="2/minute")
    client = app.test_client()
    assert [submit(client, f"Lan {i}").status_code for i in range(2)] == [200, 200]
    refused = submit(client, "Lan <3>")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    html = refused.get_data(as_text=True)
    assert "Too many attempts" in html and "nothing you typed is lost" in html
    assert '<input type="hidden" name="name" value="Lan &lt;3&gt;">' in html
    assert '<input type="hidden" name="_action" value="submit">' in html  # the citizen's own
    # Other steps of the form are not counted.
    assert client.post("/forms/tiny", data={"_page": "*", "name": "x"}).status_code == 200


def test_the_limited_page_is_translated(make_app: Callable[..., Flask]) -> None:
    app = make_app(small(), rate_limit_submit="1/minute")
    client = app.test_client()
    submit(client, "Lan")
    html = submit(client, "Lan", lang="vi").get_data(as_text=True)
    assert "Quá nhiều lần thử" in html


def test_each_app_counts_on_its_own(make_app: Callable[..., Flask]) -> None:
    one = make_app(small(), rate_limit_submit="1/minute")
    two = make_app(small(), rate_limit_submit="1/minute")
    assert submit(one.test_client(), "A").status_code == 200
    assert submit(two.test_client(), "B").status_code == 200
    assert submit(one.test_client(), "C").status_code == 429


def test_clients_are_counted_by_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(small(), rate_limit_submit="1/minute")
    here, there = ({"REMOTE_ADDR": a} for a in ("10.0.0.1", "10.0.0.2"))
    client = app.test_client()
    assert client.post("/forms/tiny", data={"_page": "*", "name": "a", "_action": "submit"},
                       environ_base=here).status_code == 200
    assert client.post("/forms/tiny", data={"_page": "*", "name": "b", "_action": "submit"},
                       environ_base=there).status_code == 200
    assert client.post("/forms/tiny", data={"_page": "*", "name": "c", "_action": "submit"},
                       environ_base=here).status_code == 429


def test_the_key_names_no_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(small())
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        key = limits.client_key()
    assert "203" not in key and re.fullmatch(r"[0-9a-f]{24}", key)


def test_sign_in_is_limited(population_file: Path, tmp_path: Path) -> None:
    app = demo(population_file, tmp_path, rate_limit_sign_in="2/minute")
    client = app.test_client()
    codes = [client.post("/auth/demo", data={"personal_id": "000000000000"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    html = client.post("/auth/demo?lang=en", data={"personal_id": "1"}).get_data(as_text=True)
    assert "Too many attempts" in html


def demo(population_file: Path, tmp_path: Path, **settings: Any) -> Flask:
    """The demo app (tests/demo.py) with ``settings``."""
    return demo_app(population_file, tmp_path, **settings)


def _someone(population_file: Path) -> Any:
    from prefill.model import Citizen

    people = (Citizen.model_validate(d) for d in read_documents(population_file))
    return next(c for c in people if c.date_of_death is None)


def test_register_lookups_are_limited(population_file: Path, tmp_path: Path) -> None:
    app = demo(population_file, tmp_path, rate_limit_prefill="2/minute")
    client = sign_in(app, _someone(population_file))
    url = f"/forms/{EXAMPLE}?lang=en"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    limited = client.get(url)
    assert limited.status_code == 429 and "Too many attempts" in limited.get_data(as_text=True)
    api = client.post(f"/api/v1/forms/{EXAMPLE}/people",
                      json={"personal_id": _someone(population_file).personal_id})
    assert api.status_code == 429
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 429 and int(api.headers["Retry-After"]) >= 1


def test_anonymous_form_pages_are_not_counted(make_app: Callable[..., Flask]) -> None:
    app = make_app(small(), rate_limit_prefill="1/minute")
    client = app.test_client()
    assert {client.get("/forms/tiny").status_code for _ in range(3)} == {200}


def test_limits_can_be_turned_off(make_app: Callable[..., Flask]) -> None:
    app = make_app(small(), rate_limit_submit="1/minute", rate_limit_enabled=False)
    client = app.test_client()
    assert {submit(client, "Lan").status_code for _ in range(3)} == {200}


def test_limits_are_checked_when_read() -> None:
    with pytest.raises(ValidationError, match="20/minute"):
        Settings(rate_limit_submit="lots")
    with pytest.raises(ValidationError, match="redis"):
        Settings(rate_limit_storage="http://127.0.0.1:6379")
    assert Settings(rate_limit_submit="5/second;100/day").rate_limit_submit


def test_counters_in_redis_are_shared_by_workers(make_app: Callable[..., Flask]) -> None:
    """Two apps (two workers) with one secret and one Redis share the counters; the keys
    hold no address. Needs the Redis server at 127.0.0.1:6379 (CI starts it)."""
    secret = "redis-test-" + uuid.uuid4().hex  # a key space of this test's own
    settings = {"rate_limit_storage": REDIS_URL, "rate_limit_submit": "2/minute",
                "secret_key": secret}
    one, two = make_app(small(), **settings), make_app(small(), **settings)
    server = redis.Redis.from_url(REDIS_URL)
    environ = {"REMOTE_ADDR": "198.51.100." + str(secrets.randbelow(200))}
    try:
        codes = [app.test_client().post(
            "/forms/tiny", data={"_page": "*", "name": "x", "_action": "submit"},
            environ_base=environ).status_code for app in (one, two, one)]
        assert codes == [200, 200, 429]
        with one.test_request_context(environ_base=environ):
            key = limits.client_key()
        stored = [k.decode() for k in server.scan_iter(f"*{key}*")]
        assert stored and all(k.startswith("LIMITS:LIMITER/formengine/") for k in stored)
        assert not any(environ["REMOTE_ADDR"] in k for k in stored)
    finally:
        with one.test_request_context(environ_base=environ):
            key = limits.client_key()
        for found in server.scan_iter(f"*{key}*"):
            server.delete(found)
        server.close()
