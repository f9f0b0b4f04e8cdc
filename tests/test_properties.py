"""Property tests: every bundled definition accepts its valid instances through the HTML form,
stores them unchanged, and rejects mutated ones with an error on the mutated field.

Which instances are generated. A citizen's answers reach the engine as form fields, and the
product's documented coercion rule (formengine/validation/coerce.py, "How answers are read")
is that posted text is stripped and NFC-normalised, an empty answer is absent, formats with a
normaliser (personal ID, phone, e-mail) are normalised, numbers are parsed from their text,
an optional group with nothing answered is absent and a list with no rows or ticks is absent.
So the valid instances drawn here are exactly the fixed points of that rule, the ones a form
can carry unchanged:

* strings are non-empty, already stripped and NFC-normalised, without control characters;
  formatted strings are already normalised (phones in E.164, IDs as 12 digits);
* numbers are ints and finite floats whose ``str()`` parses back to the same value;
* an optional object holds at least one answer, and arrays are non-empty;
* a ``checkbox``-widget boolean is always present (an unticked checkbox is ``false``).

This is not a weakening: any other instance is not one the form could ever post unchanged.

How they are generated. hypothesis-jsonschema's ``from_schema`` cannot draw our definitions:
0.23.1 with hypothesis 6.170 fails on every object schema (``'many' object has no attribute
'more'``: it calls a removed hypothesis internal), and it knows neither draft 2020-12
``unevaluatedProperties`` / ``dependentRequired`` nor our ``x-personal-id-check``,
``x-commune-of`` and custom formats. So a small schema-driven builder below walks the
*effective* schema (formengine.schema.effective): controlling values first, then the branch of
``if``/``then`` they select, then the rest, and the personal ID last so it agrees with the date
of birth and sex (and a commune code after its province, drawn from that province's
communes). hypothesis-jsonschema still draws the leaves it handles well (numbers with bounds
and ``multipleOf``, strings with a ``pattern``). Every drawn instance is also checked with the
definition's validator (practically never rejected).

Mutations break one value of a valid instance in a way that stays wrong however the form
reads it (a dropped answer whose group is still posted, a too long or malformed string, a
non-number, a number out of range, an unknown option, a commune code that is none or is of
another province, a row too many), and the page must show an error summary and an inline
error on that field, a part of it or its group.

A construct the builder does not know raises :class:`Unsupported` naming the pointer, so a
new definition that needs more makes these tests fail loudly instead of being skipped.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import re
import shutil
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from werkzeug.datastructures import MultiDict

from formengine.app import create_app
from formengine.definitions.catalog import Catalog
from formengine.definitions.model import FormDefinition
from formengine.schema import (
    choices,
    controlling_properties,
    effective,
    prune,
    schema_type,
    split_pointer,
)
from formengine.validation import formats
from formengine.validation.coerce import encode, encode_scalar, read_form, widget_of
from prefill import admin_units
from tests.conftest import BUNDLED, accepted_data, shown_errors

JSON = Any
Node = Mapping[str, Any]
Strategy = st.SearchStrategy[Any]

DEFINITIONS: list[FormDefinition] = sorted(Catalog.load([BUNDLED]), key=lambda d: d.id)
TODAY = datetime.date.today()

# Per definition: 40 valid forms posted, and 15 instances each posted once per kind of
# mutation that applies (~8). No health check is suppressed. The deadline is off because a
# request's time depends on the (shared, 2-core) machine, not on the example.
HTTP = settings(max_examples=40, deadline=None, print_blob=True)
MUTANTS = settings(HTTP, max_examples=15)
PURE = settings(max_examples=100, deadline=None, print_blob=True)


class Unsupported(Exception):
    """The generator meets a schema construct it cannot draw values for."""


# --- leaves ----------------------------------------------------------------------------

_VIETNAMESE = "ăâđêôơưĂÂĐÊÔƠƯàáảãạầấẩẫậềếểễệờớởỡợừứửữựỳýỷỹỵ"
_CHARS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    st.sampled_from(_VIETNAMESE),
)


def carriable(text: str) -> bool:
    """Whether a form posts ``text`` back unchanged (see the module docstring)."""
    return (bool(text) and text == text.strip() and unicodedata.is_normalized("NFC", text)
            and all(unicodedata.category(c) not in ("Cc", "Cs") for c in text))


def _tidy(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def texts(low: int, high: int | None) -> Strategy:
    """Carriable strings with ``low <= len <= high`` (hitting ``high`` now and then)."""
    low = max(low, 1)
    cap = high if high is not None else low + 40
    plain = st.text(_CHARS, min_size=low, max_size=cap).map(_tidy)
    drawn = [plain]
    if high is not None and high <= 200:
        drawn.append(st.text(_CHARS, min_size=high, max_size=high).map(_tidy))
    return st.one_of(drawn).filter(lambda s: low <= len(s) <= cap and carriable(s))


def personal_ids(year: int | None = None, sex: str | None = None) -> Strategy:
    """Valid 12-digit IDs, for ``year`` and ``sex`` when given (else any)."""
    prefixes = sorted(formats.PROVINCE_ID_PREFIXES) + sorted(formats.FOREIGN_BIRTH_ID_PREFIXES)
    years = st.just(year) if year is not None else st.integers(1900, TODAY.year)
    sexes = st.just(sex) if sex in ("male", "female") else st.sampled_from(["male", "female"])

    def build(prefix: str, y: int, s: str, serial: int) -> str:
        century = (y - 1900) // 100 * 2 + (s == "female")
        return f"{prefix}{century}{y % 100:02d}{serial:06d}"

    return st.builds(build, st.sampled_from(prefixes), years, sexes, st.integers(0, 999_999))


def _normal_phone(number: str) -> bool:
    return formats.is_vn_phone(number) and formats.normalize_phone(number) == number


#: Vietnamese mobile blocks (+84 and two digits) in which every 7-digit number is valid.
_VN_BLOCKS = [f"+84{b}" for b in range(10, 100)
              if all(_normal_phone(f"+84{b}{k * 526_315:07d}") for k in range(20))]
#: One example number per region and type, as E.164 (Vietnamese abroad have foreign numbers).
_WORLD_PHONES = sorted({
    e164 for region in phonenumbers.SUPPORTED_REGIONS
    for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    if (number := phonenumbers.example_number_for_type(region, kind)) is not None
    and _normal_phone(e164 := phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164))
})
PHONES = st.one_of(
    st.builds(lambda b, n: f"{b}{n:07d}", st.sampled_from(_VN_BLOCKS), st.integers(0, 9_999_999)),
    st.sampled_from(_WORLD_PHONES),
).filter(_normal_phone)

_LOCAL = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789_+-", min_size=1, max_size=8),
                  min_size=1, max_size=3).map(".".join)
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
EMAILS = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    _LOCAL, st.lists(_LABEL, min_size=1, max_size=3),
    st.sampled_from(["vn", "com.vn", "gov.vn", "edu.vn", "com", "org", "net", "fr"]),
).filter(lambda e: formats.is_email(e) and formats.normalize_email(e) == e)


def dates(low: datetime.date, high: datetime.date) -> Strategy:
    """ISO dates (the three date inputs post any real date)."""
    return st.dates(low, high).map(datetime.date.isoformat)


def _finite_round_trip(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return math.isfinite(value) and float(str(value)) == value


_NUMERIC = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def numbers(node: Node, kind: str) -> Strategy:
    """Integers or numbers within the node's bounds (drawn by hypothesis-jsonschema)."""
    subset = {k: node[k] for k in _NUMERIC if k in node}
    step = subset.get("multipleOf")
    if step is not None:  # hypothesis-jsonschema draws multiples, then filters exclusive
        # bounds (it often draws the bound itself): make them the nearest inner multiple
        if "exclusiveMinimum" in subset:
            subset["minimum"] = max(subset.get("minimum", -math.inf),
                                    (math.floor(subset.pop("exclusiveMinimum") / step) + 1) * step)
        if "exclusiveMaximum" in subset:
            subset["maximum"] = min(subset.get("maximum", math.inf),
                                    (math.ceil(subset.pop("exclusiveMaximum") / step) - 1) * step)
    bounded = from_schema({"type": kind, **subset})
    if kind == "number":  # a whole number may be typed either way: "12" or "12.0"
        bounded = st.tuples(bounded, st.booleans()).map(
            lambda p: int(p[0]) if p[1] and float(p[0]).is_integer() and abs(p[0]) < 2**53
            else p[0])
    return bounded.filter(_finite_round_trip)


