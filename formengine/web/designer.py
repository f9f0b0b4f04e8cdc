"""The designer's preview (``formengine preview``, or ``FORMENGINE_DESIGNER=1``).

``/designer/`` lists the definitions being edited and the files refused with their
problems; ``/designer/<id>`` shows one: the form as a chosen synthetic citizen sees it
(an iframe of ``/forms/<id>``), with personas to switch between (varied citizens of the
demo population, one with a legacy address, and one the register does not know, whose
lookup fails), what ``check`` says of the file, the prefill coverage, and the effective
schema (``$ref``s inlined). The page reloads itself when the file is saved: every request
of a designer app first reloads the definitions whose files changed (a ``stat`` per file).
Never on in production: it signs in as anyone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue

from formengine.config import PROJECT_ROOT, Settings
from formengine.definitions import Catalog
from formengine.definitions.catalog import definition_files
from formengine.definitions.model import FormDefinition, Problem
from formengine.prefilling.coverage import Coverage, synthetic_adults, typical
from formengine.validation.formats import normalize_personal_id, personal_id_problem
from formengine.web.auth import safe_next
from prefill.synthetic import sample_personas

bp = Blueprint("designer", __name__, url_prefix="/designer")

#: A personal ID of the right shape that no synthetic citizen has: the register's lookup
#: finds nobody, as for someone whose record is missing.
UNKNOWN_PERSON: Final = "001099999999"
#: Synthetic adults the preview's coverage median is taken over (a quick figure).
COVERAGE_SAMPLE: Final = 60


def _stamp(paths: Iterable[Path]) -> tuple[tuple[str, int], ...]:
    """Names and modification times of the definition files and their components."""
    found = []
    for path in paths:
        folders = [path] if path.is_dir() else [path.parent]
        for folder in folders:
            for file in [*definition_files([folder]), *sorted(folder.glob("components/*.json")),
                         *sorted(folder.glob("versions/*.json"))]:
                try:
                    found.append((str(file), file.stat().st_mtime_ns))
                except OSError:
                    continue
    found.extend((str(f), f.stat().st_mtime_ns)
                 for f in sorted((PROJECT_ROOT / "form_definitions" / "components").glob("*.json")))
    return tuple(found)


def reload_changed() -> None:
    """Reload the app's definitions when a file changed since they were loaded."""
    settings: Settings = current_app.config["FORMENGINE"]
    stamp = _stamp(settings.definitions)
    if current_app.extensions.get("formengine.designer_stamp") != stamp:
        current_app.extensions["formengine.catalog"] = Catalog.load(settings.definitions)
        current_app.extensions["formengine.designer_stamp"] = stamp


def _catalog() -> Catalog:
    found: Catalog = current_app.extensions["formengine.catalog"]
    return found


def _problems_of(procedure_id: str) -> list[Problem]:
    return [p for p in _catalog().problems if Path(p.file).stem == procedure_id]


_coverage_cache: dict[str, Coverage] = {}


def _coverage(definition: FormDefinition) -> Coverage:
    """The median coverage over a small synthetic sample (kept per content hash)."""
    found = _coverage_cache.get(definition.content_hash)
    if found is None:
        if len(_coverage_cache) >= 64:  # every save makes a new hash: keep it small
            _coverage_cache.clear()
        found = typical(definition, synthetic_adults(COVERAGE_SAMPLE, 1))
        _coverage_cache[definition.content_hash] = found
    return found


def _personas() -> list[tuple[str, str]]:
    settings: Settings = current_app.config["FORMENGINE"]
    try:
        people = sample_personas(settings.population_path, 8)
    except Exception:  # no population file yet: only the unknown person
        people = []
    return [*people, ("not in the register", UNKNOWN_PERSON)]


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every definition being edited, and the refused files with their problems."""
    refused: dict[str, list[Problem]] = {}
    for problem in _catalog().problems:
        refused.setdefault(Path(problem.file).stem, []).append(problem)
    return render_template("designer_index.html", definitions=sorted(
        _catalog(), key=lambda d: d.id), refused=refused)


@bp.get("/<procedure_id>")
def preview(procedure_id: str) -> ResponseReturnValue:
    """One definition: the form for the chosen persona, check, coverage, schema."""
    definition = _catalog().get(procedure_id)
    problems = _problems_of(procedure_id)
    if definition is None and not problems:
        abort(404)
    return render_template(
        "designer.html", procedure_id=procedure_id, definition=definition,
        problems=problems or list(definition.warnings if definition else ()),
        coverage=_coverage(definition) if definition else None,
        schema=json.dumps(definition.schema, ensure_ascii=False, indent=2)
        if definition else None,
        personas=_personas(), current=session.get("personal_id"), stamp=_version(procedure_id))


def _version(procedure_id: str) -> str:
    definition = _catalog().get(procedure_id)
    if definition is not None:
        return definition.content_hash
    return "refused:" + str(hash(tuple(str(p) for p in _problems_of(procedure_id))))


@bp.get("/<procedure_id>/version")
def version(procedure_id: str) -> ResponseReturnValue:
    """The definition's version stamp; htmx reloads the page when it differs from ``seen``."""
    current = _version(procedure_id)
    response: Response = make_response(current)
    if request.args.get("seen") not in (None, current):
        response.headers["HX-Refresh"] = "true"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sign-in")
def sign_in() -> ResponseReturnValue:
    """Sign in as a persona (any well-formed personal ID, known to the register or not)."""
    personal_id = normalize_personal_id(request.form.get("personal_id", ""))
    if personal_id_problem(personal_id) is not None:
        abort(400)
    session.clear()
    session.update(personal_id=personal_id, auth_method="designer", assurance=2)
    return redirect(safe_next(request.form.get("next")), code=303)


def init_app(app: Flask, settings: Settings) -> None:
    """Register the preview when ``designer`` is on; definitions reload on change."""
    if not settings.designer:
        return
    app.register_blueprint(bp)
    app.before_request(reload_changed)
