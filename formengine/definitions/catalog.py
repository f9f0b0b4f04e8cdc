"""All definitions served by one app, loaded once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from formengine.definitions.loader import DefinitionError, load_definition
from formengine.definitions.model import FormDefinition, Problem

log = logging.getLogger(__name__)

#: The subfolder of a definitions folder that keeps earlier versions (``formengine keep``).
VERSIONS = "versions"


def definition_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Definition files under ``paths`` (files as given; folders: ``*.json``, not components)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.glob("*.json") if p.is_file())
        else:
            yield path


def _load(files: Iterable[Path], same: str) -> tuple[list[FormDefinition], list[Problem]]:
    """The definitions of ``files`` and the problems of the refused ones; two files with the
    same id (``same="id"``) or the same id and version (``same="version"``) clash."""
    loaded: list[FormDefinition] = []
    problems: list[Problem] = []
    for file in files:
        try:
            definition = load_definition(file)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            log.error("definition refused: %s", exc)
            continue
        clash = next((d for d in loaded if d.id == definition.id and (
            same == "id" or d.version == definition.version)), None)
        if clash is not None:
            what = f"procedure id `{definition.id}`" + (
                "" if same == "id" else f" version `{definition.version}`")
            problem = Problem(str(file), "/x-procedure/id", f"{what} is already used by "
                              f"{clash.path}")
            problems.append(problem)
            log.error("definition refused: %s", problem)
            continue
        loaded.append(definition)
    return loaded, problems


class Catalog:
    """The definitions of an app by procedure id; broken files are refused and remembered.

    Earlier versions kept in a ``versions/`` subfolder stay available by id and version
    (:meth:`get` with ``version``) for the drafts and submissions made on them; they are
    not listed, and a new form always starts on the current version.
    """

    def __init__(self, definitions: Iterable[FormDefinition], problems: Iterable[Problem] = (),
                 kept: Iterable[FormDefinition] = ()):
        self._by_id = {d.id: d for d in definitions}
        self._kept = {(d.id, d.version): d for d in kept
                      if d.id in self._by_id and self._by_id[d.id].version != d.version}
        self.problems = list(problems)

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Catalog:
        """Load every definition under ``paths``, and the earlier versions kept in their
        folders' ``versions/`` subfolder; a broken one is logged and left out."""
        paths = list(paths)
        current, problems = _load(definition_files(paths), same="id")
        folders = dict.fromkeys(p if p.is_dir() else p.parent for p in paths)
        kept, kept_problems = _load(definition_files(
            [f / VERSIONS for f in folders if (f / VERSIONS).is_dir()]), same="version")
        return cls(current, [*problems, *kept_problems], kept)

    def get(self, procedure_id: str, version: str | None = None) -> FormDefinition | None:
        """The current definition of ``procedure_id`` (or its kept ``version``), or None."""
        current = self._by_id.get(procedure_id)
        if version is None or (current is not None and current.version == version):
            return current
        return self._kept.get((procedure_id, version))

    def versions(self, procedure_id: str) -> list[str]:
        """The versions of ``procedure_id`` on offer: the kept ones, then the current one."""
        current = self._by_id.get(procedure_id)
        kept = sorted(v for (i, v) in self._kept if i == procedure_id)
        return [*kept, current.version] if current else kept

    def __iter__(self) -> Iterator[FormDefinition]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
