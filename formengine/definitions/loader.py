"""Load one definition file into a checked :class:`FormDefinition`, reporting every problem.

Checks, all reported at once with file, JSON pointer and a plain-language message:
JSON syntax; the formengine meta-schema (which includes the 2020-12 meta-schema, so this is
also ``check_schema``); ``$ref`` resolution; the layout against the properties; the names in
``x-commune-of``; ``x-prefill`` bindings against the Citizen record
(:mod:`formengine.definitions.bindings`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import regex
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from formengine.definitions.bindings import Binding, resolve
from formengine.definitions.model import FormDefinition, Page, Problem
from formengine.definitions.reachability import condition_problems
from formengine.definitions.refs import inline_refs
from formengine.definitions.translations import missing_translations
from formengine.schema import all_properties, ordered, subschemas
from formengine.validation.validator import (
    Conditions,
    compile_pattern,
    compile_validator,
    pointer_of,
)

METASCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "definition.schema.json"


class DefinitionError(Exception):
    """A definition that cannot be served; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@cache
def metaschema_validator() -> Validator:
    """The published meta-schema as one validator (what editors use; slow: $dynamicRef)."""
    metaschema = json.loads(METASCHEMA_PATH.read_text(encoding="utf-8"))
    validator: Validator = Draft202012Validator(metaschema)
    return validator


@cache
def _fast_validators() -> tuple[Validator, Validator, Validator]:
    """The published meta-schema as two fast validators: the 2020-12 meta-schema, and ours
    without its ``$dynamicRef`` part (its explicit ``$ref`` recursion covers every
    subschema). ``$dynamicRef`` costs about a second per definition in jsonschema."""
    metaschema = json.loads(METASCHEMA_PATH.read_text(encoding="utf-8"))
    node = metaschema["$defs"]["node"]
    node.pop("$dynamicAnchor", None)
    node.pop("allOf", None)
    registry: Registry[Any] = Registry().with_resource(
        metaschema["$id"], DRAFT202012.create_resource(metaschema)).crawl()
    spec = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    component = Draft202012Validator({"$ref": node["$id"]}, registry=registry)
    return spec, Draft202012Validator(metaschema, registry=registry), component


def meta_errors(document: Any) -> Iterable[ValidationError]:
    """Every meta-schema error of ``document``: the same errors as
    :func:`metaschema_validator`, found about a hundred times faster."""
    spec, definition, _component = _fast_validators()
    for validator in (spec, definition):
        yield from validator.iter_errors(document)


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _is_local_text(error: ValidationError) -> bool:
    branches = error.schema.get("oneOf") if isinstance(error.schema, dict) else None
    return (error.validator == "oneOf" and isinstance(branches, list) and bool(branches)
            and isinstance(branches[0], dict) and branches[0].get("type") == "string")


def _leaves(error: ValidationError) -> Iterable[ValidationError]:
    # A bad localText is explained as a whole (explain), not by its "string" branch.
    if error.context and error.validator in ("anyOf", "oneOf") and not _is_local_text(error):
        yield from _leaves(best_match(error.context))
    else:
        yield error


def explain(error: ValidationError) -> tuple[str, str]:
    """A plain-language (pointer, message) for a meta-schema error."""
    pointer = pointer_of(error.absolute_path)
    keyword, value, instance = error.validator, error.validator_value, error.instance
    parent_is_names = error.relative_schema_path and "propertyNames" in error.relative_schema_path
    if parent_is_names and isinstance(instance, str) and instance.startswith("x-"):
        options = error.validator_value if keyword == "enum" else []
        return pointer, f"unknown keyword `{instance}`{_suggest(instance, options)}"
    if parent_is_names:
        return pointer, (f"property name `{instance}` must start with a lower-case letter "
                         "and use only a-z, 0-9 and _")
    if keyword == "enum":
        allowed = ", ".join(f"`{v}`" for v in value)
        return pointer, f"`{instance}` is not allowed here; use one of {allowed}" + _suggest(
            str(instance), [str(v) for v in value])
    if keyword == "required":
        missing = [name for name in value if name not in instance]
        return pointer, "missing " + ", ".join(f"`{name}`" for name in missing)
    if keyword == "additionalProperties":
        return pointer, f"unknown key(s) here: {error.message.split('(')[-1].rstrip(')')}"
    if keyword == "not" and isinstance(instance, dict):
        found = [k for k in ("$id", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
                             "dependencies") if k in instance]
        return pointer, (f"remove {', '.join(found)}: definitions are identified by "
                         "x-procedure.id, `$ref`s resolve relative to the file, and draft-07 "
                         "`dependencies` is written `dependentRequired`/`dependentSchemas`")
    if keyword == "oneOf" and error.schema.get("oneOf", [{}])[0].get("type") == "string":
        return pointer, 'must be a text: a string, or {"vi": ..., "en": ..., "fr": ...}'
    if keyword == "type":
        return pointer, f"must be of type {value}, not {type(instance).__name__}"
    if keyword == "pattern":
        return pointer, f"`{instance}` does not match the expected form ({value})"
    return pointer, error.message


