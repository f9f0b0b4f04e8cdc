"""Citizen pages: the catalogue, a form's pages, inline validation, check answers, done.

Every step works as a plain POST (no JavaScript); htmx requests get only the part of the
page that changes. The views only wire request data to the pure cores.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_htmx import HTMX
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict

from formengine.definitions import Catalog, FormDefinition, Page
from formengine.htmx import vary_on_htmx
from formengine.i18n import LOCAL_TIME
from formengine.prefilling.snapshot import Snapshot, forget, inject, provenance, seed
from formengine.rendering import pages as flow
from formengine.rendering.tree import Field, page_fields
from formengine.schema import prune
from formengine.submissions import bundle
from formengine.submissions.store import Conflict, Draft
from formengine.validation.coerce import encode, read_form
from formengine.validation.report import FieldError, validate
from formengine.web import catalogue, consent, csrf, embed, journey, prefill, receipts
from formengine.web.auth import signed_in
from formengine.web.cache import RenderCache
from formengine.web.errors import CitizenBadRequest
from formengine.web.prefill import dump_snapshot
from formengine.web.state import dump_state, load_state

log = logging.getLogger(__name__)

bp = Blueprint("citizen", __name__)


def catalog() -> Catalog:
    """The app's definitions."""
    found: Catalog = current_app.extensions["formengine.catalog"]
    return found


def definition_or_404(procedure_id: str) -> FormDefinition:
    """The definition of ``procedure_id`` or a 404 page: the version of the signed-in
    person's draft when that version is kept (``versions/``), else the current one."""
    definition = catalog().get(procedure_id)
    if definition is None:
        abort(404)
    draft = journey.draft_of(definition)
    if draft is not None and draft.version != definition.version:
        return catalog().get(procedure_id, draft.version) or definition
    return definition


def _htmx() -> bool:
    extension: HTMX = current_app.htmx  # type: ignore[attr-defined]
    return bool(extension)


@bp.after_request
def _personal_pages_are_not_stored(response: Response) -> Response:
    """Pages of a signed-in person carry register data: no cache may keep them."""
    if signed_in() is not None:
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


@bp.get("/")
def index() -> ResponseReturnValue:
    """The catalogue of procedures, and its search (formengine/web/catalogue.py)."""
    return catalogue.page()


@bp.get("/forms/<procedure_id>")
def form(procedure_id: str) -> ResponseReturnValue:
    """The first page of a form (or ``?page=<id>``), empty."""
    definition = definition_or_404(procedure_id)
    page = definition.page(request.args.get("page")) or definition.pages[0]
    if signed_in() is not None:  # the page names what belongs to this person: never cached
        draft = journey.draft_of(definition)
        if draft is not None:
            return _resume(definition, draft)
        snapshot = g.prefill = prefill.fresh(definition)
        if _blocked(definition, snapshot):
            return render_blocked(definition, {})
        data = prune(definition.schema, seed(snapshot, {}), definition.is_valid)
        return render_page(definition, page, data, encode(definition.schema, data), [])
    g.prefill = Snapshot(None, "anonymous")
    g.cacheable = True  # the same for every visitor: no idempotency key yet
    cache: RenderCache = current_app.extensions["formengine.page_cache"]
    embedded = embed.current()  # an embedded page has the tenant's layout and field
    key = (definition.id, definition.content_hash, page.id, g.lang, request.script_root,
           embedded.tenant.id if embedded else None)
    html = cache.get(key, lambda: render_page(definition, page, {}, MultiDict(), []))
    return csrf.fill(html)  # the one part that is this visitor's


def _resume(definition: FormDefinition, draft: Draft) -> ResponseReturnValue:
    """The form again with the person's draft: their answers and the register snapshot taken
    when they first opened it, on the first page still to complete (check your answers when
    every page is complete; or ``?page=``)."""
    g.submission_key, g.resumed = draft.submission_key, draft
    person = journey.owner()
    kept = Snapshot.from_json(draft.snapshot) if draft.snapshot else None
    if kept is None or kept.owner != person or kept.status != "ok":
        kept = prefill.fresh(definition)
    else:
        kept = prefill.renewed(definition, kept) or kept
    snapshot = g.prefill = kept
    if _blocked(definition, snapshot):
        return render_blocked(definition, dict(draft.answers))
    data = prune(definition.schema, inject(snapshot, _renewal(snapshot, dict(draft.answers))),
                 definition.is_valid)
    page = definition.page(request.args.get("page"))
    if page is None:  # where they stopped: the first page still to complete
        errors = validate(definition, data, g.lang)
        page = next((p for p in flow.visible_pages(definition, data)
                     if flow.errors_on(errors, p)), None)
        if page is None:
            return render_check(definition, data)
    return render_page(definition, page, data, encode(definition.schema, data), [])


