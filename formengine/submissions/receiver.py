"""A reference receiver for the outbox's deliveries: what a province's processing system
does with them, small enough to read in one sitting (docs/outbox.md).

It checks the ``X-Formengine-Signature`` HMAC (and its timestamp), stores each delivery
once as ``<delivery id>.json`` in a folder (a repeated delivery id is answered 200 again and
not stored twice), and answers 401 for a bad signature and 400 for a body that is not a
delivery. ``formengine outbox receive`` serves it; the demo uses it to show the hand-off.
Its log lines name the delivery id and the receipt number, never the answers.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from formengine.submissions.outbox import verify_signature

log = logging.getLogger(__name__)

__all__ = ["create_receiver"]

_DELIVERY_ID = re.compile(r"^[0-9a-f-]{36}$")


def _answer(status: int, message: str) -> Response:
    return Response(json.dumps({"status": status, "message": message}), status=status,
                    mimetype="application/json")


def create_receiver(secret: bytes, folder: Path) -> Any:
    """The WSGI app: POST / with a delivery; stores it in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)

    @Request.application
    def app(request: Request) -> Response:
        if request.method != "POST":
            return _answer(405, "POST deliveries here")
        body = request.get_data()
        if not verify_signature(secret, request.headers.get("X-Formengine-Signature", ""),
                                body):
            log.warning("delivery refused: bad or old signature")
            return _answer(401, "bad signature")
        try:
            delivery = json.loads(body)
        except ValueError:
            return _answer(400, "not JSON")
        delivery_id = delivery.get("delivery_id") if isinstance(delivery, dict) else None
        if not isinstance(delivery_id, str) or not _DELIVERY_ID.match(delivery_id) or (
                delivery_id != request.headers.get("X-Formengine-Delivery")):
            return _answer(400, "not a delivery")
        target = folder / f"{delivery_id}.json"
        if target.exists():
            log.info("delivery %s (receipt %s) again: already stored", delivery_id,
                     delivery.get("receipt"))
            return _answer(200, "already received")
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        os.replace(temporary, target)  # whole or nothing
        log.info("delivery %s (receipt %s) stored", delivery_id, delivery.get("receipt"))
        return _answer(200, "received")

    return app
