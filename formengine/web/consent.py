"""Co-applicants: another person confirms, with their own sign-in, that a form may use
their register record (the other party of a marriage).

On a page with ``co_applicant`` bindings, the signed-in applicant types the other person's
personal ID and asks (``_action=co-applicant:ask``); they get a link to pass on, shown once.
The other person opens ``/consent/<token>``, signs in as themselves, sees who asks, for
which procedure and which register items, and agrees or declines (they may change their
mind while the request is open, which withdraws the consent). Once they agree, the
applicant's next step takes a new register snapshot that includes the other person's
record, and the bound fields are filled and locked; if they withdraw, those answers are
cleared. Nothing is read before the other person agrees; each read is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import SQLAlchemyError

from formengine.definitions.model import FormDefinition, Page
from formengine.schema import node_at
from formengine.storage.consents import Consent, ConsentStore
from formengine.validation.formats import normalize_personal_id, personal_id_problem
from formengine.validation.messages import personal_id_message
from formengine.web.auth import signed_in
from formengine.web.errors import CitizenBadRequest
from prefill.adapter import PrefillError

bp = Blueprint("consent", __name__)

#: The subject of bindings that read a co-applicant's record.
SUBJECT = "co_applicant"
#: The field of the ask form (not an answer of the definition).
FIELD = "_co_applicant_id"

#: What each item of the register is called on the consent page.
ITEMS: Mapping[str, Any] = {
    "personal_id": lazy_gettext("Personal identification number"),
    "full_name": lazy_gettext("Full name"),
    "other_names": lazy_gettext("Other names"),
    "date_of_birth": lazy_gettext("Date of birth"),
    "sex": lazy_gettext("Sex"),
    "place_of_birth": lazy_gettext("Place of birth"),
    "hometown": lazy_gettext("Place of origin"),
    "ethnicity": lazy_gettext("Ethnic group"),
    "religion": lazy_gettext("Religion"),
    "nationality": lazy_gettext("Nationality"),
    "permanent_residence": lazy_gettext("Permanent residence"),
    "temporary_residence": lazy_gettext("Temporary residence"),
    "current_residence": lazy_gettext("Current place of living"),
    "marital_status": lazy_gettext("Marital status"),
    "relationship_to_head": lazy_gettext("Relationship to the head of household"),
    "household": lazy_gettext("Household"),
    "father": lazy_gettext("Father"),
    "mother": lazy_gettext("Mother"),
    "spouse": lazy_gettext("Spouse"),
    "children": lazy_gettext("Children"),
    "phone": lazy_gettext("Phone number"),
    "email": lazy_gettext("Email address"),
    "date_of_death": lazy_gettext("Date of death"),
}


def store() -> ConsentStore:
    """The app's consent store."""
    found: ConsentStore = current_app.extensions["formengine.consents"]
    return found


def wanted(definition: FormDefinition) -> bool:
    """Whether ``definition`` reads a co-applicant's record."""
    return any(b.subject == SUBJECT for b in definition.bindings)


def items(definition: FormDefinition) -> list[str]:
    """The register items ``definition`` reads of the co-applicant, named for people."""
    tops = sorted({b.attribute.split(".")[0].removesuffix("[]")
                   for b in definition.bindings if b.subject == SUBJECT})
    return [str(ITEMS.get(top, top)) for top in tops]


def granted(definition: FormDefinition, requester: str | None) -> str | None:
    """The personal ID of the co-applicant who agreed that ``requester``'s form of
    ``definition`` may read their record (None: nobody, or the store cannot answer)."""
    if requester is None or not wanted(definition):
        return None
    try:
        consent = store().of(requester, definition.id)
    except SQLAlchemyError:
        return None  # the form carries on without the other person's record
    return consent.subject if consent and consent.status == "granted" else None


