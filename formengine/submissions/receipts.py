"""Receipt numbers: short, unique, easy to read out and type back.

Eight characters from an alphabet without the look-alikes 0/O, 1/I/L and U/V confusions
(``23456789ABCDEFGHJKMNPQRSTWXYZ``, 29 symbols), shown as two groups: ``K7QM-2XHD``. That is
about 5 × 10^11 numbers; the database's unique constraint catches the rare repeat.
"""

from __future__ import annotations

import re
import secrets
from typing import Final

__all__ = ["ALPHABET", "new_receipt", "normalize_receipt"]

ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTWXYZ"
_LENGTH: Final = 8
_SHAPE: Final = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_receipt() -> str:
    """A random receipt number, ``XXXX-XXXX``."""
    text = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    return f"{text[:4]}-{text[4:]}"


def normalize_receipt(typed: str) -> str | None:
    """The receipt number a person typed (any case, spaces or dashes anywhere), or None
    when it cannot be one."""
    text = re.sub(r"[\s\-_.]", "", typed).upper()
    if len(text) != _LENGTH:
        return None
    candidate = f"{text[:4]}-{text[4:]}"
    return candidate if _SHAPE.match(candidate) else None
