"""Submit throughput under gunicorn (2 workers), on SQLite and on PostgreSQL.

    python bench/submit.py [--seconds S] [--databases sqlite,postgresql]

A submit is the whole server path of "Accept and send": read the 40-field form, coerce,
validate strictly, store the submission once with its outbox row and its Ed25519
signature, render the receipt. For each database the script serves bench/definitions/
forty-fields.json with gunicorn (2 gthread workers), then:

1. drives POSTs of a valid instance from 8 keep-alive connections (two client processes)
   for ``--seconds`` and reports submits/s, beside the floor: the same gunicorn serving the
   form page (GET, the page-render figure of bench/run.py) under the same load;
2. paces POSTs at half that rate and reports the median and p99 latency;
3. checks that every 2xx answer is one stored submission with one outbox row.

Targets (issue 4): >= 300 submits/s on each database, p99 < 100 ms at half that rate.
PostgreSQL is the server at 127.0.0.1:5432 (trust auth, database ``test``; a database
``bench_submit`` is created and dropped). Results go to bench/results/submit.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from run import DEFINITION, INSTANCE, PAGE_PATH, Server, field_post  # noqa: E402

RESULTS = BENCH / "results" / "submit.json"
SIGNING_KEY = "YmVuY2gtc2lnbmluZy1rZXktMzItYnl0ZXMtLi4uLi4="
POSTGRES = "postgresql://postgres@127.0.0.1:5432/"
TARGET_RPS = 300.0
TARGET_P99_MS = 100.0


def _worker(port: int, method: str, body: bytes, seconds: float, threads: int,
            pace: float | None, results: Any) -> None:
    """Requests from ``threads`` keep-alive connections until time; with ``pace``, each
    thread sends one request every ``pace`` seconds. Puts (ok, errors, latencies)."""
    from apps import SECRET

    from formengine.web.csrf import sign

    # A browser's CSRF cookie and its token (docs/security.md), the same for every request.
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Cookie": "fe_csrf=bench", "X-CSRF-Token": sign(SECRET, "bench")}
    ok, errors = [0] * threads, [0] * threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    deadline = time.monotonic() + seconds

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        next_at = time.monotonic() + (pace or 0) * index / threads
        while time.monotonic() < deadline:
            if pace:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += pace
            began = time.perf_counter()
            try:
                connection.request(method, PAGE_PATH, body=body if method == "POST" else None,
                                   headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    ok[index] += 1
                    latencies[index].append(time.perf_counter() - began)
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.close()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put((sum(ok), sum(errors), [x for part in latencies for x in part]))


def load(port: int, method: str, body: bytes, seconds: float, connections: int = 8,
         rate: float | None = None) -> dict[str, Any]:
    """Drive the server; ``rate`` (requests/s in total) paces the requests."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    per_process = max(1, connections // 2)
    pace = None if rate is None else connections / rate
    children = [context.Process(target=_worker, args=(port, method, body, seconds,
                                                      per_process, pace, results))
                for _ in range(2)]
    started = time.monotonic()
    for child in children:
        child.start()
    reports = [results.get(timeout=seconds + 60) for _ in children]
    for child in children:
        child.join(timeout=10)
    elapsed = time.monotonic() - started
    done = sum(r[0] for r in reports)
    latencies = sorted(x for r in reports for x in r[2])
    return {"ok": done, "errors": sum(r[1] for r in reports), "per_s": done / elapsed,
            "median_ms": statistics.median(latencies) * 1e3 if latencies else None,
            "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1e3 if latencies else None}


def database(kind: str, folder: Path) -> tuple[str, Any]:
    """A fresh database URL of ``kind`` and a function dropping it."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'engine.sqlite3'}", lambda: None
    from formengine.storage import make_engine

    admin = make_engine(POSTGRES + "test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql('DROP DATABASE IF EXISTS "bench_submit" WITH (FORCE)')
        connection.exec_driver_sql('CREATE DATABASE "bench_submit"')

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql('DROP DATABASE IF EXISTS "bench_submit" WITH (FORCE)')
        admin.dispose()

    return POSTGRES + "bench_submit", drop


def stored(url: str) -> tuple[int, int]:
    """(submissions, outbox rows) in the database."""
    import sqlalchemy as sa

    from formengine.storage import make_engine
    from formengine.storage.tables import outbox, submissions

    engine = make_engine(url)
    with engine.connect() as connection:
        counts = tuple(int(connection.execute(sa.select(sa.func.count()).select_from(t))
                           .scalar_one()) for t in (submissions, outbox))
    engine.dispose()
    return counts[0], counts[1]


def measure(kind: str, seconds: float) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="formengine-submit-"))
    url, drop = database(kind, folder)
    env = {"BENCH_DEFINITION": str(DEFINITION), "FORMENGINE_DATABASE_URL": url,
           "FORMENGINE_SIGNING_KEY": SIGNING_KEY}
    from formengine.storage import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)  # once, before the workers start
    engine.dispose()
    server = Server("apps:formengine_app()", env, workers=2)
    try:
        server.start()
        html = server.wait_ready().decode()
        instance = json.loads(INSTANCE.read_text(encoding="utf-8"))
        body = urlencode([*field_post(html, instance), ("_page", "*"),
                          ("_action", "submit")]).encode()
        load(server.port, "POST", body, 2.0)  # warm up
        load(server.port, "GET", b"", 1.0)
        before = stored(url)[0]
        submits = load(server.port, "POST", body, seconds)
        floor = load(server.port, "GET", b"", seconds)
        paced = load(server.port, "POST", body, seconds, rate=submits["per_s"] / 2)
        rows, outbox_rows = stored(url)
    finally:
        server.stop()
        drop()
    sent = submits["ok"] + paced["ok"]
    assert rows - before == sent and outbox_rows == rows, (rows, outbox_rows, sent)
    return {"database": kind, "submits": submits, "page_floor": floor, "half_rate": paced,
            "stored_ok": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per round")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    results = [measure(kind, args.seconds) for kind in args.databases.split(",")]
    print(f"{'database':<11} {'submits/s':>10} {'page floor/s':>13} {'ratio':>6} "
          f"{'p50 ms':>7} {'p99 ms':>7} (at half rate)  targets: >= {TARGET_RPS:.0f}/s, "
          f"p99 < {TARGET_P99_MS:.0f} ms")
    for r in results:
        s, f, h = r["submits"], r["page_floor"], r["half_rate"]
        met = s["per_s"] >= TARGET_RPS and (h["p99_ms"] or 1e9) < TARGET_P99_MS
        print(f"{r['database']:<11} {s['per_s']:>10.0f} {f['per_s']:>13.0f} "
              f"{s['per_s'] / f['per_s']:>6.0%} {h['median_ms']:>7.1f} {h['p99_ms']:>7.1f}"
              f"   {'met' if met else 'NOT met'}; errors {s['errors'] + h['errors']}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
