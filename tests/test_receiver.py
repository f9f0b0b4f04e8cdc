"""Tests for formengine.submissions.receiver: the reference receiver of deliveries."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from formengine.definitions.loader import load_definition
from formengine.storage import make_engine, upgrade
from formengine.submissions.outbox import Outbox, headers
from formengine.submissions.receiver import create_receiver
from formengine.submissions.signing import Signer
from formengine.submissions.store import SubmissionStore, new_key
from tests.conftest import BUNDLED
from tests.servers import Server, WsgiApp

SECRET = b"receiver-test-secret"
SIGNING_KEY = "bXktdGVzdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLi4="


def test_deliveries_are_stored_once_and_signatures_checked(
        serve: Callable[[WsgiApp], Server], tmp_path: Path) -> None:
    folder = tmp_path / "received"
    receiver = serve(create_receiver(SECRET, folder))
    engine = make_engine(f"sqlite:///{tmp_path / 'engine.sqlite3'}")
    upgrade(engine)
    store = SubmissionStore(engine, Signer.from_text(SIGNING_KEY))
    definition = load_definition(BUNDLED / "example-residence-registration.json")
    stored = store.submit(definition, "001090000001", new_key(), {"answers": {"a": "Lê"}})
    with Outbox(engine, receiver.url + "/", SECRET) as box:
        report = box.deliver_due()
    assert report.delivered == 1
    [saved] = list(folder.glob("*.json"))
    delivery = json.loads(saved.read_text(encoding="utf-8"))
    assert delivery["receipt"] == stored.receipt and delivery["record"]["answers"]["a"] == "Lê"
    assert Signer.from_text(SIGNING_KEY).verify(
        {k: delivery[k] for k in ("receipt", "procedure", "version", "content_hash", "owner",
                                  "submitted_at", "record")}, delivery["signature"])

    body = saved.read_bytes()
    again = httpx.post(receiver.url + "/", content=body,
                       headers=headers(SECRET, delivery["delivery_id"], body))
    assert again.status_code == 200 and again.json()["message"] == "already received"
    assert len(list(folder.glob("*.json"))) == 1
    forged = httpx.post(receiver.url + "/", content=body,
                        headers=headers(b"wrong", delivery["delivery_id"], body))
    assert forged.status_code == 401
    other = headers(SECRET, "not-the-id", body)
    assert httpx.post(receiver.url + "/", content=body, headers=other).status_code == 400
    assert httpx.post(receiver.url + "/", content=b"x",
                      headers=headers(SECRET, delivery["delivery_id"], b"x")).status_code == 400
    assert httpx.get(receiver.url + "/").status_code == 405
    engine.dispose()
