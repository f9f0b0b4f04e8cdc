"""Combined services (``x-procedure.bundle``): one submission split into linked parts.

One form, one submission, one receipt, one signature and one delivery; the stored record
carries ``parts``, one per procedure of the bundle, each with the answers that procedure
needs, so the processing system can route them and keep them linked by the receipt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["split"]


def split(bundle: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parts of a bundle: ``{"procedure", "title", "answers"}`` with the subset of
    ``answers`` each part names (top-level pointers; unanswered ones are left out)."""
    parts: list[dict[str, Any]] = []
    for part in bundle:
        names = [pointer[1:] for pointer in part["answers"]]
        parts.append({"procedure": part["procedure"], "title": part["title"],
                      "answers": {name: answers[name] for name in names if name in answers}})
    return parts
