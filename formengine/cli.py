"""The ``formengine`` command (also available as ``flask --app formengine ...``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy.engine import Engine
from werkzeug.serving import run_simple

from formengine.config import Settings

if TYPE_CHECKING:
    from formengine.submissions.outbox import Outbox
    from formengine.submissions.store import SubmissionStore

#: Citizens generated for the demo when the population file is missing.
DEMO_POPULATION = 2_000


def _create_app() -> Flask:
    from formengine.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False)
def main() -> None:
    """formengine: JSON-Schema e-forms for public services."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=5000, show_default=True, type=int, help="Port.")
@click.option("--demo", is_flag=True, help="Demo mode (same as FORMENGINE_DEMO=1).")
@click.option("--debug/--no-debug", default=False, help="Reload on code changes.")
@click.option("--portal-port", default=5001, show_default=True, type=int,
              help="With --demo: the port of the sample province portal (0: none).")
def serve(host: str, port: int, demo: bool, debug: bool, portal_port: int) -> None:
    """Run the development server (with --demo, the sample province portal too)."""
    from formengine.app import create_app

    overrides = {"demo": True} if demo else {}
    app = create_app(overrides)
    catalog = app.extensions["formengine.catalog"]
    for problem in catalog.problems:
        click.echo(f"refused: {problem}", err=True)
    click.echo(f"formengine: {len(catalog)} procedure(s) at http://{host}:{port}/", err=True)
    settings: Settings = app.config["FORMENGINE"]
    _demo_population(settings)
    if settings.demo and portal_port:
        _start_portal(host, portal_port, port)
    # Not app.run(): Flask ignores it when called from its own CLI group.
    run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=5050, show_default=True, type=int, help="Port.")
def preview(path: Path | None, host: str, port: int) -> None:
    """Preview definitions while editing them (PATH: a file or folder; default:
    FORMENGINE_DEFINITIONS): live reload, synthetic personas, check, coverage, schema."""
    from formengine.app import create_app

    overrides: dict[str, object] = {"demo": True, "designer": True}
    if path is not None:
        overrides["definitions"] = [path]
    app = create_app(overrides)
    _demo_population(app.config["FORMENGINE"])
    click.echo(f"formengine: preview at http://{host}:{port}/designer/ (save a file and its "
               "page reloads)", err=True)
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)


def _demo_population(settings: Settings) -> None:
    """Generate the demo population when its file is missing."""
    if settings.demo and not settings.population_path.exists():
        from prefill.synthetic import generate as generate_population

        summary = generate_population(settings.population_path, DEMO_POPULATION, seed=1)
        click.echo(f"formengine: demo population of {summary.count} citizens generated in "
                   f"{summary.path}", err=True)


def _start_portal(host: str, portal_port: int, forms_port: int) -> None:
    """Serve the sample province portal in a thread; its page embeds the forms from the
    host it was asked for (localhost:5001 embeds localhost:5000, 127.0.0.1:5001 embeds
    127.0.0.1:5000: the same site, so the cookies work in the iframe)."""
    import threading

    from werkzeug.serving import make_server

    from formengine.portal import create_portal

    forms_url = f"http://localhost:{forms_port}"
    try:
        server = make_server(host, portal_port, create_portal(forms_url, forms_port=forms_port),
                             threaded=True)
    except OSError as exc:  # the forms are served all the same
        click.echo(f"formengine: no sample province portal: port {portal_port}: "
                   f"{exc.strerror}", err=True)
        return
    threading.Thread(target=server.serve_forever, name="portal", daemon=True).start()
    click.echo(f"formengine: sample province portal at http://localhost:{portal_port}/ "
               f"(the form inside it comes from {forms_url})", err=True)


@main.group()
def portal() -> None:
    """The sample province portal that embeds a form (demo)."""


@portal.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=5001, show_default=True, type=int, help="Port.")
@click.option("--forms-url", default="http://localhost:5000", show_default=True,
              help="Where formengine is served (the portal loads its embed.js).")
@click.option("--tenant", default="demo-portal", show_default=True, help="data-tenant.")
@click.option("--procedure", default="example-residence-registration", show_default=True,
              help="data-procedure.")
