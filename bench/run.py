"""Measure formengine beside its floors, in one run, and print a table with ratios.

    python bench/run.py [--quick] [--client auto|wrk|python]

Figures (see docs/performance.md):

* page throughput: GET /forms/forty-fields served by gunicorn vs. a minimal Flask app
  returning the same pre-rendered HTML (same gunicorn config), driven by wrk or, without
  wrk, a small keep-alive Python client in separate processes;
* HTMX field validation: server time of POST /forms/forty-fields/validate?field=... with the
  whole form, measured in-process by a WSGI timer (target: median <= 2 ms);
* page render in-process (test client), to help optimisation;
* validation: report.validate() and the coerce + prune + validate path vs. the bare
  compiled jsonschema Draft202012Validator on the same inlined schema and instance.

Results also go to bench/results/latest.json. Everything binds 127.0.0.1; servers are
stopped at the end, even on error.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import http.client
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from apps import DEFINITION, floor_app, formengine_app  # noqa: E402

if TYPE_CHECKING:
    from flask import Flask

INSTANCE = BENCH / "definitions" / "forty-fields.instance.json"
RESULTS = BENCH / "results" / "latest.json"
PAGE_PATH = "/forms/forty-fields"
#: The field whose inline validation is timed (a plain, non-controlling text field).
FIELD = "business_name"
#: A field sent with an invalid value for the "field with an error" round trip.
BAD_FIELD, BAD_VALUE = "phone", "0912"
TARGET_RATIO = 0.50
TARGET_FIELD_MS = 2.0


@dataclass(frozen=True)
class Budget:
    """How long each part runs (full run < 2 min, --quick < 30 s)."""

    warmup_s: float
    round_s: float
    rounds: int
    sample_s: float
    max_samples: int

    @classmethod
    def of(cls, quick: bool) -> Budget:
        if quick:
            return cls(warmup_s=1.0, round_s=3.0, rounds=1, sample_s=0.4, max_samples=300)
        return cls(warmup_s=2.0, round_s=6.0, rounds=3, sample_s=2.5, max_samples=4000)


# --- timing helpers ----------------------------------------------------------------------


@dataclass
class Stats:
    """Per-call times in milliseconds."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    def as_dict(self) -> dict[str, float]:
        return {"median_ms": self.median, "p95_ms": self.p95, "n": len(self.samples)}


Probe = Callable[[], dict[str, float]]


def timed(fn: Callable[[], object]) -> Probe:
    """A probe timing one call of ``fn`` (wall-clock, key ``call``)."""

    def probe() -> dict[str, float]:
        start = time.perf_counter_ns()
        fn()
        return {"call": (time.perf_counter_ns() - start) / 1e6}

    return probe


def interleaved(probes: dict[str, Probe], budget: Budget, chunk: int = 10,
                warmup: int = 20) -> dict[str, dict[str, Stats]]:
    """Run the probes in alternating chunks, so that the figures compared with each other
    see the same load on the machine; at least 30 samples each, then until the budget."""
    for probe in probes.values():
        for _ in range(warmup):
            probe()
    found: dict[str, dict[str, list[float]]] = {name: {} for name in probes}
    deadline = time.monotonic() + budget.sample_s * len(probes)
    count = 0
    while count < budget.max_samples and (count < 30 or time.monotonic() < deadline):
        for name, probe in probes.items():
            for _ in range(chunk):
                for key, value in probe().items():
                    found[name].setdefault(key, []).append(value)
        count += chunk
    return {name: {key: Stats(values) for key, values in kinds.items()}
            for name, kinds in found.items()}


