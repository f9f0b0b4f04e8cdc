"""Measure register prefill: the work a form does with the register, beside its floors.

    python bench/prefill_work.py [--count N] [--people K]

Generates ``--count`` synthetic citizens (default 20,000) and, for ``--people`` household
heads (default 300), times in alternating chunks (so load from elsewhere hits all alike):

* ``lookups``: the adapter calls alone (citizen + household), the floor of the snapshot;
* ``snapshot``: ``PrefillService.snapshot`` for the example residence form: the same
  lookups on the service's thread pool, the audit entries in one SQLite transaction, and
  the mapping onto the bindings;
* ``page signed in``: GET of the form's first page for the signed-in person (snapshot,
  seed, render), beside ``page anonymous``, the same page rendered without register data
  (the page cache off, so both render).

Prints a table with the ratios and writes bench/results/prefill_work.json (git-ignored). See
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT)]

from formengine.app import create_app  # noqa: E402
from prefill.sqlite import read_documents  # noqa: E402
from prefill.synthetic import generate  # noqa: E402

RESULTS = BENCH / "results" / "prefill_work.json"
FORM = "/forms/example-residence-registration"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def interleaved(probes: dict[str, Callable[[str], object]], ids: list[str],
                chunk: int = 25) -> dict[str, list[float]]:
    """Time each probe on every ID, in alternating chunks of ``chunk`` IDs."""
    samples: dict[str, list[float]] = {name: [] for name in probes}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        for name, probe in probes.items():
            for personal_id in part:
                began = time.perf_counter()
                probe(personal_id)
                samples[name].append(time.perf_counter() - began)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="synthetic citizens")
    parser.add_argument("--people", type=int, default=300, help="household heads timed")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="formengine-bench-"))
    population = folder / "population.sqlite3"
    generate(population, args.count, seed=5)
    heads = [d["personal_id"] for d in read_documents(population)
             if d.get("relationship_to_head") == "head" and "date_of_death" not in d
             and len(d.get("household", {}).get("members", ())) >= 2][:args.people]
    app = create_app({"demo": True, "population_db": population, "secret_key": "bench",
                      "database_url": f"sqlite:///{folder / 'engine.sqlite3'}",
                      "page_cache_size": 0, "rate_limit_enabled": False})  # one address
    service = app.extensions["formengine.prefill"]
    adapter = service.adapter
    definition = app.extensions["formengine.catalog"].get("example-residence-registration")
    signed = app.test_client()
    anonymous = app.test_client()

    def lookups(pid: str) -> object:
        adapter.citizen(pid, procedure="bench")
        return adapter.household(pid, procedure="bench")

    def page_signed_in(pid: str) -> object:
        with signed.session_transaction() as session:
            session.update(personal_id=pid, auth_method="demo", assurance=2)
        response = signed.get(FORM)
        assert b'data-prefilled="locked"' in response.data
        return response

    probes: dict[str, Callable[[str], object]] = {
        "lookups": lookups,
        "snapshot": lambda pid: service.snapshot(definition, pid),
        "page anonymous": lambda pid: anonymous.get(FORM),
        "page signed in": page_signed_in,
    }
    interleaved(probes, heads[:20])  # warm up
    samples = interleaved(probes, heads)
    figures = {name: median_ms(values) for name, values in samples.items()}
    table = [
        ("register work of a form (snapshot)", figures["snapshot"], "lookups",
         figures["lookups"]),
        ("prefilled first page GET", figures["page signed in"], "page anonymous",
         figures["page anonymous"]),
    ]
    print(f"{'figure':<38} {'median':>9}  {'floor':<15} {'floor ms':>8}  ratio")
    for name, value, floor_name, floor in table:
        print(f"{name:<38} {value:>7.2f}ms  {floor_name:<15} {floor:>6.2f}ms  "
              f"{value / floor:.1f}x")
    print(f"{len(heads)} household heads of {args.count} citizens; lookups and audit on "
          "SQLite files in a temporary folder")
    RESULTS.parent.mkdir(exist_ok=True)
    result: dict[str, Any] = {"count": args.count, "people": len(heads),
                              "median_ms": figures}
    RESULTS.write_text(json.dumps(result, indent=2))
    service.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
