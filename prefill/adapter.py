"""The population-data adapter protocol, its answer types and its typed failures.

An adapter looks a citizen up by personal ID in some population-data source (the embedded
SQLite file, a remote service). Every lookup names the procedure it serves (``procedure``,
the ``x-procedure.id``), so a source can audit why data was read. Failures are typed:
:class:`NotFound` (no such person), :class:`Unavailable` (the source cannot answer) and its
subclass :class:`Timeout` (it did not answer in time). Messages of these errors never
contain personal data, so they may be logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from prefill.model import Citizen

__all__ = [
    "Health",
    "Linked",
    "NotFound",
    "PopulationAdapter",
    "PrefillError",
    "Timeout",
    "Unavailable",
]


class PrefillError(Exception):
    """Base of every adapter failure."""


class NotFound(PrefillError):
    """The source holds no citizen with this personal ID."""


class Unavailable(PrefillError):
    """The source cannot answer now (missing, corrupt, unreachable, failing)."""


class Timeout(Unavailable):
    """The source did not answer within its time budget (a kind of :class:`Unavailable`)."""


@dataclass(frozen=True)
class Health:
    """The answer of :meth:`PopulationAdapter.health`: ok, and a short operator note."""

    ok: bool
    detail: str = ""

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class Linked:
    """A citizen's relatives that the source holds records of.

    A relative the record names without a personal ID, or whose ID the source does not
    know, is absent here (their name is still in the citizen's own record).
    """

    father: Citizen | None = None
    mother: Citizen | None = None
    spouse: Citizen | None = None
    children: tuple[Citizen, ...] = field(default=())

    def subject(self, name: str) -> tuple[Citizen, ...]:
        """The records of one subject ("father", "mother", "spouse" or "children")."""
        if name == "children":
            return self.children
        if name not in ("father", "mother", "spouse"):
            raise KeyError(name)
        person: Citizen | None = getattr(self, name)
        return () if person is None else (person,)


@runtime_checkable
class PopulationAdapter(Protocol):
    """A source of Citizen records.

    Implementations must be safe to call from several threads at once.
    """

    @property
    def source(self) -> str:
        """A short name of the source, kept with prefilled values ("sqlite", "http")."""
        ...

    def citizen(self, personal_id: str, *, procedure: str) -> Citizen:
        """The record of ``personal_id``; :class:`NotFound` if there is none."""
        ...

    def household(self, personal_id: str, *, procedure: str) -> list[Citizen]:
        """Every member of the person's household (the person included), the head first.

        Empty when the record has no household; :class:`NotFound` for an unknown person.
        """
        ...

    def linked(self, personal_id: str, *, procedure: str) -> Linked:
        """The records of the person's father, mother, spouse and children."""
        ...

    def health(self) -> Health:
        """Whether the source answers (never raises)."""
        ...