class WsgiTimer:
    """WSGI middleware timing each request on the server side (the body included): wall-clock
    and the CPU time of the serving thread (less sensitive to other load on the machine)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last: dict[str, float] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        body = self.app(environ, start_response)
        try:
            chunks = list(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        self.last = {"cpu": (time.thread_time_ns() - start_cpu) / 1e6,
                     "server": (time.perf_counter_ns() - start) / 1e6}
        return chunks

    def probe(self, send: Callable[[], object]) -> Probe:
        """A probe sending one request: server wall and CPU time, test-client round trip."""

        def run() -> dict[str, float]:
            start = time.perf_counter_ns()
            send()
            return {"client": (time.perf_counter_ns() - start) / 1e6, **self.last}

        return run


# --- validation --------------------------------------------------------------------------


def invalid_instance(instance: dict[str, Any]) -> dict[str, Any]:
    """The valid instance with four mistakes: a format, a minimum, a pattern, a required."""
    bad = copy.deepcopy(instance)
    bad["email"] = "thuha.nguyen@"
    bad["capital"] = -5
    bad["bank_account"] = "12-34"
    del bad["business_name"]
    return bad


def measure_validation(budget: Budget) -> dict[str, Any]:
    """formengine's validation paths vs. the bare compiled jsonschema validator."""
    from jsonschema import Draft202012Validator
    from werkzeug.datastructures import MultiDict

    from formengine.definitions import load_definition
    from formengine.schema import prune
    from formengine.validation.coerce import encode, read_form
    from formengine.validation.formats import make_format_checker
    from formengine.validation.report import validate

    definition = load_definition(DEFINITION)
    instance = json.loads(INSTANCE.read_text(encoding="utf-8"))
    bad = invalid_instance(instance)
    bare = Draft202012Validator(definition.schema, format_checker=make_format_checker())
    assert validate(definition, instance, "vi") == [], "the bench instance must be valid"
    assert bare.is_valid(instance)
    found = validate(definition, bad, "vi")
    assert len(found) == 4, found
    names = [pointer[1:] for pointer in definition.pages[0].fields]
    formdata = MultiDict(encode(definition.schema, instance))

    def from_fields() -> object:
        data, unknown = read_form(formdata, definition.schema, names)
        assert not unknown
        return validate(definition, prune(definition.schema, data, definition.is_valid), "vi")

    assert from_fields() == []
    results = interleaved({
        "validate_valid": timed(lambda: validate(definition, instance, "vi")),
        "validate_invalid": timed(lambda: validate(definition, bad, "vi")),
        "from_fields": timed(from_fields),
        "bare_is_valid": timed(lambda: bare.is_valid(instance)),
        "bare_errors_valid": timed(lambda: list(bare.iter_errors(instance))),
        "bare_errors_invalid": timed(lambda: list(bare.iter_errors(bad))),
    }, budget)
    return {"errors_in_invalid": len(found),
            **{name: kinds["call"] for name, kinds in results.items()}}


# --- in-process requests -----------------------------------------------------------------


def field_post(html: str, instance: dict[str, Any], **changes: str) -> list[tuple[str, str]]:
    """The body htmx posts for an inline validation: every field of the form, as typed."""
    from formengine.definitions import load_definition
    from formengine.validation.coerce import encode

    definition = load_definition(DEFINITION)
    state = re.search(r'name="_state" value="([^"]*)"', html)
    assert state is not None
    fields = [(k, v) for k, v in encode(definition.schema, instance).items(multi=True)
              if k not in changes]
    return [("_state", state.group(1)), ("_page", "form"), *fields, *changes.items()]