def strings(node: Node, pointer: str, for_id_check: bool = False) -> Strategy:
    """Carriable strings for a string node (by format, pattern or length)."""
    low, high = node.get("minLength", 0), node.get("maxLength")
    fmt = node.get("format")
    drawn: Strategy
    if fmt == "date":  # the date of birth an ID is checked against has a year an ID can encode
        drawn = (dates(datetime.date(1900, 1, 1), TODAY) if for_id_check
                 else dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)))
    elif fmt == "partial-date":  # a full date, or its month and year, or its year
        base = (dates(datetime.date(1900, 1, 1), TODAY) if for_id_check
                else dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)))
        drawn = st.tuples(base, st.sampled_from([10, 7, 4])).map(lambda p: p[0][:p[1]])
    elif fmt == "vn-personal-id":
        drawn = personal_ids()
    elif fmt == "vn-phone":
        drawn = PHONES
    elif fmt == "email":
        drawn = EMAILS
    elif fmt is not None:
        raise Unsupported(f"{pointer}: format {fmt!r}")
    elif "pattern" in node:
        subset = {k: node[k] for k in ("pattern", "minLength", "maxLength") if k in node}
        patterned: Strategy = from_schema({"type": "string", **subset})
        drawn = patterned.filter(carriable)
    else:
        return texts(low, high)
    return drawn.filter(lambda s: low <= len(s) <= (high if high is not None else len(s)))


