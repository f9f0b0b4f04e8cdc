"""Write docs/attributes.md, the catalogue of every attribute path an ``x-prefill`` binding
may name, from the Citizen model itself (prefill.model.ATTRIBUTES), so it cannot drift.

    .venv/bin/python tools/attributes_doc.py           # rewrite it
    .venv/bin/python tools/attributes_doc.py --check   # exit 1 if it is stale

tests/test_docs.py fails when the file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from prefill.model import ATTRIBUTES  # noqa: E402

TARGET = ROOT / "docs" / "attributes.md"


def _kind(schema: dict[str, object], kind: str) -> str:
    if "enum" in schema:
        values = schema["enum"]
        assert isinstance(values, list)
        shown = ", ".join(f"`{v}`" for v in values[:6]) + (", ..." if len(values) > 6 else "")
        return f"{kind}: {shown}"
    if "format" in schema:
        return f"{kind}, format `{schema['format']}`"
    if "pattern" in schema:
        return f"{kind}, pattern `{schema['pattern']}`".replace("|", "\\|")
    return kind


def render() -> str:
    """The whole page."""
    lines = [
        "# The prefill attribute catalogue",
        "",
        "Every attribute path an `x-prefill` binding may name "
        "([definitions.md](definitions.md#x-prefill), [prefill.md](prefill.md)), generated "
        "from the Citizen model by `tools/attributes_doc.py`: do not edit by hand "
        "(`tests/test_docs.py` fails when it is stale). Paths are dotted; `[]` marks the "
        "items of an array. *May be missing*: a real record may lack the value; a locked "
        "field whose value is missing is shown as \"Not recorded in the register\", or "
        "becomes a question when the form requires it.",
        "",
        "| attribute | JSON type | may be missing | what it is |",
        "|---|---|---|---|",
    ]
    for path, info in ATTRIBUTES.items():
        kind = _kind(dict(info.schema), info.type)
        description = " ".join(info.description.split()).replace("|", "\\|")
        lines.append(f"| `{path}` | {kind} | {'yes' if info.optional else 'no'} | "
                     f"{description} |")
    lines += ["", f"{len(ATTRIBUTES)} attribute paths.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 if the file is stale.")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run tools/attributes_doc.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(ATTRIBUTES)} attributes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
