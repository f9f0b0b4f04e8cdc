"""Tests for prefill.openapi: the stored contract agrees with the Citizen model."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from prefill.openapi import citizen_schemas, document


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {node["$ref"]} if "$ref" in node else set().union(
            *(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_citizen_schemas_match_the_model() -> None:
    stored = document()["components"]["schemas"]
    for name, schema in citizen_schemas().items():
        assert stored.get(name) == schema, (
            f"components/schemas/{name} drifted from prefill.model: "
            "run `python -m prefill.openapi`")


def test_document_is_openapi_3_1_with_the_four_operations() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.1.")
    assert {"title", "version"} <= doc["info"].keys()
    assert {"/v1/citizens/{personal_id}", "/v1/citizens/{personal_id}/household",
            "/v1/citizens/{personal_id}/linked", "/v1/health"} <= doc["paths"].keys()
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_reference_resolves() -> None:
    doc = document()
    for ref in _refs(doc):
        assert ref.startswith("#/"), ref
        node: Any = doc
        for part in ref[2:].split("/"):
            node = node[part]
