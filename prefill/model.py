"""The Citizen record: what the National Population Database holds about a person.

Items of the Law on Identification 2023, Art. 9(1) (see docs/prefill.md). Every model is
frozen; any item but the personal ID and the name may be missing (None), because real
records have gaps. Names are stored NFC. :data:`ATTRIBUTES` lists every attribute path with
its JSON Schema, generated from these models.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

from prefill.codes import ETHNICITIES, MaritalStatus, Relationship, Sex

__all__ = [
    "ATTRIBUTES",
    "Address",
    "AttributeInfo",
    "Citizen",
    "FullName",
    "Household",
    "HouseholdMember",
    "LegacyCodes",
    "PartialDate",
    "PersonRef",
    "attribute_value",
]

_PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


Text = Annotated[str, AfterValidator(_nfc)]
PersonalId = Annotated[str, Field(pattern=r"^[0-9]{12}$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
ProvinceCode = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
DistrictCode = Annotated[str, Field(pattern=r"^[0-9]{3}$")]
CommuneCode = Annotated[str, Field(pattern=r"^[0-9]{5}$")]
Phone = Annotated[str, Field(pattern=r"^\+[1-9][0-9]{6,14}$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", json_schema_extra={
    "format": "email"})]


def _known_ethnicity(code: str) -> str:
    if code not in ETHNICITIES:
        raise ValueError("not one of the 54 ethnicity codes")
    return code


EthnicityCode = Annotated[
    str, AfterValidator(_known_ethnicity),
    WithJsonSchema({"type": "string", "enum": list(ETHNICITIES)}),
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class PartialDate(_Frozen):
    """A date that may lack its day, or its month and day: ISO text "YYYY", "YYYY-MM", "YYYY-MM-DD".

    Validates from that text (or a ``datetime.date``) and serializes back to it.
    """

    year: int = Field(ge=1, le=9999)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, str):
            match = _PARTIAL_DATE_RE.fullmatch(value.strip())
            if match is None:
                raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
            year, month, day = match.groups()
            return {"year": int(year), "month": month and int(month), "day": day and int(day)}
        return value

    @model_validator(mode="after")
    def _real_date(self) -> PartialDate:
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            datetime.date(self.year, self.month, self.day)  # ValueError for 31 February
        return self

    @model_serializer
    def _to_text(self) -> str:
        return self.iso

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "format": "partial-date",
                "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}

    @property
    def iso(self) -> str:
        """ISO text: "1985", "1985-03" or "1985-03-07"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def is_complete(self) -> bool:
        """Whether day and month are known."""
        return self.day is not None

    def earliest(self) -> datetime.date:
        """The first day the date may stand for (1 January for a year-only date)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        return self.iso


class FullName(_Frozen):
    """Family name (họ), middle name(s) (chữ đệm) and given name (tên), in that order.

    ``middle`` is "" when the person has none; ``family`` is "" for the few names without one.
    """

    family: Text = ""
    """Họ: family name."""
    middle: Text = ""
    """Chữ đệm: middle name(s), "" if none."""
    given: Annotated[Text, Field(min_length=1)]
    """Tên: given name."""

    @property
    def text(self) -> str:
        """The whole name as written: "Nguyễn Thị Minh Khai"."""
        return " ".join(part for part in (self.family, self.middle, self.given) if part)

    def __str__(self) -> str:
        return self.text


class LegacyCodes(_Frozen):
    """The codes of a pre-July-2025 three-level address (old province, district, ward)."""

    province_code: ProvinceCode
    """Old province code (63 provinces), two digits."""
    district_code: DistrictCode | None = None
    """Old district code, three digits."""
    ward_code: CommuneCode | None = None
    """Old ward (xã, phường, thị trấn) code, five digits."""


class Address(_Frozen):
    """A two-level address: province and commune codes since 1 July 2025, and a detail line.

    ``detail`` holds house number, street, village or residential group. ``legacy`` keeps the
    three-level codes a record came with; an address not yet converted has only those
    (``province_code`` and ``commune_code`` None). Outside Vietnam only ``country`` and
    ``detail`` apply.
    """

    country: CountryCode = "VN"
    """Country, ISO 3166-1 alpha-2."""
    province_code: ProvinceCode | None = None
    """Province code since 1 July 2025 (34 units), two digits."""
    commune_code: CommuneCode | None = None
    """Commune code since 1 July 2025 (xã, phường, đặc khu), five digits."""
    detail: Text | None = None
    """House number, street, village or residential group."""
    legacy: LegacyCodes | None = None
    """The pre-July-2025 codes the address came with."""

    @model_validator(mode="after")
    def _located(self) -> Address:
        if self.commune_code is not None and self.province_code is None:
            raise ValueError("a commune code needs its province code")
        if self.country == "VN" and self.province_code is None and self.legacy is None:
            raise ValueError("an address in Vietnam needs a province code or legacy codes")
        return self


class PersonRef(_Frozen):
    """A relative as the record names them: ID (if any), name, birth date, nationality."""

    personal_id: PersonalId | None = None
    """Their personal ID (None for a relative the register holds no ID for)."""
    full_name: FullName
    """Their name."""
    date_of_birth: PartialDate | None = None
    """Their date of birth, possibly year only."""
    nationality: CountryCode | None = None
    """Their nationality, ISO 3166-1 alpha-2."""


class HouseholdMember(_Frozen):
    """One member of a household and their relationship to its head."""

    personal_id: PersonalId
    """The member's personal ID."""
    relationship: Relationship
    """Their relationship to the head ("head" for the head)."""