# --- objects and arrays ----------------------------------------------------------------


def has_answer(value: JSON) -> bool:
    """Whether ``value`` holds anything a citizen answered (``{}`` groups hold nothing)."""
    if isinstance(value, dict):
        return any(has_answer(v) for v in value.values())
    return True


def always_posted(node: Node) -> bool:
    """An unticked checkbox reads as ``false``: the property is never absent."""
    return widget_of(node) == "checkbox"


_CACHE: dict[tuple[str, str, bool, str], Strategy] = {}


def values(definition: FormDefinition, raw: Node, pointer: str, *,
           for_id_check: bool = False) -> Strategy:
    """Valid, carriable values of ``raw`` (None for an optional group left empty)."""
    # Building strategies costs more than drawing from them: reuse them. A pointer can have
    # several schemas (a branch may refine a property), hence the schema in the key.
    key = (definition.id, pointer, for_id_check, json.dumps(raw, sort_keys=True))
    if key not in _CACHE:
        _CACHE[key] = _values(definition, raw, pointer, for_id_check)
    return _CACHE[key]


def _values(definition: FormDefinition, raw: Node, pointer: str, for_id_check: bool) -> Strategy:
    node = effective(raw, None, definition.is_valid) if "allOf" in raw else raw
    if "const" in node:
        return st.just(node["const"])
    options = choices(node)
    if options is not None:
        return st.sampled_from([value for value, _ in options])
    kind = schema_type(node)
    if kind == "object":
        return objects(definition, raw, pointer, optional=True)
    if kind == "array":
        return arrays(definition, node, pointer)
    if kind == "string":
        return strings(node, pointer, for_id_check)
    if kind in ("integer", "number"):
        return numbers(node, kind)
    if kind == "boolean":
        return st.booleans()
    raise Unsupported(f"{pointer}: type {node.get('type')!r}")


def arrays(definition: FormDefinition, node: Node, pointer: str) -> Strategy:
    """Non-empty lists: ticked options of a checkbox group, or rows of a repeating group."""
    items = node.get("items")
    if not isinstance(items, Mapping):
        raise Unsupported(f"{pointer}: array without items")
    low = max(1, node.get("minItems", 0))
    high = min(node.get("maxItems", 8), 8)
    widget = widget_of(node)
    if widget == "checkboxes":
        options = [value for value, _ in choices(items) or []]
        return st.lists(st.sampled_from(options), min_size=low,
                        max_size=min(high, len(options)), unique=True)
    if widget == "rows" and schema_type(items) == "object":
        return st.lists(objects(definition, items, f"{pointer}/*", optional=False),
                        min_size=low, max_size=high)
    raise Unsupported(f"{pointer}: array shown as {widget!r}")