def act(definition: FormDefinition, action: str, form: Mapping[str, str]) -> None:
    """Do the co-applicant action of a form post (``co-applicant:ask``, ``:cancel``)
    and leave what the panel shows in ``g``."""
    person = signed_in()
    if person is None or not wanted(definition):
        return
    verb = action.partition(":")[2]
    if verb == "cancel":
        store().cancel(person.personal_id, definition.id)
        return
    if verb != "ask":
        return
    typed = normalize_personal_id(form.get(FIELD, ""))
    if personal_id_problem(typed) is not None:
        g.co_applicant_error, g.co_applicant_typed = personal_id_message(g.lang, typed), typed
        return
    if typed == person.personal_id:
        g.co_applicant_error = gettext("Enter the other person's personal identification "
                                       "number, not yours.")
        g.co_applicant_typed = typed
        return
    token, _ = store().ask(person.personal_id, typed, definition.id)
    g.co_applicant_link = url_for("consent.page", token=token, _external=True)


def panel(definition: FormDefinition, page: Page,
          data: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the co-applicant panel of ``page`` shows: None when no ``co_applicant`` field
    of the page is shown for ``data`` (a branch not chosen) and nothing was asked."""
    person = signed_in()
    if person is None or not wanted(definition):
        return None
    pointers = [b.pointer for b in definition.bindings if b.subject == SUBJECT
                and "/" + b.pointer.split("/")[1] in page.fields]
    if not pointers:
        return None
    try:
        consent = store().of(person.personal_id, definition.id)
    except SQLAlchemyError:
        consent = None
    shown = any(node_at(definition.schema, data, pointer, definition.is_valid) is not None
                for pointer in pointers)
    if not shown and consent is None:
        return None
    return {"consent": consent, "link": g.get("co_applicant_link"),
            "error": g.get("co_applicant_error"), "typed": g.get("co_applicant_typed", ""),
            "items": items(definition)}


def _consent_or_404(token: str) -> Consent:
    consent = store().by_token(token)
    if consent is None:
        abort(404)
    return consent


@bp.get("/consent/<token>")
def page(token: str) -> ResponseReturnValue:
    """The request as the co-applicant sees it: sign in, then agree or decline."""
    return _render(token, _consent_or_404(token))


@bp.post("/consent/<token>")
def decide(token: str) -> ResponseReturnValue:
    """The co-applicant's answer (``decision``: ``grant`` or ``refuse``)."""
    consent = _consent_or_404(token)
    person = signed_in()
    decision = request.form.get("decision")
    if person is None or person.personal_id != consent.subject:
        return _render(token, consent)
    if decision not in ("grant", "refuse"):
        raise CitizenBadRequest(gettext("Choose whether you agree."))
    decided = store().decide(token, person.personal_id, decision == "grant")
    return _render(token, decided or consent, just_decided=True)


def _render(token: str, consent: Consent, just_decided: bool = False) -> ResponseReturnValue:
    catalog = current_app.extensions["formengine.catalog"]
    definition = catalog.get(consent.procedure)
    if definition is None:
        abort(404)
    person = signed_in()
    mine = person is not None and person.personal_id == consent.subject
    requester = _name_of(consent, definition) if mine else None
    html = render_template("consent.html", definition=definition, consent=consent,
                           person=person, mine=mine, requester=requester,
                           items=items(definition), just_decided=just_decided,
                           next=url_for("consent.page", token=token))
    status = 200 if person is None or mine else 403
    return html, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _name_of(consent: Consent, definition: FormDefinition) -> str | None:
    """The applicant's name, read from the register (audited) for the co-applicant to see
    who asks; None when the register cannot say."""
    service = current_app.extensions.get("formengine.prefill")
    if service is None:
        return None
    try:
        name: str = service.name(consent.requester, requester=consent.subject,
                            procedure=definition.id,
                            request_id=request.headers.get("X-Request-Id"))
    except PrefillError:
        return None
    return name


def init_app(app: Flask) -> None:
    """Give the app its consent store (after the engine database) and the pages."""
    app.extensions["formengine.consents"] = ConsentStore(app.extensions["formengine.db"])
    app.register_blueprint(bp)
