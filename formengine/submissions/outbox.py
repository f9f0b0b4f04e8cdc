"""The outbox: every submission POSTed as signed JSON to the province's webhook (docs/outbox.md).

The submission and its ``outbox`` row are written in one transaction (state ``pending``);
from then on this module owns the row. :meth:`Outbox.deliver_due` claims the rows that are
due, POSTs each once and records the outcome:

- a 2xx answer: ``delivered`` (and the submission's status ``delivered``);
- anything else (another status, a timeout, a refused connection): the attempt is counted,
  the row is due again after an exponential backoff with jitter, and after ``max_attempts``
  attempts it is ``parked`` until someone runs ``formengine outbox retry``.

Delivery is *at least once*: a receiver may see a delivery again (a worker stopped after
the POST, a 2xx lost on the way back), always with the same ``X-Formengine-Delivery`` id,
so receivers deduplicate on it. A row is never marked delivered without a 2xx and never
deleted. Several workers may run at once: a row is claimed in a short transaction
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: a compare-and-set ``UPDATE``) that moves
its ``next_attempt_at`` forward by a lease, so no other worker takes it meanwhile.

Logs and ``last_error`` hold counts, status codes and exception classes, never personal data.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import json
import logging
import random
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from formengine.storage.db import WRITE_INTENT
from formengine.storage.tables import OUTBOX_STATES, outbox, submissions

__all__ = [
    "DELIVERY_HEADER",
    "PAYLOAD_FIELDS",
    "SIGNATURE_HEADER",
    "SIGNED_FIELDS",
    "DeliveryReport",
    "Outbox",
    "OutboxEntry",
    "backoff_delay",
    "headers",
    "payload",
    "sign",
    "verify_signature",
]

log = logging.getLogger(__name__)

#: The signature header: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
SIGNATURE_HEADER = "X-Formengine-Signature"
#: The delivery id header: the same on every retry of one submission.
DELIVERY_HEADER = "X-Formengine-Delivery"

#: The fields of the payload, from the submission and its outbox row.
PAYLOAD_FIELDS = ("delivery_id", "receipt", "procedure", "version", "content_hash", "owner",
                  "submitted_at", "record", "signature", "key_id", "tenant")
#: The fields the engine's Ed25519 ``signature`` covers (``Stored.signed_part()``), and
#: ``tenant`` when it is not null (a submission made through a province portal).
SIGNED_FIELDS = ("receipt", "procedure", "version", "content_hash", "owner", "submitted_at",
                 "record")


# --- payload and signature ---------------------------------------------------------------


def _iso(moment: datetime) -> str:
    """ISO 8601 in UTC, as the engine signs it: ``2026-12-01T08:30:00+00:00``."""
    return moment.astimezone(UTC).isoformat()


def payload(row: Mapping[Any, Any]) -> bytes:
    """The body POSTed for ``row`` (the submission's columns and the delivery id).

    Canonical JSON: sorted keys, no spaces, UTF-8 (not ``\\u`` escapes); ``record`` is the
    stored record (answers, provenance, corrections) as it is. ``submitted_at`` is ISO
    8601 in UTC written as the engine signed it (``2026-12-01T08:30:00+00:00``), so the
    fields of :data:`SIGNED_FIELDS` are exactly what ``signature`` (key ``key_id``) signs.
    """
    document = {name: row[name] for name in PAYLOAD_FIELDS}
    document["submitted_at"] = _iso(row["submitted_at"])
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``timestamp + "." + body`` with ``secret``."""
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def headers(secret: bytes, delivery_id: str, body: bytes,
            timestamp: str | None = None) -> dict[str, str]:
    """The headers of one POST: content type, delivery id and signature (``t`` = now)."""
    timestamp = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json",
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: f"t={timestamp},v1={sign(secret, timestamp, body)}",
    }


def verify_signature(secret: bytes, header: str, body: bytes, tolerance_s: float = 300,
                     now: float | None = None) -> bool:
    """For receivers: whether ``header`` (``X-Formengine-Signature``) signs ``body`` with
    ``secret`` and its timestamp is within ``tolerance_s`` seconds of ``now`` (default:
    the clock), which rejects replays of old requests. Several ``v1=`` are accepted (one
    matching is enough), so a secret can be rotated."""
    timestamp, signatures = "", []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if not timestamp.isdigit() or not signatures:
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)