def _year(date_of_birth: JSON) -> int | None:
    match = re.match(r"([0-9]{4})", date_of_birth) if isinstance(date_of_birth, str) else None
    return int(match.group(1)) if match and 1900 <= int(match.group(1)) <= TODAY.year else None


@st.composite
def _objects(draw: st.DrawFn, definition: FormDefinition, node: Node, pointer: str,
             optional: bool) -> dict[str, JSON] | None:
    check: Mapping[str, str] = node.get("x-personal-id-check") or {}
    id_name = check.get("id")
    link: Mapping[str, str] = node.get("x-commune-of") or {}
    commune_name = link.get("commune")
    controlling = controlling_properties(node)
    data: dict[str, JSON] = {}
    absent: set[str] = set()

    def decide(name: str, sub: Node, required: bool) -> None:
        if not (required or always_posted(sub) or draw(st.booleans())):
            absent.add(name)
            return
        value = draw(values(definition, sub, f"{pointer}/{name}",
                            for_id_check=name == check.get("date_of_birth")))
        if value is None:
            absent.add(name)
        else:
            data[name] = value

    for _ in range(100):
        eff = effective(node, data, definition.is_valid)
        props, required = eff.get("properties", {}), set(eff.get("required", ()))
        todo = [n for n in props if n not in (id_name, commune_name) and n not in data
                and (n not in absent or n in required)]
        if not todo:
            break
        # one controlling value at a time: it may show or hide other properties
        batch = [n for n in todo if n in controlling][:1] or todo
        for name in batch:
            decide(name, props[name], name in required)
    eff = effective(node, data, definition.is_valid)
    props, required = eff.get("properties", {}), set(eff.get("required", ()))
    if id_name is not None and id_name in props and (id_name in required or draw(st.booleans())):
        year = _year(data.get(check.get("date_of_birth", "")))
        sex = data.get(check.get("sex", ""))
        data[id_name] = draw(personal_ids(year, sex if isinstance(sex, str) else None))
    province = data.get(link.get("province", ""))
    # A commune is drawn in its province; without a province (an optional address left
    # empty but for the commune) "a commune of another province" would mean nothing.
    if commune_name in props and isinstance(province, str) and (
            commune_name in required or draw(st.booleans())):
        data[commune_name] = draw(st.sampled_from(admin_units.communes(province))).code
    data = {k: v for k, v in data.items() if k in props}
    if optional and not has_answer(data):
        return None
    return data


def objects(definition: FormDefinition, node: Node, pointer: str, *, optional: bool) -> Strategy:
    """Objects valid for ``node``: controlling values first, then the branch they select, the
    personal ID last (agreeing with the date of birth and sex it is checked against)."""
    return _objects(definition, node, pointer, optional)


def instances(definition: FormDefinition) -> Strategy:
    """Valid, carriable instances of a definition."""
    return objects(definition, definition.schema, "", optional=False).filter(
        definition.validator.is_valid)


# --- mutations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A value present in an instance, with what a mutation needs to know about it."""

    pointer: str
    raw: Node = field(repr=False)
    node: Node = field(repr=False)
    value: JSON = field(repr=False)
    required: bool
    #: the enclosing object is still posted if this value is dropped
    parent_kept: bool
    #: an option ticked in a checkbox group (not a property)
    item: bool = False


def sites(definition: FormDefinition, raw: Node, data: JSON, pointer: str = "",
          kept: bool = True) -> Iterator[Site]:
    """Every value of ``data`` below ``pointer`` (``kept``: the object itself is posted even
    when empty: the root, a row, or a required group of a kept object)."""
    eff = effective(raw, data, definition.is_valid)
    if isinstance(data, dict):
        props, required = eff.get("properties", {}), set(eff.get("required", ()))
        for name, value in data.items():
            here = f"{pointer}/{name}"
            others = any(has_answer(v) for k, v in data.items() if k != name)
            node = effective(props[name], value, definition.is_valid)
            yield Site(here, props[name], node, value, name in required, kept or others)
            yield from sites(definition, props[name], value, here, kept and name in required)
    elif isinstance(data, list) and isinstance(eff.get("items"), Mapping):
        items = eff["items"]
        for index, value in enumerate(data):
            if widget_of(eff) == "rows":
                yield from sites(definition, items, value, f"{pointer}/{index}", True)
            else:
                yield Site(f"{pointer}/{index}", items, items, value, False, True, item=True)


