"""Tests for formengine.submissions.receipts."""

from __future__ import annotations

import re

from formengine.submissions.receipts import ALPHABET, new_receipt, normalize_receipt


def test_receipts_are_short_and_unambiguous() -> None:
    made = {new_receipt() for _ in range(2000)}
    assert len(made) == 2000
    for receipt in made:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", receipt)
        assert not set(receipt) & set("01OILUV")
    assert not set(ALPHABET) & set("01OILUV")


def test_typed_receipts_are_normalised() -> None:
    receipt = new_receipt()
    assert normalize_receipt(receipt.lower()) == receipt
    assert normalize_receipt(" " + receipt.replace("-", " ") + " ") == receipt
    assert normalize_receipt(receipt.replace("-", "")) == receipt
    assert normalize_receipt("ABCD-EFG") is None
    assert normalize_receipt("ABCD-EFG0") is None  # 0 is never used
    assert normalize_receipt("") is None
