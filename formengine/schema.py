"""Schema algebra shared by rendering, coercion and validation (pure, no IO).

The *effective schema* of an object node for some data is the node with every applicator
that applies to that data merged in: ``allOf``, the ``then``/``else`` chosen by ``if``,
``dependentRequired`` and ``dependentSchemas`` of the keys present. The renderer shows
exactly the properties of the effective schema, marks exactly its ``required``, and the
coercer drops the values of properties that are not in it, so what the citizen sees and
what the validator checks can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

JSON = Any
Schema = Mapping[str, Any]

#: Keywords whose value is one subschema / a list of subschemas / a map of subschemas.
SCHEMA_KEYWORDS = frozenset(
    {"items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains",
     "propertyNames", "if", "then", "else", "not"}
)
SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
#: Keywords merged away by :func:`effective`.
APPLICATORS = frozenset({"allOf", "if", "then", "else", "dependentRequired", "dependentSchemas"})

IsValid = Callable[[Schema, JSON], bool]
T = TypeVar("T")
#: Entries each :func:`per_node` cache holds at most (the schema nodes of the loaded
#: definitions are a few thousand).
PER_NODE_LIMIT = 20_000


def per_node(function: Callable[[Schema], T]) -> Callable[[Schema], T]:
    """Memoise a pure function of one schema node by the node's identity.

    Definitions are immutable once loaded, so what is derived from one of their nodes is
    computed once per process. The cache keeps the node alive, so an id is never reused
    while its entry exists; it is bounded, because effective schemas merged for one
    request's answers are new objects each time.
    """
    cache: dict[int, tuple[Schema, T]] = {}

    def wrapper(node: Schema) -> T:
        hit = cache.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        value = function(node)
        if len(cache) >= PER_NODE_LIMIT:
            cache.clear()
        cache[id(node)] = (node, value)
        return value

    wrapper.__doc__ = function.__doc__
    wrapper.__name__ = function.__name__
    wrapper.cache = cache  # type: ignore[attr-defined]  # for tests
    return wrapper


def _merge_into(target: dict[str, Any], extra: Schema) -> None:
    """Merge ``extra`` (an already effective schema) into ``target`` in place."""
    for key, value in extra.items():
        if key == "properties":
            props = target.setdefault("properties", {})
            for name, sub in value.items():
                props[name] = {**props[name], **sub} if name in props else sub
        elif key == "required":
            known = target.setdefault("required", [])
            target["required"] = known + [name for name in value if name not in known]
        elif key not in target:
            target[key] = value


def effective(node: Schema, data: JSON, is_valid: IsValid) -> dict[str, Any]:
    """The effective schema of ``node`` for ``data`` (one level; see module docstring).

    The node's own keywords win over merged ones, except ``properties`` and ``required``,
    which are unions.
    """
    if APPLICATORS.isdisjoint(node):
        # Nothing to merge: the node itself (stable identity, so what is derived from it can
        # be memoised; callers never modify an effective schema).
        return node  # type: ignore[return-value]
    out: dict[str, Any] = {k: v for k, v in node.items() if k not in APPLICATORS}
    if "properties" in out:
        out["properties"] = dict(out["properties"])
    for sub in node.get("allOf", ()):
        _merge_into(out, effective(sub, data, is_valid))
    if "if" in node:
        branch = node.get("then") if is_valid(node["if"], data) else node.get("else")
        if isinstance(branch, Mapping):
            _merge_into(out, effective(branch, data, is_valid))
    if isinstance(data, Mapping):
        for key, names in node.get("dependentRequired", {}).items():
            if key in data:
                _merge_into(out, {"required": names})
        for key, sub in node.get("dependentSchemas", {}).items():
            if key in data:
                _merge_into(out, effective(sub, data, is_valid))
    return out


@per_node
def all_properties(node: Schema) -> dict[str, dict[str, Any]]:
    """Every property an object node could ever have, whatever the data (merged by name)."""
    out: dict[str, dict[str, Any]] = {}
    branches: list[Schema] = [node]
    while branches:
        current = branches.pop()
        for name, sub in current.get("properties", {}).items():
            if isinstance(sub, Mapping):
                out[name] = {**out.get(name, {}), **sub}
        branches.extend(current.get("allOf", ()))
        branches.extend(current.get("dependentSchemas", {}).values())
        branches.extend(b for k in ("then", "else") if isinstance(b := current.get(k), Mapping))
    return out


@per_node
def required_anywhere(node: Schema) -> frozenset[str]:
    """Names an object node requires in any branch (itself, ``allOf``, ``then``, ``else``)."""
    names = set(node.get("required", ()))
    for sub in node.get("allOf", ()):
        names |= required_anywhere(sub)
    for key in ("then", "else"):
        if isinstance(node.get(key), Mapping):
            names |= required_anywhere(node[key])
    return frozenset(names)


@per_node
def controlling_properties(node: Schema) -> frozenset[str]:
    """Properties of an object node whose value can change its effective schema, or the
    options of another question (the province of an ``x-commune-of``)."""
    names: set[str] = set()
    branches: list[Schema] = [node]
    while branches:
        current = branches.pop()
        condition = current.get("if")
        if isinstance(condition, Mapping):
            names.update(all_properties(condition))
            names.update(condition.get("required", ()))
        names.update(current.get("dependentRequired", {}))
        names.update(current.get("dependentSchemas", {}))
        link = current.get("x-commune-of")  # the province decides the communes listed
        if isinstance(link, Mapping) and isinstance(link.get("province"), str):
            names.add(link["province"])
        branches.extend(current.get("allOf", ()))
        branches.extend(current.get("dependentSchemas", {}).values())
        branches.extend(b for k in ("then", "else") if isinstance(b := current.get(k), Mapping))
    return frozenset(names)


def prune(node: Schema, data: JSON, is_valid: IsValid) -> JSON:
    """``data`` without the values of properties absent from the effective schema.

    Repeats until stable, because dropping a value can switch another condition.
    """
    for _ in range(8):
        pruned = _prune_once(node, data, is_valid)
        if pruned == data:
            return pruned
        data = pruned
    return data


def _prune_once(node: Schema, data: JSON, is_valid: IsValid) -> JSON:
    if isinstance(data, dict):
        eff = effective(node, data, is_valid)
        props = eff.get("properties")
        if props is None:
            return data
        return {
            name: _prune_once(props[name], value, is_valid)
            for name, value in data.items()
            if name in props and isinstance(props[name], Mapping)
        }
    if isinstance(data, list) and isinstance(node.get("items"), Mapping):
        return [_prune_once(node["items"], item, is_valid) for item in data]
    return data


@per_node
def choices(node: Schema) -> list[tuple[JSON, Schema]] | None:
    """The labelled options of a choice node: ``oneOf``/``anyOf`` of ``const`` (with their
    branch for its title), or ``enum``; None when the node is not a choice."""
    for key in ("oneOf", "anyOf"):
        branches = node.get(key)
        if branches and all(isinstance(b, Mapping) and "const" in b for b in branches):
            return [(b["const"], b) for b in branches]
    if "enum" in node:
        return [(value, {}) for value in node["enum"]]
    return None


def items_of(node: Schema) -> Schema:
    """The ``items`` subschema of an array node ({} when there is none)."""
    items = node.get("items")
    return items if isinstance(items, Mapping) else {}


def schema_type(node: Schema) -> str | None:
    """The node's single JSON type (the first non-null one of a list)."""
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and (options := choices(node)):
        sample = options[0][0]
        kind = {bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(sample))
    return kind if isinstance(kind, str) else None