class Household(_Frozen):
    """A registered household: its ID, its head and every member (the head included)."""

    id: Annotated[str, Field(min_length=1)]
    """The household's number in the residence register."""
    head_id: PersonalId
    """The head's personal ID."""
    members: tuple[HouseholdMember, ...]
    """Every member, the head first."""

    @model_validator(mode="after")
    def _one_head(self) -> Household:
        heads = [m.personal_id for m in self.members if m.relationship == "head"]
        if heads != [self.head_id]:
            raise ValueError("exactly one member must be the head, and be head_id")
        if len({m.personal_id for m in self.members}) != len(self.members):
            raise ValueError("a person is listed twice")
        return self

    def member(self, personal_id: str) -> HouseholdMember | None:
        """The entry of ``personal_id``, None if not a member."""
        return next((m for m in self.members if m.personal_id == personal_id), None)


class Citizen(_Frozen):
    """One person's record in the population database (items of Art. 9(1) in brackets)."""

    personal_id: PersonalId
    """Số định danh cá nhân: the 12-digit personal ID (3)."""
    full_name: FullName
    """Họ, chữ đệm và tên khai sinh: name at birth in three parts (1)."""
    other_names: tuple[Text, ...] = ()
    """Tên gọi khác: other names (2)."""
    date_of_birth: PartialDate | None = None
    """Ngày, tháng, năm sinh: date of birth, possibly year only (4)."""
    sex: Sex | None = None
    """Giới tính: sex (5)."""
    place_of_birth: Address | None = None
    """Nơi sinh: place of birth (6)."""
    hometown: Address | None = None
    """Quê quán: hometown, place of origin (8)."""
    ethnicity: EthnicityCode | None = None
    """Dân tộc: ethnic group, GSO code 01-54 (9)."""
    religion: Text | None = None
    """Tôn giáo: religion as the register writes it, "Không" for none (10)."""
    nationality: CountryCode | None = None
    """Quốc tịch: nationality, ISO 3166-1 alpha-2 (11)."""
    permanent_residence: Address | None = None
    """Nơi thường trú: permanent residence (16)."""
    temporary_residence: Address | None = None
    """Nơi tạm trú: temporary residence (17)."""
    current_residence: Address | None = None
    """Nơi ở hiện tại: where the person lives now (18)."""
    marital_status: MaritalStatus | None = None
    """Tình trạng hôn nhân: marital status (21)."""
    relationship_to_head: Relationship | None = None
    """Quan hệ với chủ hộ: relationship to the head of household (22)."""
    household: Household | None = None
    """Hộ gia đình: the household, its head and members (23)."""
    father: PersonRef | None = None
    """Cha: father (15)."""
    mother: PersonRef | None = None
    """Mẹ: mother (15)."""
    spouse: PersonRef | None = None
    """Vợ/chồng: spouse (15)."""
    children: tuple[PersonRef, ...] = ()
    """Con: children (15)."""
    phone: Phone | None = None
    """Số thuê bao di động: mobile number, E.164 (25)."""
    email: Email | None = None
    """Địa chỉ thư điện tử: e-mail address (25)."""
    date_of_death: PartialDate | None = None
    """Ngày, tháng, năm chết: date of death (24)."""

    @model_validator(mode="after")
    def _consistent(self) -> Citizen:
        if self.household is not None:
            entry = self.household.member(self.personal_id)
            if entry is None:
                raise ValueError("the person is not a member of their household")
            if self.relationship_to_head not in (None, entry.relationship):
                raise ValueError("relationship_to_head disagrees with the household")
        if (self.date_of_death is not None and self.date_of_birth is not None
                and self.date_of_death.year < self.date_of_birth.year):
            raise ValueError("died before being born")
        return self

    @property
    def is_deceased(self) -> bool:
        """Whether the record holds a date of death."""
        return self.date_of_death is not None

    def age(self, on: datetime.date) -> int | None:
        """Age in whole years on ``on`` (a year-only birth date counts from 1 January)."""
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth.earliest()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- the attribute catalogue -----------------------------------------------------------


