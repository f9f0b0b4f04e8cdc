"""Demo sign-in: pick a synthetic citizen (only with ``FORMENGINE_DEMO=1``).

``GET /auth/demo`` lists synthetic citizens with their personal IDs; ``POST /auth/demo``
with the form field ``personal_id`` signs in as one of them (scripts use it too, with the
CSRF cookie and token of a page they got first, formengine/web/csrf.py);
``POST /auth/logout`` signs out. The session keeps only the personal ID, how the person
signed in and the level of assurance; nothing about them is logged. The national identity
provider (OpenID Connect, :mod:`formengine.web.oidc`) replaces this outside demo mode.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from formengine.validation.formats import normalize_personal_id
from prefill.adapter import NotFound, PopulationAdapter, PrefillError
from prefill.model import Citizen
from prefill.sqlite import read_documents

bp = Blueprint("auth", __name__)
#: Signing out, whichever way the person signed in (demo or OpenID Connect).
account = Blueprint("account", __name__)

#: Citizens listed on the demo sign-in page.
LISTED = 40
#: The assurance level a demo sign-in counts as (VNeID level 2: verified in person).
DEMO_ASSURANCE = 2


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in: their personal ID, how, and at which assurance level."""

    personal_id: str
    method: str
    assurance: int


def signed_in() -> SignedIn | None:
    """The signed-in person of this request, if any."""
    personal_id = session.get("personal_id")
    if not isinstance(personal_id, str):
        return None
    return SignedIn(personal_id, str(session.get("auth_method", "")),
                    int(session.get("assurance", 0)))


def _adapter() -> PopulationAdapter:
    adapter: PopulationAdapter = current_app.extensions["formengine.population"]
    return adapter


def _listed() -> list[Citizen]:
    """Living adult citizens for the list, in the file's order."""
    path = current_app.config["FORMENGINE"].population_path
    try:
        documents = read_documents(path)
        people = (Citizen.model_validate(doc) for doc in documents)
        return list(itertools.islice(
            (c for c in people if c.date_of_death is None and c.date_of_birth is not None
             and c.date_of_birth.year <= 2007), LISTED))
    except PrefillError:
        return []


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the catalogue."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(
            target).netloc:
        return target
    return "/"


@bp.get("/auth/demo")
def demo() -> ResponseReturnValue:
    """The list of synthetic citizens to sign in as."""
    return render_template("auth_demo.html", citizens=_listed(),
                           next=safe_next(request.args.get("next")), error=None)


@bp.post("/auth/demo")
def demo_sign_in() -> ResponseReturnValue:
    """Sign in as the synthetic citizen ``personal_id``."""
    personal_id = normalize_personal_id(request.form.get("personal_id", ""))
    target = safe_next(request.form.get("next"))
    try:
        _adapter().citizen(personal_id, procedure="sign-in")
    except NotFound:
        error = gettext("There is no synthetic citizen with this personal identification "
                        "number.")
        return render_template("auth_demo.html", citizens=_listed(), next=target,
                               error=error, typed=personal_id), 200
    except PrefillError:
        error = gettext("The population data cannot be reached. Try again in a moment.")
        return render_template("auth_demo.html", citizens=[], next=target, error=error,
                               typed=personal_id), 503
    session.clear()
    session.update(personal_id=personal_id, auth_method="demo", assurance=DEMO_ASSURANCE)
    return redirect(target, code=303)


@account.post("/auth/logout")
def logout() -> ResponseReturnValue:
    """Sign out (then to ``next``, a path on this site: an embedded form stays one)."""
    session.clear()
    return redirect(safe_next(request.form.get("next")), code=303)


def context() -> dict[str, Any]:
    """Template globals: who is signed in."""
    return {"signed_in": signed_in()}
