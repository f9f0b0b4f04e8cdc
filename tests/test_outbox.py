"""Tests for formengine.submissions.outbox and ``formengine outbox``: deliveries to a real
local receiver over a socket, on SQLite and PostgreSQL, with a fake clock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine

from formengine.cli import main
from formengine.storage import make_engine, upgrade
from formengine.storage.tables import outbox, submissions
from formengine.submissions.outbox import (
    DELIVERY_HEADER,
    PAYLOAD_FIELDS,
    SIGNATURE_HEADER,
    SIGNED_FIELDS,
    DeliveryReport,
    Outbox,
    backoff_delay,
    headers,
    payload,
    sign,
    verify_signature,
)
from tests.servers import Server

SECRET = b"webhook-test-secret"
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
RECORD = {"answers": {"full_name": "Nguyễn Thị Hoa", "reason": "chuyển đến"},
          "provenance": {"/full_name": "population"}, "corrections": []}


# --- helpers -----------------------------------------------------------------------------


def add_submissions(engine: Engine, count: int, *, at: datetime = T0,
                    first: int = 0) -> list[str]:
    """Insert ``count`` submissions, each with its pending outbox row in one transaction
    (what the submit code does); their receipts."""
    receipts = []
    for n in range(first, first + count):
        receipt = f"HS-{n:06d}"
        with engine.begin() as connection:
            inserted = connection.execute(submissions.insert().values(
                receipt=receipt, submission_key=uuid.uuid4().hex, owner=f"{n:012d}",
                procedure="example-residence-registration", version="1",
                content_hash="ab" * 32, record=RECORD, signature="c2ln" * 8, key_id="k1",
                status="received", submitted_at=at))
            assert inserted.inserted_primary_key is not None
            connection.execute(outbox.insert().values(
                submission_id=inserted.inserted_primary_key[0], delivery_id=str(uuid.uuid4()),
                state="pending", attempts=0, next_attempt_at=at, created_at=at))
        receipts.append(receipt)
    return receipts


def rows(engine: Engine) -> list[dict[str, Any]]:
    """Every outbox row with its submission's receipt and status."""
    query = (sa.select(outbox, submissions.c.receipt, submissions.c.status)
             .join(submissions, submissions.c.id == outbox.c.submission_id)
             .order_by(outbox.c.id))
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


class Receiver:
    """A webhook receiver: answers ``status`` to the first ``fail_first`` requests, then
    200; verifies every signature, records every delivery id it sees and accepts, and
    counts two requests of one delivery id at the same time."""

    def __init__(self, fail_first: int = 0, status: int = 503, delay: float = 0.0,
                 secret: bytes = SECRET) -> None:
        self.fail_first, self.status, self.delay = fail_first, status, delay
        self.secret = secret
        self.lock = threading.Lock()
        self.requests = 0
        self.seen: list[str] = []
        self.accepted: list[str] = []
        self.documents: dict[str, Any] = {}
        self.bad_signatures = 0
        self.overlaps = 0
        self._in_flight: Counter[str] = Counter()

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        delivery = environ.get("HTTP_X_FORMENGINE_DELIVERY", "")
        signed = verify_signature(self.secret, environ.get("HTTP_X_FORMENGINE_SIGNATURE", ""),
                                  body)
        with self.lock:
            self.requests += 1
            number = self.requests
            self.seen.append(delivery)
            self.overlaps += self._in_flight[delivery] > 0
            self._in_flight[delivery] += 1
            self.bad_signatures += not signed
        try:
            time.sleep(self.delay)
            if not signed:
                status = 401
            elif number <= self.fail_first:
                status = self.status
            else:
                document = json.loads(body)
                assert document["delivery_id"] == delivery
                assert environ["CONTENT_TYPE"] == "application/json"
                with self.lock:
                    self.accepted.append(delivery)
                    self.documents[delivery] = document
                status = 200
        finally:
            with self.lock:
                self._in_flight[delivery] -= 1
        start(f"{status} X", [("Content-Type", "text/plain"), ("Content-Length", "0")])
        return [b""]