@click.option("--lang", default="vi", show_default=True,
              type=click.Choice(["vi", "en", "fr"]), help="data-lang.")
def portal_serve(host: str, port: int, forms_url: str, tenant: str, procedure: str,
                 lang: str) -> None:
    """Serve the sample province portal page (its origin must be in the tenant's list)."""
    from formengine.portal import create_portal

    click.echo(f"formengine: sample province portal at http://{host}:{port}/", err=True)
    run_simple(host, port, create_portal(forms_url, tenant, procedure, lang), threaded=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format (json for CI).")
def check(paths: tuple[Path, ...], output: str) -> None:
    """Check definitions (default: FORMENGINE_DEFINITIONS); exit 1 on any error."""
    from formengine.definitions.catalog import definition_files
    from formengine.definitions.loader import DefinitionError, load_definition
    from formengine.definitions.model import Problem

    targets = list(paths) or Settings().definitions
    problems: list[Problem] = []
    checked = 0
    owners: dict[str, Path] = {}
    for file in definition_files(targets):
        checked += 1
        try:
            definition = load_definition(file)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(definition.warnings)
        # Same rule and message as Catalog.load (which would refuse the second file).
        if definition.id in owners:
            clash = f"procedure id `{definition.id}` is already used by {owners[definition.id]}"
            problems.append(Problem(str(file), "/x-procedure/id", clash))
        owners.setdefault(definition.id, file)
    errors = [p for p in problems if p.severity == "error"]
    if output == "json":
        click.echo(json.dumps({"checked": checked, "problems": [p.__dict__ for p in problems]},
                              ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{checked} definition(s) checked, {len(errors)} error(s), "
                   f"{len(problems) - len(errors)} warning(s)")
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--sample", default=200, show_default=True, type=click.IntRange(min=1),
              help="Synthetic adults the median is taken over.")
@click.option("--seed", default=1, show_default=True, type=int,
              help="Seed of the synthetic population.")
def coverage(paths: tuple[Path, ...], as_json: bool, sample: int, seed: int) -> None:
    """Per procedure: fields a typical citizen still types, and fields from data."""
    from formengine.definitions.catalog import Catalog
    from formengine.prefilling.coverage import synthetic_adults, typical

    catalog = Catalog.load(list(paths) or Settings().definitions)
    for problem in catalog.problems:
        click.echo(f"skipped: {problem}", err=True)
    people = synthetic_adults(sample, seed)
    found = sorted((typical(definition, people) for definition in catalog),
                   key=lambda c: c.procedure)
    if as_json:
        click.echo(json.dumps({"sample": len(people), "seed": seed,
                               "procedures": [c.to_json() for c in found]}, indent=2))
        return
    width = max([len(c.procedure) for c in found] + [9])
    click.echo(f"{'procedure':<{width}}  fields  from data  typed  coverage")
    for c in found:
        click.echo(f"{c.procedure:<{width}}  {c.fields:>6}  {c.from_data:>9}  {c.typed:>5}  "
                   f"{c.share:>7.0%}")
    click.echo(f"median over {len(people)} synthetic adults (seed {seed})")
    for c, definition in ((c, catalog.get(c.procedure)) for c in found):
        if definition is not None and definition.typical_relatives:
            click.echo(f"{c.procedure}: over the {c.sample} of them with a record of their "
                       f"own for their {' and '.join(definition.typical_relatives)} "
                       "(x-procedure.typical_relatives)")


@main.group()
def population() -> None:
    """The embedded population database (synthetic citizens)."""


@population.command("generate")
@click.option("--count", "-n", default=DEMO_POPULATION, show_default=True,
              type=click.IntRange(min=0), help="Number of citizens.")
@click.option("--seed", "-s", default=1, show_default=True, type=int,
              help="Random seed: the same count and seed give the same file.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: FORMENGINE_POPULATION_DB, else "
                   "instance/population.sqlite3).")
def generate(count: int, seed: int, db: Path | None) -> None:
    """Generate a synthetic population into a SQLite file (replacing it)."""
    from prefill.synthetic import generate as generate_population

    path = db or Settings().population_path
    started = time.perf_counter()
    summary = generate_population(path, count, seed)
    click.echo(f"{summary.count} citizens in {summary.households} households (seed {seed}) "
               f"written to {summary.path} in {time.perf_counter() - started:.1f} s")


@population.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=8081, show_default=True, type=int, help="Port.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Population file (default: FORMENGINE_POPULATION_DB, else "
                   "instance/population.sqlite3).")
