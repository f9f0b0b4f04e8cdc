"""Drafts and submissions in the engine database (SQLAlchemy Core).

Exactly once: a submission is stored with the idempotency key its form carried
(``submission_key``, unique in the table), in one transaction with its outbox row. A double
click, a retry after a timeout or a second tab sends the same key and gets the first
submission back, never a second one. Each submission is pinned to the definition's id,
version and content hash, and signed (submissions/signing.py).
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from formengine.definitions.model import FormDefinition
from formengine.storage.db import WRITE_INTENT
from formengine.storage.tables import drafts, outbox, submissions
from formengine.submissions.receipts import new_receipt
from formengine.submissions.signing import Signer

__all__ = ["Conflict", "Draft", "PurgeReport", "Stored", "SubmissionStore", "new_key"]

UTC = datetime.UTC


def _now() -> datetime.datetime:
    return datetime.datetime.now(UTC)


def new_key() -> str:
    """A fresh idempotency key for a form (128 random bits)."""
    return secrets.token_urlsafe(16)


class Conflict(Exception):
    """The idempotency key belongs to another person's or procedure's submission."""


@dataclass(frozen=True)
class Stored:
    """A stored submission as the store gives it back."""

    receipt: str
    owner: str | None
    procedure: str
    version: str
    content_hash: str
    record: Mapping[str, Any] | None
    signature: str
    key_id: str
    status: str
    submitted_at: datetime.datetime
    processed_at: datetime.datetime | None = None
    purged_at: datetime.datetime | None = None
    created: bool = False
    #: The tenant (province portal) the submission came through; None: our own site.
    tenant: str | None = None

    def signed_part(self) -> dict[str, Any]:
        """What the signature covers (the tenant too, when there is one)."""
        part = {"receipt": self.receipt, "procedure": self.procedure,
                "version": self.version, "content_hash": self.content_hash,
                "owner": self.owner, "submitted_at": self.submitted_at.isoformat(),
                "record": self.record}
        if self.tenant is not None:
            part["tenant"] = self.tenant
        return part

    @classmethod
    def from_row(cls, row: RowMapping, created: bool = False) -> Stored:
        """The submission of a ``submissions`` row."""
        return cls(row["receipt"], row["owner"], row["procedure"], row["version"],
                   row["content_hash"], row["record"], row["signature"], row["key_id"],
                   row["status"], row["submitted_at"], row["processed_at"],
                   row["purged_at"], created, row["tenant"])


@dataclass(frozen=True)
class Draft:
    """A citizen's answers so far for one procedure."""

    owner: str
    procedure: str
    version: str
    page: str | None
    answers: Mapping[str, Any]
    snapshot: Mapping[str, Any] | None
    submission_key: str
    updated_at: datetime.datetime
    expires_at: datetime.datetime


@dataclass(frozen=True)
class PurgeReport:
    """What :meth:`SubmissionStore.purge` removed."""

    drafts: int
    submissions: int