def backoff_delay(attempts: int, backoff: float, cap: float, jitter: float = 0.0) -> float:
    """Seconds before the next attempt after ``attempts`` attempts (1, 2, ...):
    ``min(cap, backoff * 2**(attempts - 1))``, less up to ``jitter`` (a fraction) of it."""
    delay = min(cap, backoff * 2.0 ** min(max(attempts - 1, 0), 60))
    return delay * (1.0 - jitter * random.random())


# --- entries and reports -----------------------------------------------------------------


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row as shown to operators (no personal data: no owner, no record)."""

    delivery_id: str
    receipt: str
    procedure: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times in ISO 8601 UTC)."""
        return {key: _iso(value) if isinstance(value, datetime) else value
                for key, value in asdict(self).items()}


@dataclass(frozen=True)
class DeliveryReport:
    """What one :meth:`Outbox.deliver_due` did: rows claimed, and how their attempts ended."""

    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    parked: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(self.claimed + other.claimed, self.delivered + other.delivered,
                              self.failed + other.failed, self.parked + other.parked)

    def __str__(self) -> str:
        return (f"{self.delivered} delivered, {self.failed} to retry, {self.parked} parked "
                f"({self.claimed} attempted)")


# --- the outbox --------------------------------------------------------------------------

#: Columns read for a delivery: the outbox row and its submission.
_DELIVERY_COLUMNS = (
    outbox.c.id, outbox.c.submission_id, outbox.c.delivery_id, outbox.c.attempts,
    submissions.c.receipt, submissions.c.procedure, submissions.c.version,
    submissions.c.content_hash, submissions.c.owner, submissions.c.submitted_at,
    submissions.c.record, submissions.c.signature, submissions.c.key_id, submissions.c.tenant,
)

_ENTRY_COLUMNS = (
    outbox.c.delivery_id, submissions.c.receipt, submissions.c.procedure, outbox.c.state,
    outbox.c.attempts, outbox.c.next_attempt_at, outbox.c.last_error, outbox.c.created_at,
    outbox.c.delivered_at,
)


