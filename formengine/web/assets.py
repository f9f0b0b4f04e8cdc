"""Front-end files installed from npm at set-up (never committed, never from a CDN)."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

from formengine.config import PROJECT_ROOT

bp = Blueprint("assets", __name__)

NODE_MODULES = PROJECT_ROOT / "node_modules"
#: URL name -> file inside node_modules.
VENDOR = {"htmx.min.js": "htmx.org/dist/htmx.min.js"}


@bp.get("/vendor/<name>")
def vendor(name: str) -> ResponseReturnValue:
    """Serve an allow-listed npm file (404 when set-up has not installed it)."""
    if name not in VENDOR:
        abort(404)
    path = NODE_MODULES / VENDOR[name]
    if not path.is_file():
        abort(404)
    return send_from_directory(path.parent, path.name, max_age=3600)
