"""Tests for formengine.submissions.signing."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from formengine.submissions.signing import Signer, canonical, load_or_create_key

KEY = base64.b64encode(bytes(range(32))).decode()


def test_canonical_json_is_stable() -> None:
    assert canonical({"b": 1, "a": "Nguyễn"}) == '{"a":"Nguyễn","b":1}'.encode()


def test_sign_and_verify() -> None:
    signer = Signer.from_text(KEY)
    value = {"receipt": "K7QM-2XHD", "record": {"answers": {"x": 1}}}
    signature = signer.sign(value)
    assert signer.verify(value, signature)
    assert not signer.verify({**value, "receipt": "K7QM-2XHE"}, signature)
    assert not signer.verify(value, base64.b64encode(b"x" * 64).decode())
    assert not signer.verify(value, "not base64!")
    other = Signer.from_text(base64.b64encode(bytes(32)).decode())
    assert not other.verify(value, signature)
    assert len(signer.key_id) == 16 and signer.key_id != other.key_id
    assert len(base64.b64decode(signer.public_text)) == 32


@pytest.mark.parametrize("text", ["", "abc", base64.b64encode(b"short").decode()])
def test_bad_keys_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Signer.from_text(text)


def test_key_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "signing_key"
    first = load_or_create_key(path)
    assert load_or_create_key(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Signer.from_text(first)