class Outbox:
    """Delivers the ``outbox`` rows of ``engine`` to ``webhook_url``, signed with ``secret``;
    a submission made through a tenant whose ``routes`` entry names its own webhook
    (``{tenant: (url, secret)}``) goes there instead. A row with nowhere to go (no route
    and no ``webhook_url``) fails like an unreachable receiver, and is parked in the end.

    ``max_attempts`` attempts before a row is parked; after the n-th failed attempt the
    next one is ``min(backoff_cap, backoff * 2**(n-1))`` seconds later, less up to
    ``jitter`` of it. ``timeout`` (seconds) bounds connecting and each read and write;
    ``lease`` (seconds) is how long a claimed row is withheld from other workers (it must
    exceed a delivery; a worker that dies mid-delivery leaves its rows due after it).
    ``client``: an ``httpx.Client`` to use (default: a pooled one, closed by :meth:`close`).
    """

    def __init__(self, engine: Engine, webhook_url: str, secret: bytes, *,
                 max_attempts: int = 8, backoff: float = 30.0, backoff_cap: float = 3600.0,
                 timeout: float = 10.0, client: httpx.Client | None = None,
                 lease: float = 300.0, jitter: float = 0.2,
                 routes: Mapping[str, tuple[str, bytes]] | None = None) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if (webhook_url and not secret) or any(not key for _, key in (routes or {}).values()):
            raise ValueError("an empty webhook secret signs nothing")
        self.routes = dict(routes or {})
        self.engine = engine
        self.webhook_url = webhook_url
        self.secret = secret
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.timeout = timeout
        self.lease = timedelta(seconds=max(lease, timeout * 4))
        self.jitter = jitter
        self._own_client = client is None
        self.client = client or httpx.Client(timeout=timeout)

    def close(self) -> None:
        """Close the HTTP client when the outbox created it."""
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    # --- delivering ----------------------------------------------------------------------

    def deliver_due(self, now: datetime | None = None, limit: int = 50,
                    stop: threading.Event | None = None) -> DeliveryReport:
        """Claim up to ``limit`` pending rows due at ``now`` (default: the clock) and
        deliver each once; the report counts the outcomes. When ``stop`` is set, the rows
        not attempted yet are released (due again at once) and the report ends there."""
        now = now or datetime.now(UTC)
        lease_until = now + self.lease
        rows = self._claim(now, lease_until, limit)
        delivered = failed = parked = 0
        for done, row in enumerate(rows):
            if stop is not None and stop.is_set():
                self._release(rows[done:], now, lease_until)
                rows = rows[:done]
                break
            error = self._post(row)
            if error is None:
                delivered += self._delivered(row, now)
            else:
                outcome = self._failed(row, now, lease_until, error)
                failed += outcome == "pending"
                parked += outcome == "parked"
        return DeliveryReport(len(rows), delivered, failed, parked)

    def _begin(self) -> Connection:
        """A connection whose transactions take SQLite's write lock at once (BEGIN IMMEDIATE)."""
        return self.engine.connect().execution_options(**WRITE_INTENT)

    def _claim(self, now: datetime, lease_until: datetime,
               limit: int) -> builtins.list[sa.RowMapping]:
        """Claim due rows: their ``next_attempt_at`` becomes ``lease_until`` (the lease)."""
        due = (sa.select(outbox.c.id)
               .where(outbox.c.state == "pending", outbox.c.next_attempt_at <= now)
               .order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit))
        with self._begin() as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                # Rows another worker is claiming are skipped, not waited for.
                ids = list(connection.scalars(due.with_for_update(skip_locked=True)))
                if ids:
                    connection.execute(outbox.update().where(outbox.c.id.in_(ids))
                                       .values(next_attempt_at=lease_until))
            else:
                ids = []
                for candidate in connection.scalars(due).all():
                    claimed = connection.execute(
                        outbox.update()
                        .where(outbox.c.id == candidate, outbox.c.state == "pending",
                               outbox.c.next_attempt_at <= now)
                        .values(next_attempt_at=lease_until))
                    if claimed.rowcount == 1:
                        ids.append(candidate)
            if not ids:
                return []
            rows = connection.execute(
                sa.select(*_DELIVERY_COLUMNS)
                .join(submissions, submissions.c.id == outbox.c.submission_id)
                .where(outbox.c.id.in_(ids))
                .order_by(outbox.c.next_attempt_at, outbox.c.id)).mappings().all()
        return list(rows)

    def _release(self, rows: Sequence[sa.RowMapping], now: datetime,
                 lease_until: datetime) -> None:
        """Give claimed rows back (due at ``now``) while this worker still holds them."""
        with self._begin() as connection, connection.begin():
            connection.execute(
                outbox.update()
                .where(outbox.c.id.in_([row["id"] for row in rows]),
                       outbox.c.state == "pending", outbox.c.next_attempt_at == lease_until)
                .values(next_attempt_at=now))

    def _post(self, row: Mapping[Any, Any]) -> str | None:
        """POST one delivery; None on a 2xx, else a short reason without personal data."""
        try:
            body = payload(row)
        except (TypeError, ValueError) as exc:  # a row that cannot be sent: counted, parked
            return f"payload {type(exc).__name__}"
        url, secret = self.routes.get(row.get("tenant") or "", (self.webhook_url, self.secret))
        if not url:
            return "no webhook"
        try:
            response = self.client.post(url, content=body,
                                        headers=headers(secret, row["delivery_id"], body),
                                        timeout=self.timeout)
        except httpx.HTTPError as exc:  # timeouts, refused connections, protocol errors
            return type(exc).__name__
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"

    def _delivered(self, row: Mapping[Any, Any], now: datetime) -> int:
        """Record a 2xx: the row is delivered (whoever holds the lease now), and so is the
        submission unless it is already further along."""
        with self._begin() as connection, connection.begin():
            done = connection.execute(
                outbox.update()
                .where(outbox.c.id == row["id"], outbox.c.state == "pending")
                .values(state="delivered", delivered_at=now, last_error=None,
                        attempts=outbox.c.attempts + 1))
            connection.execute(
                submissions.update()
                .where(submissions.c.id == row["submission_id"],
                       submissions.c.status == "received")
                .values(status="delivered"))
        return 1 if done.rowcount == 1 else 0

    def _failed(self, row: Mapping[Any, Any], now: datetime, lease_until: datetime,
                error: str) -> str | None:
        """Count a failed attempt: due again after the backoff, or parked. Only while this
        worker still holds the lease (else the worker that took the row over decides)."""
        attempts = row["attempts"] + 1
        parked = attempts >= self.max_attempts
        delay = backoff_delay(attempts, self.backoff, self.backoff_cap, self.jitter)
        with self._begin() as connection, connection.begin():
            updated = connection.execute(
                outbox.update()
                .where(outbox.c.id == row["id"], outbox.c.state == "pending",
                       outbox.c.next_attempt_at == lease_until)
                .values(attempts=attempts, last_error=error[:200],
                        state="parked" if parked else "pending",
                        next_attempt_at=now if parked else now + timedelta(seconds=delay)))
        if updated.rowcount != 1:
            return None
        return "parked" if parked else "pending"

    def run(self, stop_event: threading.Event, interval: float = 5.0,
            limit: int = 50) -> DeliveryReport:
        """Deliver what is due every ``interval`` seconds (at once again after a full batch)
        until ``stop_event`` is set (the delivery in progress ends first; the rest of the
        batch is released); the total report. A database error is logged (its
        class only) and retried after ``interval``."""
        total = DeliveryReport()
        while not stop_event.is_set():
            try:
                report = self.deliver_due(limit=limit, stop=stop_event)
            except SQLAlchemyError as exc:
                log.warning("outbox: database error (%s), retrying in %.0f s",
                            type(exc).__name__, interval)
                report = DeliveryReport()
            else:
                total += report
                if report.claimed:
                    log.info("outbox: %s", report)
            if report.claimed < limit:
                stop_event.wait(interval)
        return total

    # --- operators -----------------------------------------------------------------------

    def _entries(self) -> sa.Select[Any]:
        return sa.select(*_ENTRY_COLUMNS).join(
            submissions, submissions.c.id == outbox.c.submission_id)

    def _key(self, key: str) -> sa.ColumnElement[bool]:
        return sa.or_(outbox.c.delivery_id == key, submissions.c.receipt == key)

    def get(self, key: str) -> OutboxEntry | None:
        """The entry whose delivery id or submission receipt is ``key``, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(self._entries().where(self._key(key))).mappings().first()
        return OutboxEntry(**row) if row is not None else None

    def retry(self, delivery_or_receipt: str, now: datetime | None = None) -> bool:
        """Put a parked entry back: pending, due at ``now``, attempts from 0 (``last_error``
        is kept until it is delivered). False when the entry is not parked; LookupError when
        no entry has this delivery id or receipt."""
        entry = self.get(delivery_or_receipt)
        if entry is None:
            raise LookupError("no outbox entry with this delivery id or receipt")
        with self._begin() as connection, connection.begin():
            changed = connection.execute(
                outbox.update()
                .where(outbox.c.delivery_id == entry.delivery_id, outbox.c.state == "parked")
                .values(state="pending", attempts=0, next_attempt_at=now or datetime.now(UTC)))
        return changed.rowcount == 1

    def list(self, state: str | None = None, limit: int = 100) -> builtins.list[OutboxEntry]:
        """Entries, optionally of one state, the oldest first."""
        if state is not None and state not in OUTBOX_STATES:
            raise ValueError(f"state must be one of {', '.join(OUTBOX_STATES)}")
        query = self._entries().order_by(outbox.c.created_at, outbox.c.id).limit(limit)
        if state is not None:
            query = query.where(outbox.c.state == state)
        with self.engine.connect() as connection:
            return [OutboxEntry(**row) for row in connection.execute(query).mappings()]
