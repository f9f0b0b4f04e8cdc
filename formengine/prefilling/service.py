"""Reading the register for a form: within a time budget, only what may be read, audited.

:class:`PrefillService` is the only code that calls the population adapter for forms. It
looks up the signed-in person and, only when the definition's bindings need them, their
household and relatives; every lookup writes an audit entry (who asked, whose data, which
attributes, which procedure, the result; never values). A register that fails or is
slower than the budget gives a snapshot with status ``unavailable``, never an exception.
Log lines carry the procedure and the outcome, never personal data.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Final

from formengine.definitions.bindings import Binding
from formengine.definitions.model import FormDefinition
from formengine.prefilling.snapshot import Records, Snapshot, read_attribute, take
from formengine.storage.audit import AuditEntry, AuditError, AuditLog, AuditResult
from prefill.adapter import Linked, NotFound, PopulationAdapter, Timeout, Unavailable
from prefill.model import Citizen

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_BUDGET", "Forbidden", "PrefillService"]

#: Seconds the register may take before the form opens without it.
DEFAULT_BUDGET: Final = 2.0

_HOUSEHOLD: Final = frozenset({"household_head", "household_members"})
_LINKED: Final = frozenset({"father", "mother", "spouse", "children"})


class Forbidden(Exception):
    """The requested person is neither the signed-in person nor linked to them."""


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _attributes(bindings: Iterable[Binding], subjects: Iterable[str]) -> tuple[str, ...]:
    wanted = set(subjects)
    return tuple(sorted({b.attribute for b in bindings if b.subject in wanted}))


@dataclass
class PrefillService:
    """Register lookups for forms (one per app; safe to share between request threads)."""

    adapter: PopulationAdapter
    audit: AuditLog
    budget: float = DEFAULT_BUDGET
    workers: int = 8

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="prefill")

    def close(self) -> None:
        """Stop the worker threads."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _within_budget(self, work: Callable[[], Any]) -> Any:
        future = self._pool.submit(work)
        try:
            return future.result(timeout=self.budget)
        except FutureTimeout:
            future.cancel()
            raise Timeout(f"no answer within {self.budget:g} s") from None

    def _record(self, requester: str | None, subject: str | None, procedure: str,
                attributes: tuple[str, ...], result: AuditResult,
                request_id: str | None) -> None:
        self.audit.record(AuditEntry(requester, subject, procedure, attributes,
                                     self.adapter.source, result, request_id))

    def snapshot(self, definition: FormDefinition, person_id: str,
                 request_id: str | None = None, co_applicant: str | None = None) -> Snapshot:
        """The register's data for ``definition``, looked up for the signed-in ``person_id``
        (and for ``co_applicant``, who consented, when the definition binds that subject).

        Status ``unavailable`` when the register fails, is slower than the budget or the
        audit cannot be written; ``not_found`` when it has no record of the person.
        """
        bindings = definition.bindings
        subjects = {b.subject for b in bindings}
        procedure = definition.id
        fetched_at = _now()

        def lookups() -> Records:
            person = self.adapter.citizen(person_id, procedure=procedure)
            household: list[Citizen] = []
            if subjects & _HOUSEHOLD:
                household = self.adapter.household(person_id, procedure=procedure)
            linked = Linked()
            if subjects & _LINKED:
                linked = self.adapter.linked(person_id, procedure=procedure)
            other = None
            if co_applicant and "co_applicant" in subjects and co_applicant != person_id:
                try:
                    other = self.adapter.citizen(co_applicant, procedure=procedure)
                except NotFound:  # their record went away since they consented
                    other = None
            records = Records(
                person.model_dump(mode="json"),
                tuple(m.model_dump(mode="json") for m in household),
                father=_dump(linked.father), mother=_dump(linked.mother),
                spouse=_dump(linked.spouse),
                children=tuple(c.model_dump(mode="json") for c in linked.children),
                co_applicant=_dump(other),
            )
            # One entry per person whose record is used, with what is read of it.
            read: dict[str, set[str]] = {person_id: set()}
            for name in sorted(subjects):
                for record in records.subject(name):
                    if whose := record.get("personal_id"):
                        read.setdefault(whose, set()).update(_attributes(bindings, {name}))
            self.audit.record_many([
                AuditEntry(person_id, whose, procedure, tuple(sorted(attributes)),
                           self.adapter.source, "ok", request_id)
                for whose, attributes in read.items()])
            return records

        try:
            records = self._within_budget(lookups)
        except NotFound:
            self._safe_record(person_id, person_id, procedure, "not_found", request_id)
            log.info("prefill %s: no register record for the signed-in person", procedure)
            return Snapshot(person_id, "not_found", self.adapter.source, fetched_at)
        except Exception as exc:  # a failing register never fails the form
            result: AuditResult = "timeout" if isinstance(exc, Timeout) else "unavailable"
            self._safe_record(person_id, person_id, procedure, result, request_id)
            expected = isinstance(exc, (Unavailable, AuditError))
            # The type only: an adapter's message could hold what it was asked.
            (log.warning if expected else log.error)(
                "prefill %s: register %s (%s)", procedure, result, type(exc).__name__)
            return Snapshot(person_id, "unavailable", self.adapter.source, fetched_at)
        log.info("prefill %s: ok", procedure)
        return take(definition, records, source=self.adapter.source, fetched_at=fetched_at)

    def _safe_record(self, requester: str | None, subject: str | None, procedure: str,
                     result: AuditResult, request_id: str | None) -> None:
        """Audit a failed lookup; a failing audit store is logged (the lookup failed anyway)."""
        try:
            self._record(requester, subject, procedure, (), result, request_id)
        except AuditError:
            log.error("prefill %s: the audit entry of a failed lookup could not be stored",
                      procedure)

    def name(self, personal_id: str, *, requester: str, procedure: str,
             request_id: str | None = None) -> str:
        """The full name of ``personal_id``, read (audited) for ``requester`` to see who
        asks for their consent. Raises the adapter's errors."""

        def lookup() -> str:
            found = self.adapter.citizen(personal_id, procedure=procedure)
            self._record(requester, personal_id, procedure, ("full_name",), "ok", request_id)
            return found.full_name.text

        try:
            text: str = self._within_budget(lookup)
        except NotFound:
            self._safe_record(requester, personal_id, procedure, "not_found", request_id)
            raise
        except (Unavailable, AuditError) as exc:
            result: AuditResult = "timeout" if isinstance(exc, Timeout) else "unavailable"
            self._safe_record(requester, personal_id, procedure, result, request_id)
            raise Unavailable(type(exc).__name__) from None
        return text

    def person(self, definition: FormDefinition, requester: str, personal_id: str,
               request_id: str | None = None) -> dict[str, Any]:
        """The attributes ``definition`` reads, of ``personal_id``: the signed-in person
        or someone their record links them to (household, parents, spouse, children).

        Raises :class:`Forbidden` (audited) for anyone else, :class:`NotFound` or
        :class:`Unavailable` when the register cannot answer.
        """
        procedure = definition.id
        attributes = tuple(sorted({b.attribute for b in definition.bindings}))

        def lookups() -> dict[str, Any]:
            own = self.adapter.citizen(requester, procedure=procedure)
            allowed = _linked_ids(own)
            self._record(requester, requester, procedure, ("household", "father", "mother",
                         "spouse", "children"), "ok", request_id)
            if personal_id not in allowed:
                self._record(requester, personal_id, procedure, attributes, "forbidden",
                             request_id)
                raise Forbidden()
            target = own if personal_id == requester else self.adapter.citizen(
                personal_id, procedure=procedure)
            self._record(requester, personal_id, procedure, attributes, "ok", request_id)
            return target.model_dump(mode="json")

        try:
            record: dict[str, Any] = self._within_budget(lookups)
        except (Unavailable, AuditError) as exc:
            result: AuditResult = "timeout" if isinstance(exc, Timeout) else "unavailable"
            self._safe_record(requester, personal_id, procedure, result, request_id)
            raise Unavailable(str(exc)) from None
        except NotFound:
            self._safe_record(requester, personal_id, procedure, "not_found", request_id)
            raise

        return {path: read_attribute(record, path)[0] for path in attributes if "[]" not in path}


def _dump(person: Citizen | None) -> dict[str, Any] | None:
    return None if person is None else person.model_dump(mode="json")


def _linked_ids(person: Citizen) -> set[str]:
    """The personal IDs a person may have prefilled: their own and their relatives'."""
    ids = {person.personal_id}
    if person.household is not None:
        ids.update(m.personal_id for m in person.household.members)
    for ref in (person.father, person.mother, person.spouse, *person.children):
        if ref is not None and ref.personal_id:
            ids.add(ref.personal_id)
    return ids
