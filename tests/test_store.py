"""Tests for formengine.submissions.store on SQLite and PostgreSQL: exactly once, drafts,
signatures, retention, and a process killed in the middle of a submit."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition
from formengine.storage import upgrade
from formengine.storage.tables import drafts, outbox, submissions
from formengine.submissions.signing import Signer
from formengine.submissions.store import Conflict, SubmissionStore, new_key
from tests.conftest import BUNDLED

KEY = "bXktdGVzdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLi4="  # 32 bytes, base64
ALICE, BOB = "001090000001", "001192000002"
RECORD = {"answers": {"x": "Nguyễn"}, "provenance": {}, "corrections": []}


@pytest.fixture(scope="module")
def definition() -> FormDefinition:
    return load_definition(BUNDLED / "example-residence-registration.json")


@pytest.fixture
def store(engine: Engine) -> Iterator[SubmissionStore]:
    upgrade(engine)
    yield SubmissionStore(engine, Signer.from_text(KEY))


def count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_submit_once_per_key(store: SubmissionStore, definition: FormDefinition) -> None:
    key = new_key()
    first = store.submit(definition, ALICE, key, RECORD)
    again = store.submit(definition, ALICE, key, {"answers": {"x": "changed"}})
    assert first.created and not again.created
    assert again.receipt == first.receipt and again.record == RECORD
    assert first.version == definition.version and first.content_hash == definition.content_hash
    assert count(store.engine, submissions) == 1 and count(store.engine, outbox) == 1
    with pytest.raises(Conflict):
        store.submit(definition, BOB, key, RECORD)
    assert store.for_owner(ALICE)[0].receipt == first.receipt
    assert store.get(first.receipt) is not None and store.get("AAAA-AAAA") is None


def test_outbox_row_is_written_with_the_submission(store: SubmissionStore,
                                                   definition: FormDefinition) -> None:
    stored = store.submit(definition, None, new_key(), RECORD)
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(outbox, submissions.c.receipt).join(
            submissions, submissions.c.id == outbox.c.submission_id)).mappings().one()
    assert row["receipt"] == stored.receipt and row["state"] == "pending"
    assert row["attempts"] == 0 and len(row["delivery_id"]) == 36


def test_two_hundred_concurrent_submits_give_one_record_per_key(
        store: SubmissionStore, definition: FormDefinition) -> None:
    keys = [new_key() for _ in range(100)]
    calls = [k for k in keys for _ in range(2)]  # each form sent twice (double click, retry)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda k: (k, store.submit(definition, ALICE, k, RECORD)),
                                calls))
    receipts: dict[str, set[str]] = {}
    for key, stored in results:
        receipts.setdefault(key, set()).add(stored.receipt)
    assert all(len(found) == 1 for found in receipts.values())
    assert sum(1 for _, stored in results if stored.created) == 100
    assert count(store.engine, submissions) == 100 == count(store.engine, outbox)


def test_signature_covers_the_stored_data(store: SubmissionStore,
                                          definition: FormDefinition) -> None:
    stored = store.submit(definition, ALICE, new_key(), RECORD)
    assert store.verify(stored.receipt) is True
    assert store.verify("AAAA-AAAA") is None
    with store.engine.begin() as connection:
        connection.execute(submissions.update().where(
            submissions.c.receipt == stored.receipt).values(
            record={**RECORD, "answers": {"x": "Trần"}}))
    assert store.verify(stored.receipt) is False
    other = SubmissionStore(store.engine, Signer.from_text(
        "b3RoZXIta2V5LW9mLTMyLWJ5dGVzLWxvbmcuLi4uLi4="))
    assert other.verify(stored.receipt) is False


def test_one_draft_per_person_and_procedure(store: SubmissionStore,
                                            definition: FormDefinition) -> None:
    first = store.save_draft(ALICE, definition, "applicant", {"a": 1}, None, "key-1")
    second = store.save_draft(ALICE, definition, "residence", {"a": 2}, {"owner": ALICE},
                              "key-2")
    assert second.submission_key == first.submission_key == "key-1"  # the draft's key wins
    found = store.draft(ALICE, definition.id)
    assert found is not None and found.answers == {"a": 2} and found.page == "residence"
    assert found.snapshot == {"owner": ALICE}
    assert count(store.engine, drafts) == 1
    assert store.draft(BOB, definition.id) is None
    store.submit(definition, ALICE, found.submission_key, RECORD)
    assert store.draft(ALICE, definition.id) is None  # submitted: the draft is gone


def test_concurrent_tabs_share_one_draft(store: SubmissionStore,
                                         definition: FormDefinition) -> None:
    with ThreadPoolExecutor(8) as pool:
        saved = list(pool.map(lambda i: store.save_draft(ALICE, definition, None, {"i": i},
                                                         None, f"key-{i}"), range(16)))
    assert len({d.submission_key for d in saved}) == 1
    assert count(store.engine, drafts) == 1


def test_purge_removes_expired_drafts_and_old_personal_data(
        store: SubmissionStore, definition: FormDefinition) -> None:
    store.save_draft("001090000003", definition, None, {"a": 1}, None, "k")
    old = store.submit(definition, ALICE, new_key(), RECORD)
    recent = store.submit(definition, BOB, new_key(), RECORD)
    pending = store.submit(definition, BOB, new_key(), RECORD)
    now = datetime.datetime.now(datetime.UTC)
    store.mark_processed(old.receipt, now - datetime.timedelta(days=400))
    store.mark_processed(recent.receipt, now - datetime.timedelta(days=10))
    report = store.purge(365, now=now + datetime.timedelta(days=31))
    assert report.drafts == 1 and report.submissions == 1
    erased = store.get(old.receipt)
    assert erased is not None and erased.record is None and erased.owner is None
    assert erased.purged_at is not None and erased.status == "processed"
    for kept in (recent, pending):
        found = store.get(kept.receipt)
        assert found is not None and found.record == RECORD
    assert store.purge(365, now=now + datetime.timedelta(days=31)).submissions == 0


KILLED_SUBMIT = textwrap.dedent("""
    import sys, time
    from formengine.definitions.loader import load_definition
    from formengine.storage import make_engine
    from formengine.storage import tables
    from formengine.submissions.signing import Signer
    from formengine.submissions.store import SubmissionStore
    import sqlalchemy as sa

    url, key, folder = sys.argv[1:4]
    engine = make_engine(url)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _slow_outbox(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            print("inside", flush=True)  # the submission row is written, not committed
            time.sleep(60)

    store = SubmissionStore(engine, Signer.from_text(%r))
    definition = load_definition(__import__("pathlib").Path(folder)
                                 / "example-residence-registration.json")
    store.submit(definition, %r, key, {"answers": {}})
""") % (KEY, ALICE)


def test_killed_during_submit_leaves_nothing_and_the_retry_stores_once(
        store: SubmissionStore, definition: FormDefinition, database_url: str) -> None:
    key = new_key()
    worker = subprocess.Popen([sys.executable, "-c", KILLED_SUBMIT, database_url, key,
                               str(BUNDLED)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "inside"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    time.sleep(0.2)
    assert count(store.engine, submissions) == 0 and count(store.engine, outbox) == 0
    first = store.submit(definition, ALICE, key, RECORD)
    retry = store.submit(definition, ALICE, key, RECORD)
    assert first.created and retry.receipt == first.receipt
    assert count(store.engine, submissions) == 1 == count(store.engine, outbox)


def test_signed_part_is_json(store: SubmissionStore, definition: FormDefinition) -> None:
    stored = store.submit(definition, ALICE, new_key(), RECORD)
    json.dumps(stored.signed_part())