def check_document(document: Any, file: str, component: bool = False) -> list[Problem]:
    """Meta-schema problems of a parsed definition (or shared component) document."""
    problems: dict[tuple[str, str], Problem] = {}
    spec, _definition, node = _fast_validators()
    errors = (
        (e for v in (spec, node) for e in v.iter_errors(document)) if component
        else meta_errors(document)
    )
    for error in errors:
        for leaf in _leaves(error):
            pointer, text = explain(leaf)
            problems.setdefault((pointer, text), Problem(file, pointer, text))
    return sorted(problems.values(), key=lambda p: p.pointer)


@cache
def _component_problems(file: str, mtime_ns: int) -> tuple[Problem, ...]:
    """Problems of a shared component file (checked once per version of the file)."""
    document = json.loads(Path(file).read_text(encoding="utf-8"))
    return (*check_document(document, file, component=True), *_bad_patterns(document, file))


def _bad_patterns(document: Any, file: str) -> list[Problem]:
    """Problems for ``pattern``s the validator could not compile."""
    problems = []
    for pointer, node in subschemas(document):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                compile_pattern(pattern)
            except regex.error as exc:
                problems.append(Problem(file, f"{pointer}/pattern",
                                        f"`{pattern}` is not a valid regular expression: {exc}"))
    return problems


def _commune_links(schema: dict[str, Any], file: str) -> list[Problem]:
    """Problems of ``x-commune-of`` (names that are not properties of its object) and of
    ``x-widget: commune`` questions that no ``x-commune-of`` of their object names."""
    problems = []
    for pointer, node in subschemas(schema):
        link = node.get("x-commune-of")
        if isinstance(link, dict):
            known = all_properties(node)
            for role in ("province", "commune"):
                name = link.get(role)
                if isinstance(name, str) and name not in known:
                    problems.append(Problem(file, f"{pointer}/x-commune-of/{role}",
                                            f"`{name}` is not a property of this object"
                                            f"{_suggest(name, known)}"))
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict) and sub.get("x-widget") == "commune" and not (
                    isinstance(link, dict) and link.get("commune") == name):
                problems.append(Problem(file, f"{pointer}/properties/{name}/x-widget", (
                    f'the commune list needs its province: add "x-commune-of": '
                    f'{{"province": "<province property>", "commune": "{name}"}} '
                    "to the object holding it")))
    return problems


def _pages(schema: dict[str, Any], file: str, problems: list[Problem]) -> tuple[Page, ...]:
    procedure = schema["x-procedure"]
    known = all_properties(schema)
    layout = schema.get("x-layout")
    if layout is None:
        names = ordered(known, schema.get("x-order"))
        return (Page("form", procedure["title"], tuple(f"/{n}" for n in names)),)
    pages: list[Page] = []
    placed: dict[str, str] = {}
    for index, page in enumerate(layout["pages"]):
        where = f"/x-layout/pages/{index}"
        if any(p.id == page["id"] for p in pages):
            problems.append(Problem(file, f"{where}/id", f"page id `{page['id']}` is used twice"))
        for j, field in enumerate(page["fields"]):
            name = field[1:]
            if name not in known:
                problems.append(Problem(file, f"{where}/fields/{j}", f"`{field}` is not a "
                                        f"property of the form{_suggest(name, known)}"))
            elif name in placed:
                problems.append(Problem(file, f"{where}/fields/{j}", f"`{field}` is already "
                                        f"on page `{placed[name]}`"))
            placed.setdefault(name, page["id"])
        fields = tuple(page["fields"])
        pages.append(Page(page["id"], page["title"], fields, page.get("description")))
    missing = tuple(f"/{n}" for n in known if n not in placed)
    if missing and pages:
        problems.append(Problem(file, "/x-layout", "not on any page, so shown on the last page: "
                                + ", ".join(missing), "warning"))
        last = pages[-1]
        pages[-1] = Page(last.id, last.title, last.fields + missing, last.description)
    return tuple(pages)