@dataclass(frozen=True)
class AttributeInfo:
    """One attribute path of the Citizen record.

    ``path`` is dotted (``permanent_residence.commune_code``); ``[]`` marks the items of an
    array (``children[].personal_id``). ``type`` is the JSON type, ``schema`` the JSON Schema
    of one value (references inlined, no null, no titles). ``optional`` says whether a record
    may lack the value (None, "" or an empty array), as real records have gaps.
    """

    path: str
    type: str
    schema: Mapping[str, Any]
    optional: bool
    description: str = ""

    @property
    def pointer(self) -> str:
        """The JSON pointer of the value in a serialized Citizen (array items as ``-``)."""
        return "/" + self.path.replace("[]", ".-").replace(".", "/")


def _resolve(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with every ``$ref`` into ``defs`` inlined (the models are not recursive)."""
    if "$ref" in schema:
        target = _resolve(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: _resolve(sub, defs) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = _resolve(value, defs)
        elif key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            out[key] = [_resolve(sub, defs) for sub in value]
        elif key != "title":
            out[key] = value
    return out


def _without_null(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    variants = schema.get("anyOf")
    if variants and any(v.get("type") == "null" for v in variants):
        rest = [v for v in variants if v.get("type") != "null"]
        extra = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return ({**rest[0], **extra} if len(rest) == 1 else {**extra, "anyOf": rest}), True
    return {k: v for k, v in schema.items() if k != "default"}, False


def _walk(schema: dict[str, Any], path: str, optional: bool,
          out: dict[str, AttributeInfo]) -> None:
    clean, maybe_null = _without_null(schema)
    info = AttributeInfo(path, str(clean.get("type", "any")), MappingProxyType(clean),
                         optional or maybe_null, str(clean.get("description", "")))
    if path:
        out[path] = info
    if clean.get("type") == "object":
        required = set(clean.get("required", ()))
        for name, sub in clean.get("properties", {}).items():
            _walk(sub, f"{path}.{name}" if path else name, name not in required, out)
    elif clean.get("type") == "array" and isinstance(clean.get("items"), dict):
        _walk(clean["items"], f"{path}[]", False, out)


def _catalogue() -> Mapping[str, AttributeInfo]:
    schema = Citizen.model_json_schema(mode="serialization")
    out: dict[str, AttributeInfo] = {}
    _walk(_resolve(schema, schema.get("$defs", {})), "", False, out)
    return MappingProxyType(out)


ATTRIBUTES: Final[Mapping[str, AttributeInfo]] = _catalogue()
"""Every attribute path of :class:`Citizen` (generated from the models, so it cannot drift)."""


def attribute_value(citizen: Citizen, path: str) -> Any:
    """The JSON value at ``path`` (see :data:`ATTRIBUTES`); None where it is missing.

    A path through an array (``children[].personal_id``) gives the list of item values.
    Raises KeyError for an unknown path.
    """
    if path not in ATTRIBUTES:
        raise KeyError(path)
    return _descend(citizen.model_dump(mode="json"), path.replace("[]", ".[]").split("."))


def _descend(value: Any, parts: list[str]) -> Any:
    for index, part in enumerate(parts):
        if value is None:
            return None
        if part == "[]":
            return [_descend(item, parts[index + 1:]) for item in value]
        value = value.get(part)
    return value
