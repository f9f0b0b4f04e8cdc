"""Print the catalogue table of docs/procedures.md: per procedure its agency level, fee,
processing time, coverage (fields from data versus typed, as ``formengine coverage``), the
typical answers it is counted for (``x-procedure.typical_answers``) and the documents it no
longer asks for.

    .venv/bin/python tools/procedures_table.py [--sample 200] > /tmp/table.md
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from formengine.definitions.catalog import Catalog  # noqa: E402
from formengine.definitions.model import FormDefinition  # noqa: E402
from formengine.i18n import localize  # noqa: E402
from formengine.prefilling.coverage import synthetic_adults, typical  # noqa: E402


def answers_text(answers: Mapping[str, Any], prefix: str = "") -> str:
    """Typical answers as ``case=permanent_registration, partner.nationality=VN``."""
    return ", ".join(
        answers_text(value, f"{prefix}{name}.") if isinstance(value, Mapping)
        else f"{prefix}{name}={value if isinstance(value, str) else json.dumps(value)}"
        for name, value in answers.items())


def counted_for(definition: FormDefinition, sample: int) -> str:
    """The case a procedure is counted for: typical answers, an agreeing co-applicant and
    the relatives with a record of their own (over how many adults)."""
    parts = [answers_text(definition.typical_answers)]
    if any(b.subject == "co_applicant" for b in definition.bindings):
        parts.append("the co-applicant agrees")
    if definition.typical_relatives:
        parts.append(f"{' and '.join(definition.typical_relatives)} in the register "
                     f"({sample} adults)")
    return "; ".join(p for p in parts if p) or "before any answer"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    catalog = Catalog.load([ROOT / "form_definitions"])
    people = synthetic_adults(args.sample, args.seed)
    print("| procedure | decided by | fee | time | fields | from data | typed | coverage "
          "| counted for | documents no longer asked for |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for definition in sorted(catalog, key=lambda d: d.id):
        p = definition.procedure
        found = typical(definition, people)
        fee = p.get("fee", {}).get("amount")
        documents = "; ".join(localize(d, "en") for d in p.get("documents_replaced", ()))
        print(f"| `{definition.id}` ({localize(p['title'], 'en')}) | "
              f"{p.get('agency_level', '-')} | "
              f"{'free' if fee == 0 else (f'{fee:,} VND' if fee else '-')} | "
              f"{localize(p.get('processing_time'), 'en') or '-'} | {found.fields} | "
              f"{found.from_data} | {found.typed} | {found.share:.0%} | "
              f"{counted_for(definition, found.sample)} | "
              f"{documents or '-'} |")
    print(f"\nMedians over {len(people)} synthetic adults (seed {args.seed}); "
          "`formengine coverage` gives the same figures.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
