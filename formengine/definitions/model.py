"""The loaded, checked form of a definition file (frozen, pure data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jsonschema.protocols import Validator

from formengine.definitions.bindings import Binding
from formengine.i18n import LocalText
from formengine.validation.validator import Conditions

JSON = Any


@dataclass(frozen=True)
class Problem:
    """One problem found in a definition file, located by JSON pointer."""

    file: str
    pointer: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Page:
    """One step of a multi-page form: a title and the top-level properties it asks."""

    id: str
    title: LocalText
    fields: tuple[str, ...]
    description: LocalText | None = None


@dataclass(frozen=True)
class FormDefinition:
    """A checked definition: procedure metadata, its pages and its dereferenced schema.

    ``schema`` has every ``$ref`` inlined; it drives rendering and validation alike.
    """

    id: str
    version: str
    procedure: Mapping[str, JSON]
    schema: Mapping[str, JSON]
    pages: tuple[Page, ...]
    path: Path
    content_hash: str
    validator: Validator = field(compare=False, repr=False)
    conditions: Conditions = field(compare=False, repr=False)
    warnings: tuple[Problem, ...] = field(default=())
    #: ``x-prefill`` bindings, one per bound answer (see definitions/bindings.py).
    bindings: tuple[Binding, ...] = field(default=(), compare=False, repr=False)

    def is_valid(self, schema: Mapping[str, JSON], data: JSON) -> bool:
        """Evaluate a condition (an ``if`` subschema) of this definition."""
        return self.conditions.is_valid(schema, data)

    @property
    def title(self) -> LocalText:
        """The procedure's title (localized text)."""
        title: LocalText = self.procedure["title"]
        return title

    @property
    def prefill_unavailable(self) -> str:
        """What the form does when the register cannot answer: allow-manual or block."""
        return str(self.procedure.get("prefill_unavailable", "allow-manual"))

    @property
    def min_assurance(self) -> int:
        """The lowest level of assurance of a sign-in that may use the form (1 or 2); 0 when
        the procedure is open to anyone, signed in or not."""
        level = self.procedure.get("min_assurance", 0)
        return level if isinstance(level, int) else 0

    @property
    def typical_answers(self) -> Mapping[str, JSON]:
        """``x-procedure.typical_answers``: what a typical applicant answers to the
        questions that open branches (counted by coverage; {} when not given)."""
        answers = self.procedure.get("typical_answers")
        return answers if isinstance(answers, Mapping) else {}

    @property
    def typical_relatives(self) -> tuple[str, ...]:
        """``x-procedure.typical_relatives``: the relatives (father, mother, spouse) whose
        own record a typical applicant has (coverage's sample is taken among them)."""
        found = self.procedure.get("typical_relatives")
        return tuple(r for r in found if isinstance(r, str)) if isinstance(found, list) else ()

    def page(self, page_id: str | None) -> Page | None:
        """The page called ``page_id`` (None when unknown)."""
        return next((p for p in self.pages if p.id == page_id), None)
