"""Co-applicant consents: another person lets the applicant's form read their record.

The applicant asks with the co-applicant's personal ID and gets a link to pass on; the
co-applicant opens it, signs in as themselves and agrees or refuses. Only a granted,
unexpired consent lets the prefill read the co-applicant's record, for that applicant and
that procedure. The link carries a random token; the table keeps only its SHA-256.
One request per applicant and procedure: asking again replaces the previous one.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping

from formengine.storage.tables import consents

__all__ = ["CONSENT_DAYS", "Consent", "ConsentStore"]

#: Days a request stays open, and a granted consent stays usable.
CONSENT_DAYS: Final = 7

Status = Literal["pending", "granted", "refused"]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Consent:
    """One request: who asked whom, for which procedure, and what they decided."""

    requester: str
    subject: str
    procedure: str
    status: Status
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    expires_at: datetime.datetime

    @classmethod
    def from_row(cls, row: RowMapping) -> Consent:
        """The consent of a ``consents`` row."""
        return cls(row["requester"], row["subject"], row["procedure"], row["status"],
                   row["created_at"], row["decided_at"], row["expires_at"])


@dataclass
class ConsentStore:
    """Consents in the engine database."""

    engine: Engine
    days: int = CONSENT_DAYS

    def ask(self, requester: str, subject: str, procedure: str,
            now: datetime.datetime | None = None) -> tuple[str, Consent]:
        """A new pending request (replacing the applicant's previous one for the
        procedure) and the token of its link."""
        now = now or _now()
        token = secrets.token_urlsafe(24)
        consent = Consent(requester, subject, procedure, "pending", now, None,
                          now + datetime.timedelta(days=self.days))
        with self.engine.begin() as connection:
            connection.execute(consents.delete().where(consents.c.requester == requester,
                                                       consents.c.procedure == procedure))
            connection.execute(consents.insert().values(
                token_hash=_hash(token), requester=requester, subject=subject,
                procedure=procedure, status="pending", created_at=now,
                expires_at=consent.expires_at))
        return token, consent

    def by_token(self, token: str) -> Consent | None:
        """The unexpired request of a link's token."""
        return self._one(consents.c.token_hash == _hash(token))

    def of(self, requester: str, procedure: str) -> Consent | None:
        """The applicant's unexpired request for ``procedure``."""
        return self._one(consents.c.requester == requester, consents.c.procedure == procedure)

    def _one(self, *where: sa.ColumnElement[bool]) -> Consent | None:
        query = sa.select(consents).where(*where, consents.c.expires_at > _now())
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else Consent.from_row(row)

    def decide(self, token: str, subject: str, granted: bool,
               now: datetime.datetime | None = None) -> Consent | None:
        """Record the co-applicant's answer; None when the link is unknown or expired, or
        ``subject`` is not the person asked. A granted consent is usable for ``days``."""
        now = now or _now()
        where = (consents.c.token_hash == _hash(token), consents.c.subject == subject,
                 consents.c.expires_at > now)
        values: dict[str, object] = {"status": "granted" if granted else "refused",
                                     "decided_at": now}
        if granted:
            values["expires_at"] = now + datetime.timedelta(days=self.days)
        with self.engine.begin() as connection:
            done = connection.execute(consents.update().where(*where).values(**values))
        return self.by_token(token) if done.rowcount else None

    def cancel(self, requester: str, procedure: str) -> None:
        """Withdraw the applicant's request for ``procedure`` (whatever its state)."""
        with self.engine.begin() as connection:
            connection.execute(consents.delete().where(consents.c.requester == requester,
                                                       consents.c.procedure == procedure))

    def purge(self, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
        """Delete expired requests (only count them with ``dry_run``); how many."""
        expired = consents.c.expires_at <= (now or _now())
        with self.engine.begin() as connection:
            if dry_run:
                count = connection.execute(
                    sa.select(sa.func.count()).select_from(consents).where(expired)).scalar()
                return int(count or 0)
            done = connection.execute(consents.delete().where(expired))
        return int(done.rowcount)
