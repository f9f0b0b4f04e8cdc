"""All definitions served by one app, loaded once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from formengine.definitions.loader import DefinitionError, load_definition
from formengine.definitions.model import FormDefinition, Problem

log = logging.getLogger(__name__)


def definition_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Definition files under ``paths`` (files as given; folders: ``*.json``, not components)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.glob("*.json") if p.is_file())
        else:
            yield path


class Catalog:
    """The definitions of an app by procedure id; broken files are refused and remembered."""

    def __init__(self, definitions: Iterable[FormDefinition], problems: Iterable[Problem] = ()):
        self._by_id = {d.id: d for d in definitions}
        self.problems = list(problems)

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Catalog:
        """Load every definition under ``paths``; a broken one is logged and left out."""
        loaded: list[FormDefinition] = []
        problems: list[Problem] = []
        for file in definition_files(paths):
            try:
                definition = load_definition(file)
            except DefinitionError as exc:
                problems.extend(exc.problems)
                log.error("definition refused: %s", exc)
                continue
            clash = next((d for d in loaded if d.id == definition.id), None)
            if clash is not None:
                problem = Problem(str(file), "/x-procedure/id", f"procedure id "
                                  f"`{definition.id}` is already used by {clash.path}")
                problems.append(problem)
                log.error("definition refused: %s", problem)
                continue
            loaded.append(definition)
        return cls(loaded, problems)

    def get(self, procedure_id: str) -> FormDefinition | None:
        """The definition of ``procedure_id``, or None."""
        return self._by_id.get(procedure_id)

    def __iter__(self) -> Iterator[FormDefinition]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