Serve = Callable[[Any], Server]


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """The engine database (SQLite and PostgreSQL), migrated."""
    upgrade(engine)
    return engine


def make_outbox(engine: Engine, url: str, **options: Any) -> Outbox:
    options = {"backoff": 1.0, "backoff_cap": 8.0, "timeout": 2.0, **options}
    return Outbox(engine, url, SECRET, **options)


# --- payload, signature, backoff ---------------------------------------------------------


def test_payload_is_canonical_json() -> None:
    row = {"delivery_id": "d-1", "receipt": "HS-1", "procedure": "p", "version": "2",
           "content_hash": "h", "submitted_at": datetime(2026, 12, 1, 15, 30, tzinfo=UTC),
           "record": RECORD, "signature": "s", "key_id": "k", "owner": "001200000001",
           "tenant": None}
    body = payload(row)
    document = json.loads(body)
    assert set(document) == set(PAYLOAD_FIELDS)
    assert document["owner"] == "001200000001"
    assert document["submitted_at"] == "2026-12-01T15:30:00+00:00"
    assert document["record"] == RECORD
    assert body == json.dumps(document, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
    assert "Nguyễn".encode() in body


def test_signature_verifies_and_rejects() -> None:
    body = b'{"delivery_id":"d-1"}'
    sent = headers(SECRET, "d-1", body, timestamp="1800000000")
    assert sent[DELIVERY_HEADER] == "d-1"
    assert sent["Content-Type"] == "application/json"
    header = sent[SIGNATURE_HEADER]
    assert header == f"t=1800000000,v1={sign(SECRET, '1800000000', body)}"
    assert verify_signature(SECRET, header, body, now=1800000010)
    assert not verify_signature(b"wrong secret", header, body, now=1800000010)
    assert not verify_signature(SECRET, header, body + b" ", now=1800000010)
    assert not verify_signature(SECRET, header, body, now=1800000000 + 301)   # too old
    assert not verify_signature(SECRET, header, body, now=1800000000 - 301)   # future
    assert verify_signature(SECRET, header, body, tolerance_s=600, now=1800000000 + 301)
    for broken in ("", "t=abc,v1=00", "v1=" + header.split("v1=")[1], "t=1800000000"):
        assert not verify_signature(SECRET, broken, body, now=1800000000)
    rotated = f"t=1800000000,v1={sign(b'old', '1800000000', body)},v1={header.split('v1=')[1]}"
    assert verify_signature(SECRET, rotated, body, now=1800000000)
    assert verify_signature(SECRET, headers(SECRET, "d", body)[SIGNATURE_HEADER], body)


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    assert [backoff_delay(n, 30, 3600) for n in (1, 2, 3, 8, 9, 500)] == [
        30, 60, 120, 3600, 3600, 3600]
    delays = [backoff_delay(2, 30, 3600, jitter=0.2) for _ in range(200)]
    assert all(48 <= d <= 60 for d in delays) and len(set(delays)) > 1


# --- delivering --------------------------------------------------------------------------


def test_receiver_fails_then_recovers_nothing_lost_no_duplicates(
        migrated: Engine, serve: Serve) -> None:
    receipts = add_submissions(migrated, 50)
    receiver = Receiver(fail_first=70)
    server = serve(receiver)
    now = T0
    with make_outbox(migrated, server.url) as box:
        reports = []
        for _ in range(10):
            reports.append(box.deliver_due(now))
            if all(r["state"] == "delivered" for r in rows(migrated)):
                break
            now += timedelta(seconds=8)
    stored = rows(migrated)
    ids = {r["delivery_id"] for r in stored}
    assert [r["receipt"] for r in stored] == receipts
    assert all(r["state"] == "delivered" and r["status"] == "delivered" for r in stored)
    assert all(r["delivered_at"] is not None and r["last_error"] is None for r in stored)
    # Exactly once accepted, every one of them, and nothing else.
    assert sorted(receiver.accepted) == sorted(ids) and len(receiver.accepted) == 50
    assert receiver.bad_signatures == 0
    # Retries reused the delivery id: the receiver saw only these ids, and each as many
    # times as the row counts attempts.
    seen = Counter(receiver.seen)
    assert set(seen) == ids
    assert all(seen[r["delivery_id"]] == r["attempts"] for r in stored)
    assert receiver.requests == 120 == sum(r["attempts"] for r in stored)
    assert [(r.claimed, r.delivered, r.failed, r.parked) for r in reports] == [
        (50, 0, 50, 0), (50, 30, 20, 0), (20, 20, 0, 0)]
    document = receiver.documents[stored[0]["delivery_id"]]
    assert document["receipt"] == receipts[0] and document["record"] == RECORD
    assert document["submitted_at"] == "2026-12-01T08:00:00+00:00"


def test_a_stored_submission_arrives_with_a_verifiable_engine_signature(
        migrated: Engine, serve: Serve) -> None:
    from formengine.definitions.loader import load_definition
    from formengine.submissions.signing import Signer
    from formengine.submissions.store import SubmissionStore, new_key
    from tests.conftest import BUNDLED, EXAMPLE

    signer = Signer.from_text("bXktdGVzdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLi4=")
    store = SubmissionStore(migrated, signer)
    stored = store.submit(load_definition(BUNDLED / f"{EXAMPLE}.json"), "001090000001",
                          new_key(), RECORD, now=T0)
    receiver = Receiver()
    with make_outbox(migrated, serve(receiver).url) as box:
        assert box.deliver_due(T0 + timedelta(seconds=1)).delivered == 1
    document = next(iter(receiver.documents.values()))
    assert document["receipt"] == stored.receipt and document["key_id"] == signer.key_id
    signed = {name: document[name] for name in SIGNED_FIELDS}
    assert signed == stored.signed_part()
    assert signer.verify(signed, document["signature"])
    assert store.get(stored.receipt).status == "delivered"  # type: ignore[union-attr]


def test_a_tenants_submission_goes_to_its_own_webhook(migrated: Engine, serve: Serve) -> None:
    from formengine.definitions.loader import load_definition
    from formengine.submissions.signing import Signer
    from formengine.submissions.store import SubmissionStore, new_key
    from tests.conftest import BUNDLED, EXAMPLE

    signer = Signer.from_text("bXktdGVzdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLi4=")
    store = SubmissionStore(migrated, signer)
    definition = load_definition(BUNDLED / f"{EXAMPLE}.json")
    ours = store.submit(definition, "001090000001", new_key(), RECORD, now=T0)
    theirs = store.submit(definition, "001090000002", new_key(), RECORD, now=T0,
                          tenant="hanoi")
    lost = store.submit(definition, "001090000003", new_key(), RECORD, now=T0, tenant="hue")
    main, hanoi = Receiver(), Receiver(secret=b"hanoi-secret")
    routes = {"hanoi": (serve(hanoi).url, b"hanoi-secret")}
    with make_outbox(migrated, serve(main).url, routes=routes) as box:
        report = box.deliver_due(T0 + timedelta(seconds=1))
    assert report.delivered == 3 and hanoi.bad_signatures == main.bad_signatures == 0
    assert {d["receipt"] for d in hanoi.documents.values()} == {theirs.receipt}
    assert {d["receipt"] for d in main.documents.values()} == {ours.receipt, lost.receipt}
    document = next(iter(hanoi.documents.values()))
    assert document["tenant"] == "hanoi"
    signed = {name: document[name] for name in (*SIGNED_FIELDS, "tenant")}
    assert signed == theirs.signed_part() and signer.verify(signed, document["signature"])
    # Without a webhook of our own, a submission of a tenant without one waits, then parks.
    store.submit(definition, "001090000004", new_key(), RECORD, now=T0, tenant="hue")
    with make_outbox(migrated, "", routes=routes, max_attempts=1) as box:
        assert box.deliver_due(T0 + timedelta(seconds=2)).parked == 1
    assert any(r["last_error"] == "no webhook" for r in rows(migrated))


def test_rows_not_due_wait_for_their_backoff(migrated: Engine, serve: Serve) -> None:
    add_submissions(migrated, 3)
    add_submissions(migrated, 1, at=T0 + timedelta(hours=1), first=3)
    receiver = Receiver(fail_first=3)
    with make_outbox(migrated, serve(receiver).url, backoff=10.0, backoff_cap=60.0,
                     jitter=0.0) as box:
        assert box.deliver_due(T0).failed == 3
        assert {r["next_attempt_at"] for r in rows(migrated)[:3]} == {T0 + timedelta(seconds=10)}
        assert box.deliver_due(T0 + timedelta(seconds=9)).claimed == 0
        assert box.deliver_due(T0 + timedelta(seconds=10)).delivered == 3
        assert box.deliver_due(T0 + timedelta(minutes=59)).claimed == 0
        assert box.deliver_due(T0 + timedelta(hours=1)).delivered == 1
    assert receiver.requests == 7


def test_parked_after_max_attempts_and_retry_unparks(migrated: Engine, serve: Serve) -> None:
    receipts = add_submissions(migrated, 3)
    receiver = Receiver(fail_first=10**9, status=500)
    now = T0
    with make_outbox(migrated, serve(receiver).url, max_attempts=3) as box:
        reports = []
        for _ in range(5):
            reports.append(box.deliver_due(now))
            now += timedelta(seconds=8)
        assert [r.parked for r in reports] == [0, 0, 3, 0, 0]
        assert receiver.requests == 9
        stored = rows(migrated)
        assert all(r["state"] == "parked" and r["attempts"] == 3 for r in stored)
        assert all(r["last_error"] == "HTTP 500" and r["status"] == "received" for r in stored)
        assert [e.receipt for e in box.list("parked")] == receipts
        assert box.list("pending") == [] and len(box.list()) == 3

        assert box.retry(receipts[0], now=now) is True
        assert box.retry(stored[1]["delivery_id"], now=now) is True
        assert box.retry(receipts[0]) is False  # pending already
        with pytest.raises(LookupError):
            box.retry("HS-nope")
        entry = box.get(receipts[0])
        assert entry is not None and entry.state == "pending" and entry.attempts == 0
        receiver.fail_first = 0
        assert box.deliver_due(now).delivered == 2
        assert box.retry(receipts[0]) is False  # delivered
    stored = rows(migrated)
    assert [r["state"] for r in stored] == ["delivered", "delivered", "parked"]
    assert [r["attempts"] for r in stored] == [1, 1, 3]
    assert Counter(receiver.accepted) == {stored[0]["delivery_id"]: 1,
                                          stored[1]["delivery_id"]: 1}


def test_connection_refused_leaves_rows_pending(migrated: Engine, serve: Serve) -> None:
    add_submissions(migrated, 5)
    stopped = serve(Receiver())
    stopped.stop()
    with make_outbox(migrated, stopped.url) as box:
        assert box.deliver_due(T0) == DeliveryReport(claimed=5, failed=5)
    stored = rows(migrated)
    assert all(r["state"] == "pending" and r["attempts"] == 1 for r in stored)
    assert {r["last_error"] for r in stored} == {"ConnectError"}
    assert all(r["status"] == "received" for r in stored)
    receiver = Receiver()
    with make_outbox(migrated, serve(receiver).url) as box:
        assert box.deliver_due(T0 + timedelta(seconds=8)).delivered == 5
    assert sorted(receiver.accepted) == sorted(r["delivery_id"] for r in stored)


def test_timeout_is_retried_with_the_same_delivery_id(migrated: Engine, serve: Serve) -> None:
    add_submissions(migrated, 1)
    receiver = Receiver(delay=0.5)
    with make_outbox(migrated, serve(receiver).url, timeout=0.1) as box:
        assert box.deliver_due(T0).failed == 1
        assert rows(migrated)[0]["last_error"] == "ReadTimeout"
        receiver.delay = 0.0
        assert box.deliver_due(T0 + timedelta(seconds=8)).delivered == 1
    time.sleep(0.5)  # the first request ends on the receiver's side too
    delivery_id = rows(migrated)[0]["delivery_id"]
    # At least once: the receiver may accept a delivery twice, always with one id.
    assert receiver.seen == [delivery_id, delivery_id]
    assert set(receiver.accepted) == {delivery_id}


def test_a_worker_that_dies_mid_delivery_leaves_its_rows_for_later(
        migrated: Engine, serve: Serve) -> None:
    add_submissions(migrated, 4)
    receiver = Receiver()
    with make_outbox(migrated, serve(receiver).url, lease=60.0) as box:
        assert len(box._claim(T0, T0 + box.lease, 50)) == 4  # claimed, then the worker died
        assert box.deliver_due(T0 + timedelta(seconds=30)).claimed == 0  # leased
        assert box.deliver_due(T0 + timedelta(seconds=60)).delivered == 4
    assert len(receiver.accepted) == 4


def test_stopping_releases_the_rest_of_the_batch(migrated: Engine, serve: Serve) -> None:
    add_submissions(migrated, 4)
    stop = threading.Event()
    receiver = Receiver()

    def stopping(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        stop.set()  # SIGTERM arrives during the first delivery
        return receiver(environ, start)

    with make_outbox(migrated, serve(stopping).url) as box:
        assert box.deliver_due(T0, stop=stop) == DeliveryReport(claimed=1, delivered=1)
        assert [r["next_attempt_at"] for r in rows(migrated)[1:]] == [T0] * 3  # released
        assert box.deliver_due(T0).delivered == 3
    assert len(receiver.accepted) == 4


def test_two_workers_never_deliver_a_row_twice(migrated: Engine, database_url: str,
                                               serve: Serve) -> None:
    add_submissions(migrated, 40)
    receiver = Receiver(delay=0.005)
    url = serve(receiver).url
    start = threading.Barrier(3)
    totals: list[int] = []

    def worker() -> None:
        engine = make_engine(database_url)
        claimed = 0
        with make_outbox(engine, url) as box:
            start.wait()
            while (report := box.deliver_due(T0, limit=3)).claimed:
                claimed += report.claimed
        engine.dispose()
        totals.append(claimed)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(totals) == 40 and len(totals) == 3
    assert receiver.overlaps == 0 and receiver.requests == 40
    assert sorted(receiver.accepted) == sorted(r["delivery_id"] for r in rows(migrated))
    assert all(r["state"] == "delivered" and r["attempts"] == 1 for r in rows(migrated))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SKIP LOCKED is PG's
def test_postgresql_claims_skip_locked_rows(migrated: Engine, serve: Serve) -> None:
    assert migrated.dialect.name == "postgresql"
    add_submissions(migrated, 3)
    receiver = Receiver()
    with migrated.connect() as other, other.begin(), \
            make_outbox(migrated, serve(receiver).url) as box:
        # Another worker is in the middle of claiming the first row.
        other.execute(sa.select(outbox.c.id).order_by(outbox.c.id).limit(1).with_for_update())
        started = time.perf_counter()
        assert box.deliver_due(T0).delivered == 2
        assert time.perf_counter() - started < 2
    assert [r["state"] for r in rows(migrated)] == ["pending", "delivered", "delivered"]


# --- formengine outbox -------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, migrated: Engine, database_url: str,
            serve: Serve) -> Iterator[Receiver]:
    """Settings of a migrated database and a receiver that fails its first 2 requests."""
    receiver = Receiver(fail_first=2)
    monkeypatch.setenv("FORMENGINE_DATABASE_URL", database_url)
    monkeypatch.setenv("FORMENGINE_WEBHOOK_URL", serve(receiver).url + "/hook")
    monkeypatch.setenv("FORMENGINE_WEBHOOK_SECRET", SECRET.decode())
    monkeypatch.setenv("FORMENGINE_OUTBOX_MAX_ATTEMPTS", "1")
    yield receiver


def test_cli_run_once_list_and_retry(cli_env: Receiver, migrated: Engine) -> None:
    receipts = add_submissions(migrated, 3, at=datetime.now(UTC) - timedelta(seconds=1))
    done = run("outbox", "run", "--once")
    assert done.exit_code == 0, done.output
    assert "outbox: 1 delivered, 0 to retry, 2 parked (3 attempted)" in done.output
    assert "Nguyễn" not in done.output and receipts[0] not in done.output

    listed = run("outbox", "list", "--json")
    assert listed.exit_code == 0
    entries = json.loads(listed.output)
    assert [(e["receipt"], e["state"]) for e in entries] == [
        (receipts[0], "parked"), (receipts[1], "parked"), (receipts[2], "delivered")]
    assert entries[0]["last_error"] == "HTTP 503" and entries[0]["attempts"] == 1
    assert "record" not in entries[0] and "owner" not in entries[0]
    parked = run("outbox", "list", "--state", "parked")
    assert parked.output.count(" parked ") == 2 and "2 entries" in parked.output

    again = run("outbox", "retry", receipts[0])
    assert again.exit_code == 0 and "is pending again" in again.output
    assert run("outbox", "retry", entries[1]["delivery_id"]).exit_code == 0
    assert "delivered, not parked" in run("outbox", "retry", receipts[2]).output
    assert run("outbox", "retry", receipts[2]).exit_code == 1
    unknown = run("outbox", "retry", "HS-nope")
    assert unknown.exit_code == 1 and "no outbox entry" in unknown.output
    assert "2 delivered, 0 to retry, 0 parked" in run("outbox", "run", "--once").output
    assert len(cli_env.accepted) == 3 == len(set(cli_env.accepted))


def test_cli_run_needs_a_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMENGINE_WEBHOOK_URL", raising=False)
    monkeypatch.setenv("FORMENGINE_WEBHOOK_SECRET", "s")
    result = run("outbox", "run", "--once")
    assert result.exit_code == 1 and "FORMENGINE_WEBHOOK_URL is not set and no tenant has a " \
        "webhook" in result.output
    monkeypatch.setenv("FORMENGINE_WEBHOOK_URL", "http://127.0.0.1:9/")
    monkeypatch.delenv("FORMENGINE_WEBHOOK_SECRET")
    result = run("outbox", "run")
    assert result.exit_code == 1 and "FORMENGINE_WEBHOOK_SECRET is not set" in result.output


def test_cli_run_refuses_an_old_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FORMENGINE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    monkeypatch.setenv("FORMENGINE_WEBHOOK_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("FORMENGINE_WEBHOOK_SECRET", "s")
    result = run("outbox", "run", "--once")
    assert result.exit_code == 1 and "formengine db upgrade" in result.output


def test_outbox_is_a_flask_command_too() -> None:
    from formengine.app import create_app
    from tests.conftest import BUNDLED

    app = create_app({"definitions": [BUNDLED]})
    assert {"run", "list", "retry"} <= set(app.cli.commands["outbox"].commands)  # type: ignore[attr-defined]


def test_worker_delivers_then_stops_on_sigterm(tmp_path: Path, serve: Serve) -> None:
    url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    add_submissions(engine, 5, at=datetime.now(UTC) - timedelta(seconds=1))
    receiver = Receiver()
    env = {**os.environ, "FORMENGINE_DATABASE_URL": url,
           "FORMENGINE_WEBHOOK_URL": serve(receiver).url,
           "FORMENGINE_WEBHOOK_SECRET": SECRET.decode()}
    binary = str(Path(sys.executable).parent / "formengine")
    worker = subprocess.Popen([binary, "outbox", "run", "--interval", "0.2"], env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while len(receiver.accepted) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=10)
    finally:
        worker.kill()
    assert worker.returncode == 0, stderr
    assert "SIGTERM, stopping" in stderr and "5 delivered" in stderr
    assert "Nguyễn" not in stderr and "HS-" not in stderr
    assert all(r["state"] == "delivered" for r in rows(engine))
    engine.dispose()
