"""Signing stored submissions with Ed25519 (``cryptography``).

What is signed is the canonical JSON (sorted keys, no spaces, UTF-8) of the stored
submission: receipt, procedure, version, content hash, owner, submission time and record.
Any change to the stored data, or a signature made with another key, fails
:meth:`Signer.verify`. The key comes from ``FORMENGINE_SIGNING_KEY`` (base64 of the 32-byte
private key); without it one is made once and kept in the instance folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = ["Signer", "canonical", "load_or_create_key"]


def canonical(value: Any) -> bytes:
    """The canonical JSON bytes of ``value`` (what is signed)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Signer:
    """Signs and verifies with one Ed25519 key; ``key_id`` names its public key."""

    private_key: Ed25519PrivateKey

    @classmethod
    def from_text(cls, text: str) -> Signer:
        """The signer of a base64 32-byte private key (``FORMENGINE_SIGNING_KEY``)."""
        raw = base64.b64decode(text.strip(), validate=True)
        if len(raw) != 32:
            raise ValueError("the signing key must be 32 bytes, base64-encoded")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half (what verifiers need)."""
        return self.private_key.public_key()

    @property
    def public_text(self) -> str:
        """The public key as base64 (32 bytes)."""
        raw = self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    @property
    def key_id(self) -> str:
        """A short name of the public key: the first 16 hex digits of its SHA-256."""
        raw = self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:16]

    def sign(self, value: Any) -> str:
        """The base64 signature of ``value``'s canonical JSON."""
        return base64.b64encode(self.private_key.sign(canonical(value))).decode()

    def verify(self, value: Any, signature: str) -> bool:
        """Whether ``signature`` is this key's signature of ``value``."""
        try:
            self.public_key.verify(base64.b64decode(signature), canonical(value))
        except (InvalidSignature, ValueError):
            return False
        return True


def load_or_create_key(path: Path) -> str:
    """The base64 private key kept at ``path``; a new one is made (mode 0600) if missing."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = base64.b64encode(os.urandom(32)).decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return text
