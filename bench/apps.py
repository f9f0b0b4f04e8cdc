"""The WSGI apps bench/run.py serves with gunicorn: the engine and the floor.

Both are configured through the environment so that gunicorn's workers build them alike:
``BENCH_DEFINITION`` (the definition file to serve) and ``BENCH_FLOOR_HTML`` (the captured
page bytes the floor returns).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BENCH = Path(__file__).resolve().parent
DEFINITION = BENCH / "definitions" / "forty-fields.json"
SECRET = "bench-secret"


def formengine_app() -> Flask:
    """The real engine, serving only the bench definition."""
    from formengine.app import create_app

    definition = Path(os.environ.get("BENCH_DEFINITION", str(DEFINITION)))
    # Rate limits off: every request comes from one address, throughput is measured.
    return create_app({"definitions": [definition], "secret_key": SECRET,
                       "rate_limit_enabled": False})


def floor_app() -> Flask:
    """The floor: a minimal Flask app returning the same pre-rendered HTML bytes."""
    html = Path(os.environ["BENCH_FLOOR_HTML"]).read_bytes()
    app = Flask("floor")

    @app.get("/forms/<procedure_id>")
    def page(procedure_id: str) -> Response:
        return Response(html, content_type="text/html; charset=utf-8")

    return app