def ordered(names: Iterable[str], order: Iterable[str] | None) -> list[str]:
    """``names`` in ``x-order`` order: the listed names first, the others where ``*`` stands
    (at the end without ``*``); listed names that do not exist are ignored."""
    names = list(names)
    listed = [n for n in order or () if n in names or n == "*"]
    rest = [n for n in names if n not in listed]
    star = listed.index("*") if "*" in listed else len(listed)
    return listed[:star] + rest + listed[star + 1:]


def split_pointer(pointer: str) -> list[str]:
    """The reference tokens of a JSON pointer (RFC 6901)."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def node_at(root: Schema, data: JSON, pointer: str, is_valid: IsValid) -> dict[str, Any] | None:
    """The effective schema node that governs ``pointer`` in ``data`` (None if not there)."""
    node: dict[str, Any] = effective(root, data, is_valid)
    for token in split_pointer(pointer):
        if node.get("properties") is not None and token in node["properties"]:
            child = node["properties"][token]
            data = data.get(token) if isinstance(data, Mapping) else None
        elif isinstance(node.get("items"), Mapping) and token.isdigit():
            child = node["items"]
            data = data[int(token)] if isinstance(data, list) and int(token) < len(data) else None
        else:
            return None
        node = effective(child, data, is_valid)
    return node


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def subschemas(
    node: Any, pointer: str = "", skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Schema]]:
    """Every schema object at or below ``node``, with its JSON pointer, in document order
    (not descending into the keywords in ``skip``)."""
    if not isinstance(node, Mapping):
        return
    yield pointer, node
    for key, value in node.items():
        where = f"{pointer}/{_escape(key)}"
        if key in skip:
            continue
        if key in SCHEMA_KEYWORDS:
            yield from subschemas(value, where, skip)
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            for index, item in enumerate(value):
                yield from subschemas(item, f"{where}/{index}", skip)
        elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, Mapping):
            for name, item in value.items():
                yield from subschemas(item, f"{where}/{_escape(name)}", skip)