NOT_AN_OPTION = "zz-not-an-option"
_NOT_NUMBERS = {"integer": ["abc", "12a", "1.5", "-"], "number": ["abc", "12a", "1..2", "-"]}
_PATTERN_BREAKERS = ["!", "zz", "0", "Ω", "a b"]
_BAD_FORMATS = {"vn-personal-id": "000000000000", "vn-phone": "12345", "email": "not-an-email"}


def mutations(definition: FormDefinition, site: Site) -> list[tuple[str, Strategy | None]]:
    """(kind, replacement values; None = drop) of every mutation that makes ``site`` wrong
    however the form reads it."""
    node, value = site.node, site.value
    found: list[tuple[str, Strategy | None]] = []
    widget = widget_of(node)
    if site.required and site.parent_kept and widget != "checkbox":
        emptied = effective(site.raw, {}, definition.is_valid)
        if schema_type(node) != "object" or emptied.get("required"):
            found.append(("drop", None))
    options = choices(node)
    if options is not None or "const" in node:
        known = {encode_scalar(v) for v, _ in options or []}
        if NOT_AN_OPTION not in known:
            found.append(("not an option", st.just(NOT_AN_OPTION)))
        return found
    if widget == "commune" and isinstance(value, str):
        here = admin_units.commune(value)
        elsewhere = [c.code for c in admin_units.communes()
                     if here is None or c.province_code != here.province_code]
        found.append(("not a commune", st.sampled_from(["00000", "4", "Ba Đình"])))
        found.append(("commune of another province", st.sampled_from(elsewhere)))
        return found
    kind = schema_type(node)
    if kind == "string" and isinstance(value, str):
        high, low = node.get("maxLength"), node.get("minLength", 0)
        if isinstance(high, int):
            found.append(("too long", texts(high + 1, high + 3)))
        if low >= 2:
            found.append(("too short", texts(1, low - 1)))
        if "pattern" in node:
            breakers = [s for s in _PATTERN_BREAKERS if not re.search(node["pattern"], s)]
            if breakers:
                found.append(("pattern", st.sampled_from(breakers)))
        fmt = node.get("format")
        if fmt in ("date", "partial-date"):  # same year: an ID checked against it agrees
            found.append(("format", st.sampled_from([f"{value[:4]}-02-30", f"{value[:4]}-13-01"])))
        elif fmt in _BAD_FORMATS:
            found.append(("format", st.just(_BAD_FORMATS[fmt])))
    if kind in ("integer", "number"):
        found.append(("not a number", st.sampled_from(_NOT_NUMBERS[kind])))
        outside = [node["minimum"] - 1] if "minimum" in node else []
        outside += [node["maximum"] + 1] if "maximum" in node else []
        outside += [node[k] for k in ("exclusiveMinimum", "exclusiveMaximum") if k in node]
        if outside:
            found.append(("out of range", st.sampled_from(outside)))
    if kind == "array" and isinstance(value, list) and isinstance(node.get("maxItems"), int):
        extra = node["maxItems"] + 1 - len(value)
        if widget == "rows" and value:
            found.append(("too many rows", st.just(value + [value[0]] * extra)))
        elif widget == "checkboxes":
            spare = [v for v, _ in choices(node.get("items", {})) or [] if v not in value]
            if len(spare) >= extra:
                found.append(("too many rows", st.just(value + spare[:extra])))
    return found


def mutate(instance: dict[str, JSON], pointer: str, replacement: JSON, drop: bool) -> JSON:
    """A copy of ``instance`` with the value at ``pointer`` replaced or dropped."""
    out = copy.deepcopy(instance)
    *path, last = split_pointer(pointer)
    parent: Any = out
    for token in path:
        parent = parent[int(token)] if isinstance(parent, list) else parent[token]
    key: Any = int(last) if isinstance(parent, list) else last
    if drop:
        del parent[key]
    else:
        parent[key] = replacement
    return out


