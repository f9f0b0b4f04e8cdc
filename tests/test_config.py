"""Tests for formengine.config (Settings from FORMENGINE_* environment variables)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from formengine.config import LANGUAGES, PROJECT_ROOT, Settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DEFINITIONS", "DEMO", "DEFAULT_LANGUAGE", "TEMPLATE_OVERRIDES",
                 "MAX_BODY_BYTES", "MAX_FIELDS"):
        monkeypatch.delenv(f"FORMENGINE_{name}", raising=False)


def test_defaults() -> None:
    settings = Settings()
    assert settings.definitions == [PROJECT_ROOT / "form_definitions"]
    assert settings.demo is False
    assert settings.default_language == "vi"
    assert settings.template_overrides == []
    assert settings.max_body_bytes > 0
    assert settings.max_fields > 0
    assert LANGUAGES[0] == "vi"


def test_random_secret_per_instance_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMENGINE_SECRET_KEY", raising=False)
    first, second = Settings().secret_key, Settings().secret_key
    assert len(first) >= 32
    assert first != second


def test_secret_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_SECRET_KEY", "s3cret")
    assert Settings().secret_key == "s3cret"


def test_definitions_colon_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_DEFINITIONS", "/srv/national:/srv/hanoi::relative/dir")
    assert Settings().definitions == [Path("/srv/national"), Path("/srv/hanoi"),
                                      Path("relative/dir")]


def test_single_definitions_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_DEFINITIONS", "/srv/forms")
    assert Settings().definitions == [Path("/srv/forms")]


def test_template_overrides_colon_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_TEMPLATE_OVERRIDES", "/a:/b")
    assert Settings().template_overrides == [Path("/a"), Path("/b")]


def test_overrides_accept_lists_of_paths() -> None:
    assert Settings(definitions=[Path("/x")]).definitions == [Path("/x")]
    assert Settings(definitions="/x:/y").definitions == [Path("/x"), Path("/y")]


@pytest.mark.parametrize(("raw", "demo"), [("1", True), ("true", True), ("0", False),
                                           ("false", False)])
def test_demo_flag(monkeypatch: pytest.MonkeyPatch, raw: str, demo: bool) -> None:
    monkeypatch.setenv("FORMENGINE_DEMO", raw)
    assert Settings().demo is demo


def test_bad_demo_flag_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_DEMO", "perhaps")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_default_language_known(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("FORMENGINE_DEFAULT_LANGUAGE", lang)
    assert Settings().default_language == lang


def test_default_language_unknown_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_DEFAULT_LANGUAGE", "de")
    with pytest.raises(ValidationError, match="must be one of vi, en, fr"):
        Settings()


def test_numbers_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_MAX_FIELDS", "10")
    monkeypatch.setenv("FORMENGINE_MAX_BODY_BYTES", "2048")
    settings = Settings()
    assert (settings.max_fields, settings.max_body_bytes) == (10, 2048)


def test_unrelated_variables_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMENGINE_NO_SUCH_SETTING", "x")
    assert Settings().demo is False


def test_population_db_defaults_to_the_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMENGINE_POPULATION_DB", raising=False)
    assert Settings().population_db is None
    assert Settings().population_path == PROJECT_ROOT / "instance" / "population.sqlite3"
    monkeypatch.setenv("FORMENGINE_POPULATION_DB", "/srv/people.sqlite3")
    assert Settings().population_path == Path("/srv/people.sqlite3")