@click.option("--token", envvar="FORMENGINE_POPULATION_TOKEN", default=None,
              help="Bearer token clients must send (default: FORMENGINE_POPULATION_TOKEN, "
                   "else a random one, printed).")
def serve_population(host: str, port: int, db: Path | None, token: str | None) -> None:
    """Serve the population file over the HTTP contract (prefill/openapi.json)."""
    import logging
    import secrets

    from formengine.population_service import QuietRequestHandler, create_service
    from prefill.sqlite import SqliteAdapter

    path = db or Settings().population_path
    if not token:
        token = secrets.token_urlsafe(24)
        click.echo(f"formengine: generated token {token}", err=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = create_service(SqliteAdapter(path), token)
    click.echo(f"formengine: population service for {path} at http://{host}:{port}/v1/",
               err=True)
    run_simple(host, port, app, threaded=True, request_handler=QuietRequestHandler)


# Plain click commands: they need the settings only, never the app (which would migrate).
@main.group(cls=click.Group)
def db() -> None:
    """The engine database (FORMENGINE_DATABASE_URL): schema migrations."""


def make_engine(url: str) -> Engine:
    """``formengine.storage.make_engine``, imported when a command needs it."""
    from formengine.storage import make_engine as make

    return make(url)


def _engine() -> Engine:
    return make_engine(Settings().database)


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the engine database to the latest schema (safe to run again)."""
    from formengine.storage import current_revision, upgrade

    engine = _engine()
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if before == after:
        click.echo(f"{_shown(engine)}: already at the latest revision {after}")
    else:
        click.echo(f"{_shown(engine)}: upgraded from {before or 'empty'} to {after}")
    engine.dispose()


@db.command("current")
def db_current() -> None:
    """Show the engine database's revision; exit 1 when it is not the latest."""
    from formengine.storage import current_revision, head_revision

    engine = _engine()
    current, head = current_revision(engine), head_revision()
    engine.dispose()
    state = "latest" if current == head else f"behind the latest {head}: run formengine db upgrade"
    click.echo(f"{_shown(engine)}: revision {current or 'none'} ({state})")
    sys.exit(0 if current == head else 1)


def _store(create_key: bool = False) -> SubmissionStore:
    """The submission store of the configured database and signing key."""
    from formengine.config import PROJECT_ROOT
    from formengine.submissions.signing import Signer, load_or_create_key
    from formengine.submissions.store import SubmissionStore

    settings = Settings()
    key = settings.signing_key
    path = PROJECT_ROOT / "instance" / "signing_key"
    if key is None and (create_key or path.exists()):
        key = load_or_create_key(path)
    if key is None:
        raise click.ClickException("no signing key: set FORMENGINE_SIGNING_KEY (or run the "
                                   "app once, which keeps one in instance/signing_key)")
    return SubmissionStore(_engine(), Signer.from_text(key), settings.draft_days)


@main.command()
@click.argument("receipts", nargs=-1, required=True)
def verify(receipts: tuple[str, ...]) -> None:
    """Check the signature and the stored data of submissions; exit 1 unless all are intact."""
    from formengine.submissions.receipts import normalize_receipt

    store = _store()
    failed = 0
    for typed in receipts:
        receipt = normalize_receipt(typed) or typed
        found = store.verify(receipt)
        if found is None:
            click.echo(f"{receipt}: no such submission")
        elif found:
            click.echo(f"{receipt}: intact, signed with key {store.signer.key_id}")
        else:
            click.echo(f"{receipt}: NOT intact: the stored data was changed, or it was signed "
                       "with another key")
        failed += not found
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--dry-run", is_flag=True, help="Count what would go, change nothing.")
def purge(dry_run: bool) -> None:
    """Delete expired drafts and co-applicant requests, and the personal data of
    long-decided submissions."""
    from formengine.storage.consents import ConsentStore

    settings = Settings()
    store = _store()
    report = store.purge(settings.retention_days, dry_run=dry_run)
    requests = ConsentStore(store.engine).purge(dry_run=dry_run)
    verb = "would be" if dry_run else "were"
    click.echo(f"{report.drafts} expired draft(s) and {requests} expired co-applicant "
               f"request(s) {verb} deleted; the personal data of "
               f"{report.submissions} submission(s) decided more than "
               f"{settings.retention_days} days ago {verb} erased")


@main.group()
def submissions() -> None:
    """Stored submissions."""


@submissions.command("processed")
@click.argument("receipts", nargs=-1, required=True)
def submissions_processed(receipts: tuple[str, ...]) -> None:
    """Record that submissions were decided (their retention period starts)."""
    from formengine.submissions.receipts import normalize_receipt

    store = _store()
    missing = [r for r in receipts if not store.mark_processed(normalize_receipt(r) or r)]
    for receipt in missing:
        click.echo(f"{receipt}: no such submission", err=True)
    sys.exit(1 if missing else 0)


# --- formengine outbox: hand-off to the processing system (docs/outbox.md) --------------


@main.group(cls=click.Group)
def outbox() -> None:
    """The outbox: submissions POSTed to the processing system (FORMENGINE_WEBHOOK_URL)."""


def _routes(settings: Settings) -> dict[str, tuple[str, bytes]]:
    """The tenants' own webhooks: ``{tenant id: (url, secret)}``."""
    from formengine.tenants import TenantError, Tenants

    try:
        found = Tenants.load(settings.tenants_path)
        return {t.id: (t.webhook.url, t.webhook.secret_value().encode("utf-8"))
                for t in found if t.webhook is not None}
    except TenantError as exc:
        raise click.ClickException(str(exc)) from None


def _outbox(settings: Settings) -> Outbox:
    from formengine.submissions.outbox import Outbox

    return Outbox(make_engine(settings.database), settings.webhook_url or "",
                  (settings.webhook_secret or "-").encode("utf-8"),
                  max_attempts=settings.outbox_max_attempts, backoff=settings.outbox_backoff,
                  routes=_routes(settings))


@outbox.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.01),
              help="Seconds between two looks at the outbox.")
