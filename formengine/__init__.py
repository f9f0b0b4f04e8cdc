"""formengine: JSON-Schema procedure definitions served as accessible HTMX forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(settings: Any = None) -> Flask:
    """Create the Flask app (see :func:`formengine.app.create_app`)."""
    from formengine.app import create_app as factory

    return factory(settings)
