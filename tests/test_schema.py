"""Tests for formengine.schema (the schema algebra: effective schema, pruning, lookups)."""

from __future__ import annotations

from typing import Any

import pytest

from formengine.schema import (
    all_properties,
    choices,
    controlling_properties,
    effective,
    node_at,
    prune,
    schema_type,
    split_pointer,
)
from formengine.validation.validator import Conditions

is_valid = Conditions().is_valid

#: ``reason`` switches ``previous_address`` (then) or ``landlord`` (else) on.
CONDITIONAL: dict[str, Any] = {
    "type": "object",
    "properties": {"reason": {"enum": ["move", "rent"]}},
    "required": ["reason"],
    "if": {"properties": {"reason": {"const": "move"}}, "required": ["reason"]},
    "then": {"properties": {"previous_address": {"type": "string"}},
             "required": ["previous_address"]},
    "else": {"properties": {"landlord": {"type": "string"}}},
}


def test_effective_merges_all_of() -> None:
    node = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "allOf": [{"properties": {"b": {"type": "integer"}}, "required": ["b"]}],
    }
    eff = effective(node, {}, is_valid)
    assert set(eff["properties"]) == {"a", "b"}
    assert eff["required"] == ["b"]
    assert "allOf" not in eff


def test_effective_picks_then_when_the_condition_holds() -> None:
    eff = effective(CONDITIONAL, {"reason": "move"}, is_valid)
    assert set(eff["properties"]) == {"reason", "previous_address"}
    assert eff["required"] == ["reason", "previous_address"]
    assert not {"if", "then", "else"} & set(eff)


def test_effective_picks_else_when_the_condition_fails() -> None:
    for data in ({"reason": "rent"}, {}):
        eff = effective(CONDITIONAL, data, is_valid)
        assert set(eff["properties"]) == {"reason", "landlord"}
        assert eff["required"] == ["reason"]


def test_effective_if_without_else_adds_nothing_when_false() -> None:
    node = {"properties": {"a": {}}, "if": {"required": ["a"]}, "then": {"required": ["b"]}}
    assert effective(node, {}, is_valid) == {"properties": {"a": {}}}
    assert effective(node, {"a": 1}, is_valid)["required"] == ["b"]


def test_dependent_required_only_when_key_present() -> None:
    node = {"properties": {"area": {}, "rooms": {}}, "dependentRequired": {"area": ["rooms"]}}
    assert "required" not in effective(node, {}, is_valid)
    assert effective(node, {"area": 20}, is_valid)["required"] == ["rooms"]
    assert "dependentRequired" not in effective(node, {"area": 20}, is_valid)


def test_dependent_schemas_only_when_key_present() -> None:
    node = {
        "properties": {"phone": {}},
        "dependentSchemas": {"phone": {"properties": {"sms": {"type": "boolean"}},
                                       "required": ["sms"]}},
    }
    assert set(effective(node, {}, is_valid)["properties"]) == {"phone"}
    eff = effective(node, {"phone": "0912345678"}, is_valid)
    assert set(eff["properties"]) == {"phone", "sms"}
    assert eff["required"] == ["sms"]


def test_dependent_keywords_ignored_for_non_objects() -> None:
    node = {"dependentRequired": {"a": ["b"]}, "type": "object"}
    assert effective(node, "a", is_valid) == {"type": "object"}


def test_own_keywords_win_over_merged_ones() -> None:
    node = {"title": "Own", "maxLength": 5, "allOf": [{"title": "Merged", "minLength": 1}]}
    eff = effective(node, "x", is_valid)
    assert eff["title"] == "Own"
    assert eff["maxLength"] == 5
    assert eff["minLength"] == 1


def test_properties_and_required_are_unions() -> None:
    node = {
        "properties": {"a": {"title": "A"}},
        "required": ["a"],
        "allOf": [
            {"properties": {"a": {"maxLength": 3}, "b": {}}, "required": ["a", "b"]},
            {"properties": {"c": {}}, "required": ["c"]},
        ],
    }
    eff = effective(node, {}, is_valid)
    assert eff["properties"] == {"a": {"title": "A", "maxLength": 3}, "b": {}, "c": {}}
    assert eff["required"] == ["a", "b", "c"]