def outbox_run(once: bool, interval: float) -> None:
    """Deliver due submissions to the webhook until SIGTERM or SIGINT (several may run)."""
    import logging
    import signal
    import threading
    from datetime import UTC, datetime

    from formengine.storage import is_at_head
    from formengine.submissions.outbox import DeliveryReport

    settings = Settings()
    box = _outbox(settings)
    if not settings.webhook_url and not box.routes:
        raise click.ClickException("FORMENGINE_WEBHOOK_URL is not set and no tenant has a "
                                   "webhook: nowhere to deliver")
    if settings.webhook_url and not settings.webhook_secret:
        raise click.ClickException("FORMENGINE_WEBHOOK_SECRET is not set: deliveries must "
                                   "be signed")
    try:
        if not is_at_head(box.engine):
            raise click.ClickException("the engine database is not at the latest schema: "
                                       "run formengine db upgrade")
        if once:
            # A fixed "now": rows that fail are due later, so this ends.
            now, total = datetime.now(UTC), DeliveryReport()
            while True:
                report = box.deliver_due(now)
                total += report
                if report.claimed == 0:
                    break
            click.echo(f"outbox: {total}")
            return
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        stop = threading.Event()

        def _stop(signum: int, _frame: object) -> None:
            click.echo(f"outbox: {signal.Signals(signum).name}, stopping", err=True)
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, _stop)
        click.echo(f"outbox: delivering every {interval:g} s", err=True)
        total = box.run(stop, interval)
        click.echo(f"outbox: stopped; {total}", err=True)
    finally:
        box.close()
        box.engine.dispose()