def _bundle_answers(schema: dict[str, Any], file: str) -> list[Problem]:
    """Every answer a part of ``x-procedure.bundle`` names must be a property of the form."""
    known = all_properties(schema)
    problems = []
    for index, part in enumerate(schema["x-procedure"].get("bundle", ())):
        for j, pointer in enumerate(part["answers"]):
            if pointer[1:] not in known:
                problems.append(Problem(file, f"/x-procedure/bundle/{index}/answers/{j}",
                                        f"`{pointer}` is not a property of the form"
                                        f"{_suggest(pointer[1:], known)}"))
    return problems


def _typical_answers(schema: dict[str, Any], bindings: tuple[Binding, ...],
                     file: str) -> list[Problem]:
    """Problems of ``x-procedure.typical_answers``: a key that is no property of the form
    (or of its object), a value its property's schema rejects, an answer the register
    fills (it would mask the register's value). Each answer is checked on its own."""
    answers = schema["x-procedure"].get("typical_answers")
    bound = [b.pointer for b in bindings]
    problems: list[Problem] = []

    def visit(node: Any, value: Any, path: tuple[str, ...]) -> None:
        answer = "".join(f"/{_escape(t)}" for t in path)
        where = f"/x-procedure/typical_answers{answer}"
        data = "".join("/*" if t.isdigit() else f"/{_escape(t)}" for t in path)
        if path and (data in bound or (not isinstance(value, dict) and any(
                p.startswith(f"{data}/") for p in bound))):
            problems.append(Problem(file, where, f"`{answer}` is filled "
                                    "from the register (x-prefill): a typical answer would "
                                    "mask the register's value; remove it"))
            return
        known = all_properties(node)
        if isinstance(value, dict) and known:
            for name, sub in value.items():
                if name in known:
                    visit(known[name], sub, (*path, name))
                else:
                    problems.append(Problem(file, f"{where}/{_escape(name)}", (
                        f"`{name}` is not a property of "
                        f"{'this object' if path else 'the form'}{_suggest(name, known)}")))
            return
        items = node.get("items")
        if isinstance(value, list) and isinstance(items, dict) and all_properties(items):
            for index, row in enumerate(value):
                visit(items, row, (*path, str(index)))
            return
        try:
            errors = list(compile_validator(node).iter_errors(value))
        except Exception as exc:  # a subschema jsonschema cannot use: reported, not raised
            problems.append(Problem(file, where, f"cannot check this answer: {exc}"))
            return
        if errors:
            problems.append(Problem(file, where, f"`{json.dumps(value, ensure_ascii=False)}` "
                                    f"is not a valid answer here: {best_match(errors).message}"))

    if isinstance(answers, dict) and answers:
        visit(schema, answers, ())
    return problems


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def load_definition(path: Path) -> FormDefinition:
    """Load and check ``path``; raise :class:`DefinitionError` listing every problem."""
    file = str(path)
    raw = path.read_bytes()
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = (f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError)
                 else "not UTF-8")
        raise DefinitionError([Problem(file, "", f"not valid JSON ({where}): {exc}")]) from None
    problems = check_document(document, file)
    problems.extend(_bad_patterns(document, file))

    def report(pointer: str, text: str) -> None:
        problems.append(Problem(file, pointer, text))

    bindings: tuple[Binding, ...] = ()
    try:
        schema, components = inline_refs(document, path, report)
        for component in dict.fromkeys(p for p, _contents in components):
            problems.extend(_component_problems(str(component), component.stat().st_mtime_ns))
        pages = _pages(schema, file, problems)
        problems.extend(_commune_links(schema, file))
        problems.extend(_bundle_answers(schema, file))
        problems.extend(missing_translations(schema, file))
        problems.extend(condition_problems(schema, file))
        if not problems or all(p.severity == "warning" for p in problems):
            bindings, binding_problems = resolve(schema)
            problems.extend(Problem(file, where, text) for where, text in binding_problems)
            problems.extend(_typical_answers(schema, bindings, file))
    except (AttributeError, KeyError, TypeError, IndexError):
        if not problems:  # pragma: no cover - the meta-schema should have caught it
            raise
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DefinitionError(errors)
    procedure = schema["x-procedure"]
    return FormDefinition(
        id=procedure["id"],
        version=procedure["version"],
        procedure=procedure,
        schema=schema,
        pages=pages,
        path=path,
        content_hash=hashlib.sha256(raw).hexdigest(),
        validator=compile_validator(schema),
        conditions=Conditions(),
        warnings=tuple(problems),
        bindings=bindings,
    )