def measure_in_process(budget: Budget) -> dict[str, Any]:
    """Test-client requests timed by a WSGI timer: page render and inline validation."""
    from werkzeug.test import TestResponse

    app = formengine_app()
    timer = WsgiTimer(app.wsgi_app)
    app.wsgi_app = timer  # type: ignore[method-assign]
    client = app.test_client()
    page = client.get(PAGE_PATH)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    instance = json.loads(INSTANCE.read_text(encoding="utf-8"))
    token = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert token is not None
    headers = {"HX-Request": "true", "HX-Trigger": f"f-{FIELD}",
               "HX-Current-URL": f"http://127.0.0.1{PAGE_PATH}", "X-CSRF-Token": token.group(1)}
    good = field_post(html, instance)
    bad = field_post(html, instance, **{BAD_FIELD: BAD_VALUE})
    url = f"{PAGE_PATH}/validate"

    def check(fields: list[tuple[str, str]], name: str, expect_error: bool) -> Callable[[], object]:
        body = urlencode(fields).encode()

        def send() -> TestResponse:
            return client.post(url, query_string={"field": name}, data=body, headers=headers,
                               content_type="application/x-www-form-urlencoded")

        reply = send()
        assert reply.status_code == 200, reply.status_code
        text = reply.get_data(as_text=True)
        assert f'id="f-{name}-group"' in text, text[:300]
        assert ("fe-error-message" in text) == expect_error, text[:600]
        return send

    floor = floor_app_in_process(page.data)
    floor_client = floor.test_client()
    floor_timer = WsgiTimer(floor.wsgi_app)
    floor.wsgi_app = floor_timer  # type: ignore[method-assign]
    # The same page carrying every answer (re-rendered by the "refresh" action, as without
    # JavaScript): never served from the cache of empty pages.
    answers = urlencode([*good, ("_action", "refresh")]).encode()

    def page_with_answers() -> TestResponse:
        return client.post(PAGE_PATH, data=answers, headers={"X-CSRF-Token": token.group(1)},
                           content_type="application/x-www-form-urlencoded")

    assert 'value="' in page_with_answers().get_data(as_text=True)
    pages = interleaved({"page": timer.probe(lambda: client.get(PAGE_PATH)),
                         "page_answers": timer.probe(page_with_answers),
                         "page_floor": floor_timer.probe(lambda: floor_client.get(PAGE_PATH))},
                        budget)
    fields = interleaved({"field": timer.probe(check(good, FIELD, False)),
                          "field_error": timer.probe(check(bad, BAD_FIELD, True))}, budget)
    return {"page_bytes": len(page.data), "page_fields": html.count('class="fe-group'),
            **pages, **fields}


def floor_app_in_process(html: bytes) -> Flask:
    """The floor app (in-process) returning ``html``."""
    with tempfile.NamedTemporaryFile("wb", suffix=".html", delete=False) as handle:
        handle.write(html)
    try:
        os.environ["BENCH_FLOOR_HTML"] = handle.name
        return floor_app()
    finally:
        os.unlink(handle.name)


# --- served throughput -------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """One gunicorn process group serving ``target`` on 127.0.0.1."""

    target: str
    env: dict[str, str]
    workers: int
    threads: int = 4
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PAGE_PATH}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--chdir", str(BENCH),
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--worker-class", "gthread", "--threads", str(self.threads),
                "--keep-alive", "5", "--log-level", "warning", self.target]

    def start(self) -> None:
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(self.command(), env=env, cwd=ROOT,
                                        start_new_session=True)

    def wait_ready(self, timeout: float = 30.0) -> bytes:
        """Wait until the page answers 200; return its body."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.target} exited ({self.process.returncode})")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, body = get_once(self.port)
                if status == 200:
                    return body
                raise RuntimeError(f"{self.target}: GET {PAGE_PATH} gave {status}")
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn {self.target} not ready after {timeout} s")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def get_once(port: int) -> tuple[int, bytes]:
    """One GET of the page on its own connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", PAGE_PATH)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Load:
    """The result of one load round."""

    requests_per_s: float
    requests: int
    errors: int
    client: str


def wrk_load(url: str, seconds: float, connections: int) -> Load:
    """Drive ``url`` with wrk (one thread, keep-alive connections)."""
    wrk = shutil.which("wrk")
    assert wrk is not None
    out = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s", url],
        capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    if rate is None or total is None:
        raise RuntimeError(f"cannot read wrk output:\n{out}")
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(float(rate.group(1)), int(total.group(1)), errors, "wrk")