@dataclass
class SubmissionStore:
    """Drafts and submissions of one engine database."""

    engine: Engine
    signer: Signer
    draft_days: int = 30

    # --- submissions ----------------------------------------------------------------

    def submit(self, definition: FormDefinition, owner: str | None, key: str,
               record: Mapping[str, Any], now: datetime.datetime | None = None,
               tenant: str | None = None) -> Stored:
        """Store ``record`` once for ``key`` (through ``tenant``'s portal, if any): the new
        submission (``created``), or the one already stored with this key. Raises
        :class:`Conflict` if the key is another person's, procedure's or tenant's."""
        for _ in range(5):  # a repeated receipt number (about 1 in 10^11) draws again
            at = (now or _now()).replace(microsecond=0)
            stored = Stored(new_receipt(), owner, definition.id, definition.version,
                            definition.content_hash, dict(record), "", self.signer.key_id,
                            "received", at, created=True, tenant=tenant)
            signature = self.signer.sign(stored.signed_part())
            try:
                with self.engine.begin() as connection:
                    inserted = connection.execute(submissions.insert().values(
                        receipt=stored.receipt, submission_key=key, owner=owner,
                        procedure=stored.procedure, version=stored.version,
                        content_hash=stored.content_hash, record=stored.record,
                        signature=signature, key_id=stored.key_id, status="received",
                        submitted_at=at, tenant=tenant))
                    primary = inserted.inserted_primary_key
                    assert primary is not None
                    connection.execute(outbox.insert().values(
                        submission_id=primary[0],
                        delivery_id=str(uuid.uuid4()), state="pending", attempts=0,
                        next_attempt_at=at, created_at=at))
                    if owner is not None:
                        connection.execute(drafts.delete().where(
                            drafts.c.owner == owner, drafts.c.procedure == definition.id))
            except IntegrityError:  # the key is stored already (a repeat), or the receipt
                found = self.by_key(key)
                if found is not None:
                    return self._same(found, owner, definition, tenant)
                continue
            return Stored(**{**stored.__dict__, "signature": signature})
        raise RuntimeError("could not store the submission")  # pragma: no cover

    def _same(self, found: Stored, owner: str | None, definition: FormDefinition,
              tenant: str | None) -> Stored:
        if found.owner != owner or found.procedure != definition.id or found.tenant != tenant:
            raise Conflict("this form was already sent by someone else")
        return found

    def by_key(self, key: str) -> Stored | None:
        """The submission stored with idempotency key ``key``."""
        return self._one(submissions.c.submission_key == key)

    def get(self, receipt: str) -> Stored | None:
        """The submission with this receipt number."""
        return self._one(submissions.c.receipt == receipt)

    def _one(self, condition: Any) -> Stored | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(submissions).where(condition)).mappings().first()
        return None if row is None else Stored.from_row(row)

    def for_owner(self, owner: str, limit: int = 100) -> list[Stored]:
        """A person's submissions, newest first."""
        query = (sa.select(submissions).where(submissions.c.owner == owner)
                 .order_by(submissions.c.submitted_at.desc(), submissions.c.id.desc())
                 .limit(limit))
        with self.engine.connect() as connection:
            return [Stored.from_row(r) for r in connection.execute(query).mappings()]

    def verify(self, receipt: str) -> bool | None:
        """Whether the stored submission is intact and signed by this store's key (None
        when there is no such receipt)."""
        found = self.get(receipt)
        if found is None:
            return None
        return found.key_id == self.signer.key_id and self.signer.verify(
            found.signed_part(), found.signature)

    def mark_processed(self, receipt: str, now: datetime.datetime | None = None) -> bool:
        """Record that the processing system has decided the submission."""
        with self.engine.begin() as connection:
            done = connection.execute(submissions.update().where(
                submissions.c.receipt == receipt).values(status="processed",
                                                         processed_at=now or _now()))
        return bool(done.rowcount)

    # --- drafts ---------------------------------------------------------------------

    def draft(self, owner: str, procedure: str) -> Draft | None:
        """The person's unexpired draft of ``procedure``."""
        query = sa.select(drafts).where(drafts.c.owner == owner, drafts.c.procedure == procedure,
                                        drafts.c.expires_at > _now())
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return Draft(row["owner"], row["procedure"], row["version"], row["page"],
                     row["answers"], row["snapshot"], row["submission_key"], row["updated_at"],
                     row["expires_at"])

    def save_draft(self, owner: str, definition: FormDefinition, page: str | None,
                   answers: Mapping[str, Any], snapshot: Mapping[str, Any] | None,
                   key: str) -> Draft:
        """Create or update the person's one draft of the procedure; an existing draft
        keeps its idempotency key (two tabs send one submission)."""
        now = _now()
        expires = now + datetime.timedelta(days=self.draft_days)
        kept_answers = dict(answers)
        kept_snapshot = None if snapshot is None else dict(snapshot)
        values: dict[str, Any] = {"version": definition.version, "page": page,
                                  "answers": kept_answers, "snapshot": kept_snapshot,
                                  "updated_at": now, "expires_at": expires}
        where = (drafts.c.owner == owner, drafts.c.procedure == definition.id)
        for _ in range(3):
            with self.engine.connect() as plain:
                connection = plain.execution_options(**WRITE_INTENT)
                with connection.begin():
                    row = connection.execute(sa.select(drafts.c.submission_key).where(*where)
                                             ).first()
                    if row is not None:
                        connection.execute(drafts.update().where(*where).values(**values))
                        key = row[0]
                        break
                    try:
                        with connection.begin_nested():
                            connection.execute(drafts.insert().values(
                                owner=owner, procedure=definition.id, submission_key=key,
                                created_at=now, **values))
                        break
                    except IntegrityError:
                        continue  # another tab created it meanwhile: update that one
        return Draft(owner, definition.id, definition.version, page, kept_answers,
                     kept_snapshot, key, now, expires)

    def discard_draft(self, owner: str, procedure: str) -> None:
        """Delete the person's draft of ``procedure``."""
        with self.engine.begin() as connection:
            connection.execute(drafts.delete().where(drafts.c.owner == owner,
                                                     drafts.c.procedure == procedure))

    # --- retention ------------------------------------------------------------------

    def purge(self, retention_days: int, now: datetime.datetime | None = None,
              dry_run: bool = False) -> PurgeReport:
        """Delete expired drafts, and erase the personal data (record and owner) of
        submissions processed more than ``retention_days`` ago; the receipt, procedure,
        dates and signature stay, so the receipt still says what happened. ``dry_run``
        counts without changing anything."""
        now = now or _now()
        cutoff = now - datetime.timedelta(days=retention_days)
        with self.engine.connect() as connection:
            transaction = connection.begin()
            gone = connection.execute(drafts.delete().where(drafts.c.expires_at <= now))
            erased = connection.execute(submissions.update().where(
                submissions.c.status == "processed", submissions.c.processed_at <= cutoff,
                submissions.c.purged_at.is_(None)).values(record=None, owner=None,
                                                            purged_at=now))
            report = PurgeReport(gone.rowcount, erased.rowcount)
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        return report