class Submission:
    """What one POST to a form carries: the page, the action and the answers so far."""

    def __init__(self, definition: FormDefinition) -> None:
        form = request.form
        if len(form) > current_app.config["FORMENGINE"].max_fields:
            raise CitizenBadRequest(gettext("Too many fields were sent."))
        state = load_state(definition, form.get("_state"))
        if state is None:
            raise CitizenBadRequest(gettext("The answers carried by the form were altered."))
        self.definition = definition
        page_id = form.get("_page")
        self.page: Page | None = definition.page(page_id)
        # ``_page`` names the page whose fields are posted; ``*`` means every field at once
        # (scripts, tests); none means no fields (check your answers posts only the state).
        if self.page is not None:
            names: list[str] | None = [f[1:] for f in self.page.fields]
        elif page_id == "*":
            names = None
        else:
            names = []
        posted, unknown = read_form(form, definition.schema, names)
        if unknown:
            raise CitizenBadRequest(gettext("This form has no field called %(names)s.",
                                      names=", ".join(sorted(unknown)[:5])))
        kept = {k: v for k, v in state.items() if names is not None and k not in names}
        g.submission_key = journey.posted_key(definition, form)
        # Opened for someone whose session has since ended: keep the answers for them.
        self.ended = prefill.token_owner(definition, form) if signed_in() is None else None
        self.prefill: Snapshot = (Snapshot(None, "anonymous") if self.ended
                                  else prefill.posted(definition, form))
        g.prefill = self.prefill
        self.renewed = bool(g.get("prefill_renewed"))  # a co-applicant agreed or withdrew
        self.data: dict[str, Any] = self.answers(_renewal(self.prefill, {**kept, **posted}))
        draft = journey.draft_of(definition)
        if draft is not None:  # one draft, one key: a second tab sends the same submission
            g.submission_key = draft.submission_key
        self.action = "lang" if "_lang" in form else form.get("_action", "next")
        self.returning = form.get("_return") == "check"

    def renew(self) -> None:
        """Take the register snapshot again if a co-applicant agreed or withdrew."""
        renewed = prefill.renewed(self.definition, self.prefill)
        if renewed is not None:
            self.prefill = g.prefill = renewed
            self.renewed = True
            self.data = self.answers(_renewal(renewed, self.data))

    def answers(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` with the register's locked values put in, pruned to what is shown."""
        answers: dict[str, Any] = prune(self.definition.schema, inject(self.prefill, data),
                                        self.definition.is_valid)
        return answers

    def errors(self) -> list[FieldError]:
        """Every failing field of the answers so far."""
        return validate(self.definition, self.data, g.lang)


@bp.post("/forms/<procedure_id>")
def post(procedure_id: str) -> ResponseReturnValue:
    """Every button of the form: next, back, add/remove a row, update, change, submit."""
    definition = definition_or_404(procedure_id)
    sub = Submission(definition)
    action, data, page = sub.action, sub.data, sub.page or definition.pages[0]
    if sub.ended is not None:
        return _session_ended(sub)
    if action == "discard":
        person = journey.owner()
        if person is not None:
            journey.store().discard_draft(person, definition.id)
            g.pop("drafts_read", None)
        return redirect(embed.form_url(definition.id), code=303)
    if action != "submit":
        journey.autosave(definition, sub.page.id if sub.page else None, data,
                         sub.prefill.to_json() if sub.prefill.owner else None)
    if action == "save":
        return render_template("saved.html", definition=definition,
                               draft=g.get("draft_saved"), page=page)
    if action.startswith("co-applicant:"):
        return _co_applicant(sub, page)
    if action == "prefill":  # "try again" after the register failed
        sub.prefill = g.prefill = prefill.fresh(definition)
        data = sub.answers(seed(sub.prefill, data))
    if _blocked(definition, sub.prefill):
        return render_blocked(definition, data)
    if action == "prefill":
        return render_page(definition, page, data, encode(definition.schema, data), [],
                           returning=sub.returning)
    if action == "lang" and sub.page is None:  # switching language on check your answers
        return render_check(definition, data)
    if action.startswith(("add:", "remove:")) or action in ("refresh", "lang"):
        return _redraw(sub, page)
    if action == "back":
        before = flow.previous_page(definition, data, page) or page
        return render_page(definition, before, data, encode(definition.schema, data), [])
    if action.startswith("goto:"):
        target = definition.page(action[5:]) or page
        return render_page(definition, target, data, encode(definition.schema, data), [],
                           returning=True)
    errors = sub.errors()
    if action == "submit" or sub.page is None:
        if errors:
            first = next((p for p in definition.pages if flow.errors_on(errors, p)),
                         definition.pages[0])
            shown = flow.errors_on(errors, first) or errors  # errors on no page: in summary
            return render_page(definition, first, data, encode(definition.schema, data),
                               shown, returning=True)
        if action == "submit":
            return _submit(sub)
        return render_check(definition, data)
    mine = flow.errors_on(errors, page)
    if mine:
        return render_page(definition, page, data, request.form, mine, returning=sub.returning)
    if sub.returning:
        pending = next((p for p in definition.pages if flow.errors_on(errors, p)), None)
        if pending is not None:
            return render_page(definition, pending, data, encode(definition.schema, data),
                               [], returning=True)
        return render_check(definition, data)
    following = flow.next_page(definition, data, page)
    if following is None:
        return render_check(definition, data)
    return render_page(definition, following, data, encode(definition.schema, data), [])


def _submit(sub: Submission) -> ResponseReturnValue:
    """Store the submission once (the form's idempotency key), then its receipt."""
    definition, data = sub.definition, sub.data
    record = {"answers": data, "provenance": provenance(sub.prefill, data),
              "corrections": _corrections(sub.prefill)}
    if "bundle" in definition.procedure:
        record["parts"] = bundle.split(definition.procedure["bundle"], data)
    try:
        embedded = embed.current()
        stored = journey.store().submit(definition, journey.owner(),
                                        journey.current_key(definition), record,
                                        tenant=embedded.tenant.id if embedded else None)
    except Conflict:
        raise CitizenBadRequest(gettext("This form was already sent from another account. "
                                        "Open the procedure again to start a new one.")
                                ) from None
    except SQLAlchemyError as exc:
        log.error("submission of %s not stored (%s)", definition.id, type(exc).__name__)
        html = render_template("not_sent.html", definition=definition,
                               state=dump_state(definition, data),
                               **_prefill_context(definition),
                               submission_key=journey.dump_key(definition))
        return html, 503, {"Retry-After": "10"}
    receipts.remember(stored.receipt)
    return render_template("done.html", definition=definition, stored=stored,
                           sections=flow.summary(definition, data, g.lang),
                           corrections=sub.prefill.corrections,
                           accepted=json.dumps(stored.record, ensure_ascii=False, indent=2))


def _renewal(snapshot: Snapshot, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` after :func:`prefill.renewed` took a new snapshot: the answers of a
    co-applicant who withdrew cleared, the new snapshot's values filled in."""
    dropped: Snapshot | None = g.pop("co_applicant_dropped", None)
    if dropped is not None:
        data = forget(dropped, consent.SUBJECT, data)
    if g.pop("prefill_renewed", False):
        data = seed(snapshot, data)
    return data


def _co_applicant(sub: Submission, page: Page) -> ResponseReturnValue:
    """Ask a co-applicant to agree, check whether they did, or stop using their record;
    then the same page again, with everything typed so far."""
    definition = sub.definition
    consent.act(definition, sub.action, request.form)
    sub.renew()
    formdata = encode(definition.schema, sub.data) if sub.renewed else request.form
    return render_page(definition, page, sub.data, formdata, [], returning=sub.returning)


def _session_ended(sub: Submission) -> ResponseReturnValue:
    """The form was opened for someone whose session has ended: their answers go to their
    draft, and they are asked to sign in again (nothing typed is lost)."""
    definition = sub.definition
    saved = journey.autosave(definition, sub.page.id if sub.page else None, sub.data, None,
                             person=sub.ended)
    html = render_template("session_ended.html", definition=definition, saved=bool(saved),
                           state=dump_state(definition, sub.data))
    return html, 401


def _redraw(sub: Submission, page: Page) -> ResponseReturnValue:
    """The same page again after adding or removing a row, a changed condition, or a new
    language; no errors are shown. htmx requests get only the fields."""
    definition, data, action = sub.definition, sub.data, sub.action
    formdata = _edit_rows(action) if action.startswith(("add:", "remove:")) else request.form
    if formdata is not request.form:
        names = [f[1:] for f in page.fields]
        posted = read_form(formdata, definition.schema, names)[0]
        others = {k: v for k, v in data.items() if k not in names}
        data = sub.answers({**others, **posted})
    if _htmx() and action != "lang":
        return vary_on_htmx(make_response(render_fields(definition, page, data, formdata)))
    html = render_page(definition, page, data, formdata, [], returning=sub.returning)
    return vary_on_htmx(make_response(html))


def _edit_rows(action: str) -> MultiDict[str, str]:
    """The posted fields with a row added (``add:<group>``) or removed (``remove:<row>``)."""
    form: MultiDict[str, str] = MultiDict(request.form)
    verb, _, target = action.partition(":")
    if verb == "add":
        rows = [int(k.split(".")[-2]) for k in form if k.startswith(target + ".")
                and k.endswith("._row")]
        form.add(f"{target}.{max(rows, default=-1) + 1}._row", "1")
        form.add("_focus", f"{target}.{max(rows, default=-1) + 1}")
    elif verb == "remove":
        group = target.rpartition(".")[0]
        for key in [k for k in form if k.startswith(f"{target}.")]:
            form.poplist(key)
        form.add("_focus", group)  # focus goes to the group's "Add" button
        heads = {k[len(group) + 1:].split(".")[0] for k in form if k.startswith(group + ".")}
        remaining = sorted(int(h) for h in heads if h.isdigit())
        renumbered: MultiDict[str, str] = MultiDict()
        for key, value in form.items(multi=True):
            head = key[len(group) + 1:].split(".", 1) if key.startswith(group + ".") else None
            if head and head[0].isdigit() and len(head) == 2:
                key = f"{group}.{remaining.index(int(head[0]))}.{head[1]}"
            renumbered.add(key, value)
        form = renumbered
    return form


def _context(definition: FormDefinition, page: Page, data: dict[str, Any], formdata: Any,
             errors: list[FieldError], returning: bool = False) -> dict[str, Any]:
    """The template context of ``page``."""
    by_pointer = {e.pointer: e for e in errors}
    snapshot = prefill.current()
    fields = page_fields(definition, page.fields, data, formdata, by_pointer, g.lang, snapshot)
    ordered = _summary_order(fields, errors)
    pages = flow.visible_pages(definition, data)
    number = next((i for i, p in enumerate(pages) if p.id == page.id), 0) + 1
    return {
        "definition": definition, "page": page, "fields": fields, "errors": ordered,
        "state": dump_state(definition, data), "returning": returning,
        "page_number": number, "page_count": len(pages),
        "first_page": flow.previous_page(definition, data, page) is None,
        "focus": formdata.get("_focus") if hasattr(formdata, "get") else None,
        **_prefill_context(definition),
        **_journey_context(definition),
        "co_applicant": consent.panel(definition, page, data),
    }


def _journey_context(definition: FormDefinition) -> dict[str, Any]:
    """The idempotency key (not on pages cached for every visitor) and the draft's state."""
    return {"submission_key": None if g.get("cacheable") else journey.dump_key(definition),
            "resumed": g.get("resumed"), "draft_status": _draft_status(),
            "can_save": journey.owner() is not None}


def local_time(when: Any) -> str:
    """Hours and minutes in Vietnam's time."""
    return str(when.astimezone(LOCAL_TIME).strftime("%H:%M"))


def _draft_status() -> str | None:
    """What the draft-status region says after this request (None: nothing to say)."""
    if g.get("draft_saved") is not None:
        saved: Draft = g.draft_saved
        return str(gettext("Your answers were saved at %(time)s.",
                           time=local_time(saved.updated_at)))
    if g.get("draft_failed"):
        return str(gettext("Your answers could not be saved just now. They are still on "
                           "this page: carry on, or try again later."))
    return None


def _prefill_context(definition: FormDefinition) -> dict[str, Any]:
    """What every page says about the register: the signed snapshot and its status."""
    snapshot = prefill.current()
    if snapshot is None:
        return {"prefill_token": None, "prefill_status": None, "corrections": {}}
    wants = bool(definition.bindings)
    return {"prefill_token": dump_snapshot(definition, snapshot) if snapshot.owner else None,
            "prefill_status": snapshot.status if wants else None,
            "corrections": snapshot.corrections}


def _blocked(definition: FormDefinition, snapshot: Snapshot) -> bool:
    """Whether the form must wait for the register (``prefill_unavailable: block``)."""
    return (bool(definition.bindings) and snapshot.status in ("unavailable", "not_found")
            and definition.prefill_unavailable == "block")


def _corrections(snapshot: Snapshot) -> list[dict[str, Any]]:
    """The data-correction requests a submission carries, one per reported answer."""
    out = []
    for top, text in sorted(snapshot.corrections.items()):
        inside = sorted({tuple(source) for pointer, source in snapshot.sources.items()
                         if pointer == top or pointer.startswith(top + "/")})
        out.append({"pointer": top, "reported": text, "source": snapshot.source,
                    "fetched_at": snapshot.fetched_at,
                    "attributes": [{"subject": s, "attribute": a} for s, a in inside]})
    return out


def render_blocked(definition: FormDefinition, data: dict[str, Any]) -> ResponseReturnValue:
    """The page shown while the register cannot answer a form that needs it (503); the
    answers so far are kept in the page, and "Try again" posts them back."""
    html = render_template("prefill_blocked.html", definition=definition,
                           state=dump_state(definition, data), **_prefill_context(definition))
    return html, 503, {"Retry-After": "30"}


def _summary_order(fields: list[Field], errors: list[FieldError]) -> list[tuple[str, str]]:
    """(anchor, message) of each error in page order; errors of unseen fields last."""
    by_pointer = {e.pointer: e.message for e in errors}
    ordered = []
    for node in (n for f in fields for n in f.walk()):
        if node.pointer in by_pointer:
            ordered.append((node.anchor, by_pointer.pop(node.pointer)))
    return ordered + [("main-form", message) for message in by_pointer.values()]


def render_page(definition: FormDefinition, page: Page, data: dict[str, Any], formdata: Any,
                errors: list[FieldError], returning: bool = False) -> str:
    """A whole form page."""
    return render_template("form.html", **_context(definition, page, data, formdata, errors,
                                                   returning))


def render_fields(definition: FormDefinition, page: Page, data: dict[str, Any],
                  formdata: Any) -> str:
    """Only the fields of a page (for htmx swaps)."""
    return render_template("_fields.html", **_context(definition, page, data, formdata, []))


def render_check(definition: FormDefinition, data: dict[str, Any]) -> str:
    """Check your answers."""
    return render_template("check.html", definition=definition,
                           sections=flow.summary(definition, data, g.lang),
                           state=dump_state(definition, data), **_prefill_context(definition),
                           **_journey_context(definition))


@bp.post("/forms/<procedure_id>/draft")
def save_draft(procedure_id: str) -> ResponseReturnValue:
    """Autosave while typing (htmx, 2 s after the last keystroke): the draft, and the
    draft-status region swapped out of band. Nothing is validated or shown otherwise."""
    definition = definition_or_404(procedure_id)
    sub = Submission(definition)
    if sub.ended is not None or journey.owner() is None:
        return "", 204
    journey.autosave(definition, sub.page.id if sub.page else None, sub.data,
                     sub.prefill.to_json() if sub.prefill.owner else None)
    html = render_template("_draft_status.html", draft_status=_draft_status(), oob=True)
    return vary_on_htmx(make_response(html))


@bp.post("/forms/<procedure_id>/validate")
def validate_field(procedure_id: str) -> ResponseReturnValue:
    """Inline validation of one field (htmx, on change): its group with exactly the message
    a full submit would give."""
    definition = definition_or_404(procedure_id)
    sub = Submission(definition)
    page = sub.page or definition.pages[0]
    if sub.ended is None:  # autosave as the citizen types (on change)
        journey.autosave(definition, page.id, sub.data,
                         sub.prefill.to_json() if sub.prefill.owner else None)
    name = request.args.get("field", "")
    top = "/" + name.split(".", 1)[0]
    if top not in page.fields:
        abort(404)
    # Only the field's own error, computed on the whole answers exactly as on submit.
    pointer = "/" + name.replace(".", "/")
    mine = {e.pointer: e for e in sub.errors() if e.pointer == pointer}
    fields = page_fields(definition, [top], sub.data, request.form, mine, g.lang, sub.prefill)
    node = next((n for f in fields for n in f.walk() if n.name == name), None)
    if node is None:
        abort(404)
    html = render_template("_field.html", field=node, definition=definition, focus=None,
                           draft_status=_draft_status())
    return vary_on_htmx(make_response(html))
