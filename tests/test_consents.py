"""The consent store (formengine/storage/consents.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from formengine.storage import upgrade
from formengine.storage.consents import CONSENT_DAYS, ConsentStore

ME, YOU, THEM = "001090000001", "001196000002", "001196000003"
PROCEDURE = "marriage-registration"


@pytest.fixture
def store(engine: Engine) -> Iterator[ConsentStore]:
    upgrade(engine)
    yield ConsentStore(engine)


def test_a_request_is_pending_until_the_person_asked_decides(store: ConsentStore) -> None:
    token, asked = store.ask(ME, YOU, PROCEDURE)
    assert asked.status == "pending" and store.of(ME, PROCEDURE) == store.by_token(token)
    assert store.decide(token, THEM, True) is None  # someone else cannot answer
    assert store.of(ME, PROCEDURE).status == "pending"  # type: ignore[union-attr]
    granted = store.decide(token, YOU, True)
    assert granted is not None and granted.status == "granted"
    assert granted.decided_at is not None
    withdrawn = store.decide(token, YOU, False)
    assert withdrawn is not None and withdrawn.status == "refused"


def test_tokens_are_kept_hashed(store: ConsentStore, engine: Engine) -> None:
    import sqlalchemy as sa

    from formengine.storage.tables import consents

    token, _ = store.ask(ME, YOU, PROCEDURE)
    with engine.connect() as connection:
        row = connection.execute(sa.select(consents)).mappings().one()
    assert token not in row.values() and len(row["token_hash"]) == 64
    assert store.by_token(token + "x") is None


def test_asking_again_replaces_the_previous_request(store: ConsentStore) -> None:
    first, _ = store.ask(ME, YOU, PROCEDURE)
    store.decide(first, YOU, True)
    second, asked = store.ask(ME, THEM, PROCEDURE)
    assert store.by_token(first) is None
    assert store.of(ME, PROCEDURE) == asked and asked.subject == THEM
    assert store.by_token(second) == asked
    store.cancel(ME, PROCEDURE)
    assert store.of(ME, PROCEDURE) is None and store.by_token(second) is None


def test_requests_expire_and_are_purged(store: ConsentStore) -> None:
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=CONSENT_DAYS + 1)
    old, _ = store.ask(ME, YOU, PROCEDURE, now=long_ago)
    assert store.by_token(old) is None and store.of(ME, PROCEDURE) is None
    assert store.decide(old, YOU, True) is None
    store.ask(THEM, YOU, PROCEDURE)
    assert store.purge(dry_run=True) == 1
    assert store.purge() == 1 and store.purge() == 0
    assert store.of(THEM, PROCEDURE) is not None


def test_a_granted_consent_lasts_from_the_decision(store: ConsentStore) -> None:
    asked_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=CONSENT_DAYS - 1)
    token, _ = store.ask(ME, YOU, PROCEDURE, now=asked_at)
    granted = store.decide(token, YOU, True)
    assert granted is not None
    assert granted.expires_at - granted.created_at > datetime.timedelta(days=CONSENT_DAYS)