def test_effective_does_not_mutate_the_node() -> None:
    node = {"properties": {"a": {}}, "allOf": [{"properties": {"b": {}}}]}
    effective(node, {}, is_valid)
    assert node == {"properties": {"a": {}}, "allOf": [{"properties": {"b": {}}}]}


def test_nested_all_of_inside_a_branch() -> None:
    node = {"if": {"required": ["x"]},
            "then": {"allOf": [{"properties": {"deep": {"type": "string"}}}]}}
    assert set(effective(node, {"x": 1}, is_valid)["properties"]) == {"deep"}


def test_all_properties_sees_branch_only_properties() -> None:
    node = {
        **CONDITIONAL,
        "allOf": [{"properties": {"extra": {"title": "E"}}}],
        "dependentSchemas": {"reason": {"properties": {"dep": {}}}},
    }
    assert set(all_properties(node)) == {"reason", "previous_address", "landlord", "extra",
                                         "dep"}


def test_all_properties_merges_by_name() -> None:
    node = {"properties": {"a": {"type": "string"}},
            "allOf": [{"properties": {"a": {"maxLength": 3}}}]}
    assert all_properties(node)["a"] == {"type": "string", "maxLength": 3}


def test_controlling_properties() -> None:
    node = {
        "properties": {"a": {}, "b": {}, "c": {}, "d": {}, "plain": {}},
        "allOf": [{"if": {"properties": {"a": {"const": 1}}, "required": ["a"]},
                   "then": {"if": {"required": ["nested"]}, "then": {}}}],
        "dependentRequired": {"b": ["plain"]},
        "dependentSchemas": {"c": {"dependentRequired": {"d": ["plain"]}}},
    }
    assert controlling_properties(node) == frozenset({"a", "nested", "b", "c", "d"})
    assert controlling_properties({"properties": {"x": {}}}) == frozenset()


def test_the_province_of_a_commune_list_is_controlling() -> None:
    """It decides which communes the commune question lists (x-commune-of)."""
    node = {"properties": {"p": {}, "c": {}, "d": {}},
            "x-commune-of": {"province": "p", "commune": "c"}}
    assert controlling_properties(node) == frozenset({"p"})
    assert controlling_properties({"x-commune-of": "malformed"}) == frozenset()


def test_prune_drops_hidden_values() -> None:
    data = {"reason": "rent", "previous_address": "Hà Nội", "landlord": "Lan"}
    assert prune(CONDITIONAL, data, is_valid) == {"reason": "rent", "landlord": "Lan"}


def test_prune_recurses_into_objects_and_arrays() -> None:
    node = {
        "properties": {
            "people": {"type": "array", "items": CONDITIONAL},
            "one": CONDITIONAL,
        }
    }
    data = {
        "people": [{"reason": "move", "landlord": "x", "previous_address": "y"}],
        "one": {"reason": "rent", "previous_address": "y"},
        "unknown": 1,
    }
    assert prune(node, data, is_valid) == {
        "people": [{"reason": "move", "previous_address": "y"}],
        "one": {"reason": "rent"},
    }


def test_prune_reaches_a_fixpoint() -> None:
    """Dropping ``b`` (hidden because ``a`` is no) hides ``c``, which ``b`` switched on."""
    node = {
        "properties": {"a": {"enum": ["yes", "no"]}},
        "allOf": [
            {"if": {"properties": {"a": {"const": "yes"}}, "required": ["a"]},
             "then": {"properties": {"b": {"enum": ["yes", "no"]}}}},
            {"if": {"properties": {"b": {"const": "yes"}}, "required": ["b"]},
             "then": {"properties": {"c": {"type": "string"}}}},
        ],
    }
    shown = {"a": "yes", "b": "yes", "c": "text"}
    assert prune(node, shown, is_valid) == shown
    assert prune(node, {"a": "no", "b": "yes", "c": "text"}, is_valid) == {"a": "no"}


def test_prune_leaves_objects_without_properties_alone() -> None:
    assert prune({"type": "object"}, {"free": 1}, is_valid) == {"free": 1}


