"""The HTTP contract of a population-data service: the OpenAPI 3.1 document ``openapi.json``.

The schemas of the Citizen record under ``components/schemas`` are generated from
:mod:`prefill.model`; after changing the model run ``python -m prefill.openapi`` to rewrite
them (a test fails while the document and the model disagree).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prefill.model import Citizen

__all__ = ["PATH", "citizen_schemas", "document", "write_schemas"]

PATH = Path(__file__).with_name("openapi.json")
"""The OpenAPI document of the population-data service."""


def citizen_schemas() -> dict[str, Any]:
    """The JSON Schemas of the Citizen record and its parts, by component name."""
    schema = Citizen.model_json_schema(ref_template="#/components/schemas/{model}")
    parts: dict[str, Any] = schema.pop("$defs", {})
    return {**parts, "Citizen": schema}


def document() -> dict[str, Any]:
    """The OpenAPI document as stored."""
    loaded: dict[str, Any] = json.loads(PATH.read_text(encoding="utf-8"))
    return loaded


def write_schemas() -> None:
    """Rewrite the generated Citizen schemas of the stored document."""
    doc = document()
    doc["components"]["schemas"].update(citizen_schemas())
    PATH.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_schemas()