def related(shown: str, mutated: str) -> bool:
    """Whether an error at ``shown`` is about the field at ``mutated`` (same, above, below)."""
    return (shown == mutated or shown.startswith(mutated + "/")
            or mutated.startswith(shown + "/"))


# --- the properties --------------------------------------------------------------------


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """One client over the bundled definitions for all examples (a fresh app per example
    would dominate the run time; the views keep no state between requests).

    The definitions are copied without ``x-procedure.min_assurance``: these properties are
    about answers round-tripping through the HTML form, posted without signing in (which
    also keeps register data out of the answers); the sign-in level gate has its own tests
    (tests/test_oidc.py)."""
    folder = tmp_path_factory.mktemp("definitions")
    shutil.copytree(BUNDLED / "components", folder / "components")
    for path in BUNDLED.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["x-procedure"].pop("min_assurance", None)
        (folder / path.name).write_text(json.dumps(document, ensure_ascii=False),
                                        encoding="utf-8")
    # Thousands of submissions from one address: far past the default submit limit
    # (tests/test_limits.py tests the limits).
    app = create_app({"definitions": [folder], "secret_key": "test-secret",
                      "rate_limit_submit": "1000000/minute"})
    app.config["TESTING"] = True
    return app.test_client()


def submit(client: FlaskClient, definition: FormDefinition, instance: JSON) -> str:
    """Post ``instance`` as the whole form in one go and press submit."""
    fields: MultiDict[str, str] = encode(definition.schema, instance)
    fields.add("_page", "*")
    fields.add("_action", "submit")
    response = client.post(f"/forms/{definition.id}", data=fields)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_definitions_are_bundled() -> None:
    assert DEFINITIONS, "no bundled definition loaded: the properties below test nothing"


by_id = pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.id)


@by_id
@PURE
@given(data=st.data())
def test_form_fields_round_trip(definition: FormDefinition, data: st.DataObject) -> None:
    """Reading back the fields that encode a valid instance gives the instance, once pruned
    as every submission is: read_form reads every property the form could ever have, so
    required groups of hidden branches come back as ``{}`` and hidden unticked checkboxes as
    ``false``, and the effective schema drops them."""
    instance = data.draw(instances(definition), label="instance")
    read, unknown = read_form(encode(definition.schema, instance), definition.schema)
    assert unknown == []
    assert prune(definition.schema, read, definition.is_valid) == instance


@by_id
@HTTP
@given(data=st.data())
def test_valid_instances_are_accepted_unchanged(http: FlaskClient, definition: FormDefinition,
                                                data: st.DataObject) -> None:
    instance = data.draw(instances(definition), label="instance")
    html = submit(http, definition, instance)
    assert 'id="accepted-data"' in html, shown_errors(html)
    assert accepted_data(html) == instance


@by_id
@MUTANTS
@given(data=st.data())
def test_mutated_instances_are_rejected_on_the_field(http: FlaskClient,
                                                     definition: FormDefinition,
                                                     data: st.DataObject) -> None:
    """Each kind of mutation that applies to a valid instance, at a drawn place, is posted
    on its own (one mutation per form): every kind is tried in every example, since drawing
    the kind lets hypothesis skew towards a few and leave others untried."""
    instance = data.draw(instances(definition), label="instance")
    by_kind: dict[str, list[tuple[Site, Strategy | None]]] = {}
    for site in sites(definition, definition.schema, instance):
        for kind, strategy in mutations(definition, site):
            by_kind.setdefault(kind, []).append((site, strategy))
    for kind, candidates in sorted(by_kind.items()):
        site, strategy = data.draw(st.sampled_from(candidates), label=kind)
        replacement = None if strategy is None else data.draw(strategy, label=f"{kind} value")
        mutated = mutate(instance, site.pointer, replacement, drop=strategy is None)
        # the mutation itself is sound: judged by the validator alone, the instance is wrong
        assert not definition.validator.is_valid(
            prune(definition.schema, mutated, definition.is_valid)), (kind, site.pointer)
        html = submit(http, definition, mutated)
        assert 'id="accepted-data"' not in html, (kind, site.pointer, mutated)
        assert 'class="fe-error-summary"' in html, (kind, site.pointer)
        shown = [pointer for pointer, _ in shown_errors(html)]
        assert any(related(p, site.pointer) for p in shown), (kind, site.pointer, shown)