def _client_process(port: int, seconds: float, threads: int, results: Any) -> None:
    """One load process: ``threads`` keep-alive connections GETting the page until time."""
    counts = [0] * threads
    errors = [0] * threads
    start = time.monotonic()
    deadline = start + seconds

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        while time.monotonic() < deadline:
            try:
                connection.request("GET", PAGE_PATH)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((sum(counts), sum(errors), time.monotonic() - start))


def python_load(port: int, seconds: float, connections: int) -> Load:
    """Drive the page with keep-alive http.client connections in two processes."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = 2
    per_process = max(1, connections // processes)
    children = [context.Process(target=_client_process, args=(port, seconds, per_process,
                                                              results))
                for _ in range(processes)]
    for child in children:
        child.start()
    try:
        reports = [results.get(timeout=seconds + 30) for _ in children]
    finally:
        for child in children:
            child.join(timeout=10)
            if child.is_alive():
                child.kill()
    done = sum(r[0] for r in reports)
    elapsed = max(r[2] for r in reports)
    return Load(done / elapsed, done, sum(r[1] for r in reports), "python")


def measure_throughput(budget: Budget, client: str, workers: int) -> dict[str, Any]:
    """Alternate load rounds on the engine and the floor; keep each one's best round."""
    connections = 8
    use_wrk = client == "wrk" or (client == "auto" and shutil.which("wrk") is not None)
    if client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk not found (apt-get install wrk), or use --client python")

    def load(server: Server, seconds: float) -> Load:
        if use_wrk:
            return wrk_load(server.url, seconds, connections)
        return python_load(server.port, seconds, connections)

    engine = Server("apps:formengine_app()", {"BENCH_DEFINITION": str(DEFINITION)}, workers)
    floor: Server | None = None
    html_file = tempfile.NamedTemporaryFile("wb", suffix=".html", delete=False)  # noqa: SIM115
    html_file.close()
    try:
        engine.start()
        html = engine.wait_ready()
        Path(html_file.name).write_bytes(html)
        floor = Server("apps:floor_app()", {"BENCH_FLOOR_HTML": html_file.name}, workers)
        floor.start()
        floor_html = floor.wait_ready()
        assert floor_html == html, "the floor must return the engine's page bytes"
        load(engine, budget.warmup_s)
        load(floor, budget.warmup_s)
        rounds: dict[str, list[Load]] = {"engine": [], "floor": []}
        for _ in range(budget.rounds):
            rounds["engine"].append(load(engine, budget.round_s))
            rounds["floor"].append(load(floor, budget.round_s))
        for name, done in rounds.items():
            if any(r.errors for r in done):
                raise RuntimeError(f"{name}: errors under load: {[r.errors for r in done]}")
    finally:
        engine.stop()
        if floor is not None:
            floor.stop()
        os.unlink(html_file.name)
    best = {name: max(r.requests_per_s for r in done) for name, done in rounds.items()}
    return {
        "engine_rps": best["engine"], "floor_rps": best["floor"],
        "rounds": {name: [r.requests_per_s for r in done] for name, done in rounds.items()},
        "client": "wrk" if use_wrk else "python", "connections": connections,
        "page_bytes": len(html),
        "gunicorn": " ".join(engine.command()[2:-1]).replace(str(BENCH), "bench")
                    .replace(f":{engine.port}", ":<free port>"),
    }


# --- report ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = platform.processor()
    with contextlib.suppress(OSError):
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", text)
        model = found.group(1) if found else model
    versions = {}
    for package in ("flask", "werkzeug", "jinja2", "wtforms", "jsonschema", "gunicorn"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_average": os.getloadavg(),
            "packages": versions}


def rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The table: figure, value, floor, ratio, target, met."""
    out: list[dict[str, Any]] = []
    served, local, valid = results["throughput"], results["in_process"], results["validation"]

    def times(name: str, value: Stats, floor: Stats | None = None,
              target: float | None = None, note: str = "") -> None:
        ratio = value.median / floor.median if floor else None
        out.append({
            "figure": name, "value": f"{value.median:.2f} ms{note}",
            "floor": f"{floor.median:.2f} ms" if floor else "-",
            "ratio": f"{ratio:.1f}x" if ratio else "-",
            "target": f"<= {target:g} ms" if target else "-",
            "met": ("yes" if value.median <= target else "NO") if target else "-",
        })

    ratio = served["engine_rps"] / served["floor_rps"]
    out.append({
        "figure": f"form page GET, req/s (gunicorn, {served['client']})",
        "value": f"{served['engine_rps']:.0f}", "floor": f"{served['floor_rps']:.0f}",
        "ratio": f"{ratio:.1%}", "target": f">= {TARGET_RATIO:.0%}",
        "met": "yes" if ratio >= TARGET_RATIO else "NO",
    })
    for key, name in (("field", "HTMX field validation, server time"),
                      ("field_error", "HTMX field validation (error), server time")):
        kinds: dict[str, Stats] = local[key]
        times(name, kinds["server"], target=TARGET_FIELD_MS,
              note=f" (p95 {kinds['server'].p95:.2f}, cpu {kinds['cpu'].median:.2f})")
    times("HTMX field validation, test-client round trip", local["field"]["client"])
    times("form page render in-process, server time", local["page"]["server"],
          local["page_floor"]["server"], note=f" (cpu {local['page']['cpu'].median:.2f})")
    times("form page with every answer (not cached), server time",
          local["page_answers"]["server"], local["page_floor"]["server"])
    times("validate() valid 40-field instance", valid["validate_valid"],
          valid["bare_errors_valid"])
    times(f"validate() invalid ({valid['errors_in_invalid']} errors)",
          valid["validate_invalid"], valid["bare_errors_invalid"])
    times("coerce + prune + validate from fields", valid["from_fields"],
          valid["bare_errors_valid"])
    times("bare is_valid (for reference)", valid["bare_is_valid"])
    return out


def print_table(table: list[dict[str, Any]]) -> None:
    columns = ["figure", "value", "floor", "ratio", "target", "met"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in table)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-+-".join("-" * widths[c] for c in columns))
    for row in table:
        print(" | ".join(str(row[c]).ljust(widths[c]) for c in columns))


def jsonable(value: Any) -> Any:
    if isinstance(value, Stats):
        return value.as_dict()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if not isinstance(v, bytes)}
    return value


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit so that ``finally`` blocks stop the servers."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (< 30 s)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk when installed)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="gunicorn workers (default: one per core)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    args = parser.parse_args(argv)
    budget = Budget.of(args.quick)
    started = time.monotonic()
    with terminate_as_exit():
        results: dict[str, Any] = {"command": " ".join(["python", "bench/run.py",
                                                        *(argv or sys.argv[1:])]),
                                   "machine": machine(), "budget": budget.__dict__}
        results["validation"] = measure_validation(budget)
        results["in_process"] = measure_in_process(budget)
        results["throughput"] = measure_throughput(budget, args.client, args.workers)
    results["seconds"] = round(time.monotonic() - started, 1)
    results["machine"]["load_average_end"] = os.getloadavg()
    rounds = results["throughput"]["rounds"]
    rounds.update({k: [round(v) for v in values] for k, values in rounds.items()})
    table = rows(results)
    results["table"] = table
    print_table(table)
    info = results["machine"]
    print(f"\n{info['cpu']}, {info['cores']} cores, Python {info['python']}; "
          f"{results['in_process']['page_fields']} fields shown on the page "
          f"({results['in_process']['page_bytes']} bytes); rounds (req/s): "
          f"{results['throughput']['rounds']}; load average {info['load_average'][0]:.1f} "
          f"-> {info['load_average_end'][0]:.1f}; {results['seconds']} s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(jsonable(results), indent=2, ensure_ascii=False) + "\n")
    print(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
