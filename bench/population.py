"""Measure the synthetic population: generation time, and lookups beside a bare-SQLite floor.

    python bench/population.py [--count N] [--seed S] [--lookups K] [--keep PATH]

Generates ``--count`` citizens (default 1,000,000) into a temporary file (or ``--keep``),
times it (target: 1,000,000 in under 3 minutes), then times lookups by random personal ID
through ``SqliteAdapter`` (target: median under 1 ms) beside the floor, a bare
``SELECT doc FROM citizens WHERE id = ?`` on a plain sqlite3 connection. Paired figures are
taken in alternating chunks so load from elsewhere hits both. Prints a table and writes
bench/results/population.json (git-ignored). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sqlite3
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

from prefill.adapter import NotFound  # noqa: E402
from prefill.sqlite import SqliteAdapter  # noqa: E402
from prefill.synthetic import generate  # noqa: E402

RESULTS = BENCH / "results" / "population.json"
TARGET_GENERATE_S = 180.0
TARGET_LOOKUP_MS = 1.0
PROCEDURE = "bench"


def stats(samples: list[float]) -> dict[str, float]:
    """Median and p95 in milliseconds of samples in seconds."""
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered) * 1e3,
            "p95_ms": ordered[int(len(ordered) * 0.95) - 1] * 1e3, "count": len(ordered)}


def interleaved(probes: dict[str, Callable[[str], object]], ids: list[str],
                chunk: int = 50) -> dict[str, dict[str, float]]:
    """Time each probe on every ID, in alternating chunks of ``chunk`` IDs."""
    samples: dict[str, list[float]] = {name: [] for name in probes}
    clock = time.perf_counter
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        for name, probe in probes.items():
            for personal_id in part:
                began = clock()
                probe(personal_id)
                samples[name].append(clock() - began)
    return {name: stats(values) for name, values in samples.items()}


def measure(path: Path, lookups: int, seed: int) -> dict[str, Any]:
    floor = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    keys = [key for (key,) in floor.execute("SELECT id FROM citizens")]
    rng = random.Random(seed)
    ids = [f"{key:012d}" for key in rng.sample(keys, min(lookups, len(keys)))]
    present = set(keys)
    unknown = [f"{key:012d}" for key in (rng.randrange(1_000_000_000, 99_000_000_000)
                                         for _ in range(len(ids) * 2)) if key not in present]
    adapter = SqliteAdapter(path)

    def bare(personal_id: str) -> object:
        return floor.execute("SELECT doc FROM citizens WHERE id = ?",
                             (int(personal_id),)).fetchone()

    def citizen(personal_id: str) -> object:
        return adapter.citizen(personal_id, procedure=PROCEDURE)

    def not_found(personal_id: str) -> object:
        try:
            return adapter.citizen(personal_id, procedure=PROCEDURE)
        except NotFound:
            return None

    for personal_id in ids[:200]:  # warm up both paths
        citizen(personal_id)
        bare(personal_id)
    paired = interleaved({"adapter": citizen, "floor": bare}, ids)
    others = interleaved({
        "household": lambda i: adapter.household(i, procedure=PROCEDURE),
        "linked": lambda i: adapter.linked(i, procedure=PROCEDURE),
    }, ids[: max(len(ids) // 5, 1)])
    missing = interleaved({"unknown": not_found}, unknown[: len(ids) // 5 or 1])
    return {**paired, **others, **missing}


def row(figure: str, value: str, floor: str = "-", ratio: str = "-", target: str = "-",
        met: str = "-") -> dict[str, str]:
    return {"figure": figure, "value": value, "floor": floor, "ratio": ratio,
            "target": target, "met": met}


def print_table(table: list[dict[str, str]]) -> None:
    columns = ["figure", "value", "floor", "ratio", "target", "met"]
    widths = {c: max(len(c), *(len(r[c]) for r in table)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-+-".join("-" * widths[c] for c in columns))
    for line in table:
        print(" | ".join(line[c].ljust(widths[c]) for c in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lookups", type=int, default=20_000, help="random IDs to look up")
    parser.add_argument("--keep", type=Path, help="write here and keep the file")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="population-bench-") as folder:
        path = args.keep or Path(folder) / "population.sqlite3"
        print(f"generating {args.count:,} citizens (seed {args.seed}) into {path} ...",
              flush=True)
        began = time.perf_counter()
        cpu_began = time.process_time()
        summary = generate(path, args.count, args.seed)
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        size = path.stat().st_size
        print(f"done in {seconds:.1f} s; measuring {args.lookups:,} lookups ...", flush=True)
        lookups = measure(path, args.lookups, args.seed)

    target_s = TARGET_GENERATE_S * args.count / 1_000_000
    adapter, floor = lookups["adapter"], lookups["floor"]
    table = [
        row(f"generate {args.count:,} citizens", f"{seconds:.1f} s ({cpu:.1f} s CPU)",
            target=f"< {target_s:.0f} s", met="yes" if seconds < target_s else "no"),
        row("generation rate", f"{args.count / seconds:,.0f} citizens/s"),
        row("file size", f"{size / 1e6:,.0f} MB ({size / max(args.count, 1):,.0f} B/citizen)"),
        row("households", f"{summary.households:,}"),
        row("lookup by ID, median (p95)",
            f"{adapter['median_ms'] * 1e3:.0f} µs ({adapter['p95_ms'] * 1e3:.0f})",
            f"{floor['median_ms'] * 1e3:.0f} µs ({floor['p95_ms'] * 1e3:.0f})",
            f"{adapter['median_ms'] / floor['median_ms']:.1f}×",
            f"< {TARGET_LOOKUP_MS:g} ms",
            "yes" if adapter["median_ms"] < TARGET_LOOKUP_MS else "no"),
        *(row(f"{name}, median (p95)",
              f"{lookups[name]['median_ms'] * 1e3:.0f} µs ({lookups[name]['p95_ms'] * 1e3:.0f})")
          for name in ("household", "linked", "unknown")),
    ]
    print()
    print_table(table)
    result = {
        "count": args.count, "seed": args.seed, "generate_s": seconds, "generate_cpu_s": cpu,
        "file_bytes": size, "households": summary.households,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "lookups": lookups, "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "machine": platform.machine(),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2))
    print(f"\nresults: {args.output}")


if __name__ == "__main__":
    main()