@outbox.command("list")
@click.option("--state", type=click.Choice(["pending", "delivered", "parked"]), default=None,
              help="Only entries in this state.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="At most this many entries, the oldest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def outbox_list(state: str | None, limit: int, as_json: bool) -> None:
    """List outbox entries (delivery id, receipt, state, attempts, last error)."""
    box = _outbox(Settings())
    try:
        entries = box.list(state, limit)
    finally:
        box.close()
        box.engine.dispose()
    if as_json:
        click.echo(json.dumps([entry.to_json() for entry in entries], indent=2))
        return
    for e in entries:
        due = "" if e.state != "pending" else f" next {e.next_attempt_at:%Y-%m-%d %H:%M:%S}Z"
        error = f" last error: {e.last_error}" if e.last_error else ""
        click.echo(f"{e.delivery_id}  {e.receipt:<16}  {e.state:<9}  {e.attempts:>2} "
                   f"attempt(s){due}{error}")
    click.echo(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")


@outbox.command("receive")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=8082, show_default=True, type=int, help="Port.")
@click.option("--secret", envvar="FORMENGINE_WEBHOOK_SECRET", required=True,
              help="The HMAC secret (default: FORMENGINE_WEBHOOK_SECRET).")
@click.option("--store", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("instance/received"), show_default=True,
              help="Folder the deliveries are written to, one JSON file each.")
def outbox_receive(host: str, port: int, secret: str, folder: Path) -> None:
    """Serve a reference receiver: checks signatures, stores each delivery once."""
    import logging

    from formengine.population_service import QuietRequestHandler
    from formengine.submissions.receiver import create_receiver

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    click.echo(f"formengine: receiving deliveries at http://{host}:{port}/ into {folder}",
               err=True)
    run_simple(host, port, create_receiver(secret.encode(), folder), threaded=True,
               request_handler=QuietRequestHandler)


@outbox.command("retry")
@click.argument("key", metavar="RECEIPT_OR_DELIVERY_ID")
def outbox_retry(key: str) -> None:
    """Put a parked delivery back in the queue (attempts from 0, due now)."""
    box = _outbox(Settings())
    try:
        try:
            changed = box.retry(key)
        except LookupError:
            raise click.ClickException(f"no outbox entry with receipt or delivery id {key}"
                                       ) from None
        entry = box.get(key)
    finally:
        box.close()
        box.engine.dispose()
    assert entry is not None
    if not changed:
        raise click.ClickException(f"{entry.delivery_id} is {entry.state}, not parked: "
                                   "nothing to retry")
    click.echo(f"{entry.delivery_id} (receipt {entry.receipt}) is pending again")


@main.command("new")
@click.argument("procedure_id")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder to write into (default: form_definitions/).")
def new(procedure_id: str, output: Path | None) -> None:
    """Write a starter definition PROCEDURE_ID.json from the shared data dictionary."""
    from formengine.config import PROJECT_ROOT
    from formengine.definitions.loader import DefinitionError, load_definition
    from formengine.scaffold import ScaffoldError, write_starter

    folder = output or PROJECT_ROOT / "form_definitions"
    try:
        path = write_starter(procedure_id, folder)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        load_definition(path)
    except DefinitionError as exc:  # components missing next to a folder of one's own
        click.echo(f"wrote {path}, but it does not pass the checks yet:\n{exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path}: it passes `formengine check`. Next: rename the title, replace "
               f"the `request` question with the paper form's questions, then "
               f"`formengine check {path}` and open /forms/{procedure_id} in the demo.")


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def keep(path: Path) -> None:
    """Keep the current version of the definition PATH for the drafts and submissions made
    on it, before you edit it into a new version: a self-contained copy (every $ref
    inlined) in versions/<id>@<version>.json beside it."""
    from formengine.definitions.catalog import VERSIONS
    from formengine.definitions.loader import DefinitionError, load_definition

    try:
        definition = load_definition(path)
    except DefinitionError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    target = path.parent / VERSIONS / f"{definition.id}@{definition.version}.json"
    if target.exists():
        raise click.ClickException(f"{target} exists already: version {definition.version} "
                                   "is kept; give the file a new x-procedure.version first")
    target.parent.mkdir(exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(json.dumps(definition.schema, ensure_ascii=False, indent=2) + "\n")
    click.echo(f"kept version {definition.version} of {definition.id} in {target}. Now edit "
               f"{path}, give it a new x-procedure.version, and compare with `formengine diff "
               f"{target} {path}`.")


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format (json for CI).")
def diff_command(old: Path, new: Path, output: str) -> None:
    """Fields added, removed and changed from OLD to NEW (two versions of a definition),
    and whether drafts made on OLD stay valid; exit 1 when they may not."""
    from formengine.definitions.diff import diff
    from formengine.definitions.loader import DefinitionError, load_definition

    try:
        before, after = load_definition(old), load_definition(new)
    except DefinitionError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    if before.id != after.id:
        click.echo(f"not two versions of one procedure: {before.id} and {after.id}", err=True)
        sys.exit(2)
    found = diff(before, after)
    if output == "json":
        click.echo(json.dumps({"procedure_id": before.id, **found.to_json()}, indent=2,
                              ensure_ascii=False))
        sys.exit(0 if found.drafts_stay_valid else 1)
    required = set(found.newly_required)
    click.echo(f"{before.id}: version {found.old_version} -> {found.new_version}")
    for pointer in found.added:
        click.echo(f"added    {pointer}")
    for pointer in found.removed:
        click.echo(f"removed  {pointer} (drafts lose their answers to it)")
    for change in found.changed:
        flag = " (may refuse answers given before)" if change.tightening else ""
        click.echo(f"changed  {change.pointer}: {'; '.join(change.what)}{flag}")
    for pointer in sorted(required):
        click.echo(f"required {pointer} (drafts without an answer are asked for one)")
    if found.procedure:
        click.echo(f"x-procedure: {', '.join(found.procedure)} changed")
    if found.drafts_stay_valid:
        click.echo(f"drafts made on version {found.old_version} stay valid on "
                   f"{found.new_version}")
    else:
        click.echo(f"drafts made on version {found.old_version} may not stay valid on "
                   f"{found.new_version}: see removed and changed fields above")
    sys.exit(0 if found.drafts_stay_valid else 1)


@main.group()
def tenants() -> None:
    """Tenants: the province portals that embed the forms and call the API."""


@tenants.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def tenants_check(folder: Path | None) -> None:
    """Validate every tenant file of FOLDER (default: the configured tenants folder)."""
    from formengine.definitions.catalog import Catalog
    from formengine.tenants import TenantError, Tenants

    settings = Settings()
    folder = folder or settings.tenants_path
    if folder is None:
        raise click.ClickException("no tenants folder: give one or set FORMENGINE_TENANTS")
    try:
        found = Tenants.load(folder)
        found.check_procedures({d.id for d in Catalog.load(settings.definitions)})
    except TenantError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for tenant in found:
        procedures = "every procedure" if "*" in tenant.procedures else (
            f"{len(tenant.procedures)} procedure(s)")
        click.echo(f"{tenant.id}: {len(tenant.origins)} origin(s), {procedures}, "
                   f"{len(tenant.api_keys)} API key(s), "
                   f"{'a webhook' if tenant.webhook else 'no webhook'}")
    click.echo(f"{len(found)} tenant(s) checked in {folder}")


@tenants.command("key")
@click.argument("tenant_id")
@click.option("--name", default="key", show_default=True,
              help="The key's id in the tenant file (to tell keys apart, and to revoke).")
def tenants_key(tenant_id: str, name: str) -> None:
    """Make a new API key for TENANT_ID: print the key (once) and the lines for its file."""
    from formengine.tenants import hash_key, new_key

    key = new_key()
    click.echo(f"API key for {tenant_id} (give it to the portal; it is not stored):\n"
               f"  {key}\n"
               f"Add to {tenant_id}.toml:\n\n"
               f"[[api_keys]]\nid = \"{name}\"\nsha256 = \"{hash_key(key)}\"")


def register(app: Flask) -> None:
    """Make the commands available as ``flask --app formengine <command>`` too."""
    for command in (serve, check, coverage, verify, purge, submissions, population, db, outbox,
                    tenants, new, preview, diff_command, keep, portal):
        app.cli.add_command(command)