def test_choices_one_of_const() -> None:
    node = {"oneOf": [{"const": "m", "title": "Nam"}, {"const": "f", "title": "Nữ"}]}
    assert choices(node) == [("m", {"const": "m", "title": "Nam"}),
                             ("f", {"const": "f", "title": "Nữ"})]


def test_choices_any_of_const() -> None:
    assert choices({"anyOf": [{"const": 1}, {"const": 2}]}) == [(1, {"const": 1}),
                                                                (2, {"const": 2})]


def test_choices_enum() -> None:
    assert choices({"enum": ["a", "b"]}) == [("a", {}), ("b", {})]


def test_not_a_choice() -> None:
    assert choices({"type": "string"}) is None
    assert choices({"oneOf": [{"const": 1}, {"type": "string"}]}) is None
    assert choices({"oneOf": []}) is None


@pytest.mark.parametrize(
    ("node", "kind"),
    [
        ({"type": "string"}, "string"),
        ({"type": ["null", "integer"]}, "integer"),
        ({"type": ["null"]}, None),
        ({"enum": [1, 2]}, "integer"),
        ({"enum": [True, False]}, "boolean"),
        ({"oneOf": [{"const": 1.5}]}, "number"),
        ({"oneOf": [{"const": "a"}]}, "string"),
        ({}, None),
    ],
)
def test_schema_type(node: dict[str, Any], kind: str | None) -> None:
    assert schema_type(node) == kind


def test_split_pointer_unescapes() -> None:
    assert split_pointer("") == []
    assert split_pointer("/a/0/b") == ["a", "0", "b"]
    assert split_pointer("/a~1b/c~0d/~01") == ["a/b", "c~d", "~1"]


ROOT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "person": {"type": "object", "properties": {"name": {"type": "string", "title": "N"}}},
        "rows": {"type": "array", "items": CONDITIONAL},
        "a/b": {"title": "slash"},
    },
}


def test_node_at_through_objects_and_arrays() -> None:
    data = {"rows": [{"reason": "move"}, {"reason": "rent"}]}
    assert node_at(ROOT, data, "/person/name", is_valid) == {"type": "string", "title": "N"}
    assert node_at(ROOT, data, "", is_valid)["type"] == "object"
    assert node_at(ROOT, data, "/a~1b", is_valid) == {"title": "slash"}
    # the branch depends on each row's own data
    assert node_at(ROOT, data, "/rows/0/previous_address", is_valid) == {"type": "string"}
    assert node_at(ROOT, data, "/rows/1/previous_address", is_valid) is None
    assert node_at(ROOT, data, "/rows/1/landlord", is_valid) == {"type": "string"}


def test_node_at_beyond_the_data_and_unknown_paths() -> None:
    assert node_at(ROOT, {}, "/rows/5/reason", is_valid) == {"enum": ["move", "rent"]}
    assert node_at(ROOT, {}, "/rows/x", is_valid) is None
    assert node_at(ROOT, {}, "/nope", is_valid) is None
    assert node_at(ROOT, {}, "/person/name/deeper", is_valid) is None


def test_ordered_follows_x_order_with_star() -> None:
    from formengine.schema import ordered

    assert ordered(["a", "b", "c", "d"], ["c", "*", "a"]) == ["c", "b", "d", "a"]
    assert ordered(["a", "b", "c"], ["c", "zz"]) == ["c", "a", "b"]
    assert ordered(["a", "b"], None) == ["a", "b"]


def test_effective_of_a_plain_node_is_the_node_itself() -> None:
    from formengine.schema import effective

    node = {"type": "string", "title": "A"}
    assert effective(node, "x", lambda s, d: True) is node


def test_per_node_memo_is_by_identity_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from formengine import schema as module

    calls: list[int] = []

    @module.per_node
    def derived(node: dict[str, Any]) -> int:
        calls.append(1)
        return len(node)

    node = {"a": 1}
    assert derived(node) == derived(node) == 1 and len(calls) == 1
    assert derived({"a": 1}) == 1 and len(calls) == 2  # an equal but other object
    monkeypatch.setattr(module, "PER_NODE_LIMIT", 10)
    for _ in range(50):
        derived({"b": 2})
    assert len(derived.cache) <= 10  # type: ignore[attr-defined]
