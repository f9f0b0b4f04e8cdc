"""The JSON API v1 for province portals (docs/api.md).

``models.py`` the request and response models (the OpenAPI document is generated from
them, ``openapi.py``); ``problems.py`` RFC 9457 problem details; ``auth.py`` tenant API
keys; ``citizens.py`` the citizen's token (OpenID Connect ID token, demo tokens);
``procedures.py`` and ``submissions.py`` the views, on the ``api_v1`` blueprint.
"""

from __future__ import annotations

from flask import Flask

from formengine.config import Settings


def init_app(app: Flask, settings: Settings) -> None:
    """Register the API's views, its problem details and the citizen token checks."""
    from formengine.api import citizens, problems, procedures, submissions
    from formengine.api.blueprint import bp

    assert procedures.__name__ and submissions.__name__  # their views are on ``bp``
    app.register_blueprint(bp)
    procedures.init_app(app)
    problems.init_app(app)
    citizens.init_app(app, settings)
