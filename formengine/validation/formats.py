"""String formats for Vietnamese e-forms: personal ID, phone, e-mail, ISO date.

The predicates here are small pure functions; :func:`make_format_checker` wires them into a
fresh :class:`jsonschema.FormatChecker` and :data:`FORMAT_NORMALIZERS` lists the cleaners to
run on submitted strings *before* validation.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from jsonschema import FormatChecker

__all__ = [
    "FOREIGN_BIRTH_ID_PREFIXES",
    "FORMAT_NORMALIZERS",
    "ISO_3166_NUMERIC_CODES",
    "PROVINCE_ID_PREFIXES",
    "birth_year_and_sex",
    "is_date",
    "is_email",
    "is_personal_id_prefix",
    "is_vn_phone",
    "make_format_checker",
    "normalize_email",
    "normalize_personal_id",
    "normalize_phone",
    "personal_id_mismatch",
    "personal_id_problem",
]

PROVINCE_ID_PREFIXES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "001": "Hà Nội",
        "002": "Hà Giang",
        "004": "Cao Bằng",
        "006": "Bắc Kạn",
        "008": "Tuyên Quang",
        "010": "Lào Cai",
        "011": "Điện Biên",
        "012": "Lai Châu",
        "014": "Sơn La",
        "015": "Yên Bái",
        "017": "Hòa Bình",
        "019": "Thái Nguyên",
        "020": "Lạng Sơn",
        "022": "Quảng Ninh",
        "024": "Bắc Giang",
        "025": "Phú Thọ",
        "026": "Vĩnh Phúc",
        "027": "Bắc Ninh",
        "030": "Hải Dương",
        "031": "Hải Phòng",
        "033": "Hưng Yên",
        "034": "Thái Bình",
        "035": "Hà Nam",
        "036": "Nam Định",
        "037": "Ninh Bình",
        "038": "Thanh Hóa",
        "040": "Nghệ An",
        "042": "Hà Tĩnh",
        "044": "Quảng Bình",
        "045": "Quảng Trị",
        "046": "Thừa Thiên Huế",
        "048": "Đà Nẵng",
        "049": "Quảng Nam",
        "051": "Quảng Ngãi",
        "052": "Bình Định",
        "054": "Phú Yên",
        "056": "Khánh Hòa",
        "058": "Ninh Thuận",
        "060": "Bình Thuận",
        "062": "Kon Tum",
        "064": "Gia Lai",
        "066": "Đắk Lắk",
        "067": "Đắk Nông",
        "068": "Lâm Đồng",
        "070": "Bình Phước",
        "072": "Tây Ninh",
        "074": "Bình Dương",
        "075": "Đồng Nai",
        "077": "Bà Rịa – Vũng Tàu",
        "079": "TP Hồ Chí Minh",
        "080": "Long An",
        "082": "Tiền Giang",
        "083": "Bến Tre",
        "084": "Trà Vinh",
        "086": "Vĩnh Long",
        "087": "Đồng Tháp",
        "089": "An Giang",
        "091": "Kiên Giang",
        "092": "Cần Thơ",
        "093": "Hậu Giang",
        "094": "Sóc Trăng",
        "095": "Bạc Liêu",
        "096": "Cà Mau",
    }
)
"""The 63 legacy birth-registration province codes (Circular 07/2016/TT-BCA App. I).

They stay valid after the 2025 merger: an ID number never changes.
"""


def _code_set(block: str) -> frozenset[str]:
    """The whitespace-separated codes in ``block``."""
    return frozenset(block.split())


ISO_3166_NUMERIC_CODES: Final[frozenset[str]] = _code_set(
    """
    004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064
    068 070 072 074 076 084 086 090 092 096 100 104 108 112 116 120 124 132 136 140
    144 148 152 156 158 162 166 170 174 175 178 180 184 188 191 192 196 203 204 208
    212 214 218 222 226 231 232 233 234 238 239 242 246 248 250 254 258 260 262 266
    268 270 275 276 288 292 296 300 304 308 312 316 320 324 328 332 334 336 340 344
    348 352 356 360 364 368 372 376 380 384 388 392 398 400 404 408 410 414 417 418
    422 426 428 430 434 438 440 442 446 450 454 458 462 466 470 474 478 480 484 492
    496 498 499 500 504 508 512 516 520 524 528 531 533 534 535 540 548 554 558 562
    566 570 574 578 580 581 583 584 585 586 591 598 600 604 608 612 616 620 624 626
    630 634 638 642 643 646 652 654 659 660 662 663 666 670 674 678 682 686 688 690
    694 702 703 704 705 706 710 716 724 728 729 732 740 744 748 752 756 760 762 764
    768 772 776 780 784 788 792 795 796 798 800 804 807 818 826 831 832 833 834 840
    850 854 858 860 862 876 882 887 894
    """
)
"""All 249 officially assigned ISO 3166-1 numeric codes (including Vietnam, 704)."""

VIETNAM_ISO_NUMERIC: Final = "704"

FOREIGN_BIRTH_ID_PREFIXES: Final[frozenset[str]] = ISO_3166_NUMERIC_CODES - {VIETNAM_ISO_NUMERIC}
"""Prefixes for births registered abroad: ISO 3166-1 numeric codes other than Vietnam's."""

# Digit 4 encodes century and sex: even = male, odd = female; 0/1 = 1900s, 2/3 = 2000s, ...
_FIRST_CENTURY: Final = 1900
_SEXES: Final = ("male", "female")
_ID_RE: Final = re.compile(r"[0-9]{12}")
_ID_SEPARATORS_RE: Final = re.compile(r"[\s.\-]+")
_PHONE_CHARS_RE: Final = re.compile(r"\+?[0-9\s().\-]+")
_DATE_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DOB_YEAR_RE: Final = re.compile(r"([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_DEFAULT_PHONE_REGION: Final = "VN"


# --- personal identification number ---------------------------------------------------


def is_personal_id_prefix(prefix: str) -> bool:
    """Tell whether ``prefix`` may open a personal ID.

    Legal prefixes are the union of the 63 legacy province codes and the ISO 3166-1 numeric
    codes other than 704 (births registered abroad; Circular 07/2016 App. II). The two sets
    overlap (e.g. "004" is Cao Bằng and Afghanistan): a prefix is legal if it is in either, so
    the prefix alone never tells whether a birth was registered in Vietnam or abroad.
    """
    return prefix in PROVINCE_ID_PREFIXES or prefix in FOREIGN_BIRTH_ID_PREFIXES


def normalize_personal_id(value: str) -> str:
    """Drop whitespace, dots and hyphens ("001 099 012345" -> "001099012345"); no validation."""
    return _ID_SEPARATORS_RE.sub("", value.strip())


def _decode_year(value: str) -> int:
    """Birth year from digits 4-6 of a 12-digit string (no other checks)."""
    return _FIRST_CENTURY + int(value[3]) // 2 * 100 + int(value[4:6])


def personal_id_problem(value: str, *, today: datetime.date | None = None) -> str | None:
    """Return None for a valid ID, else "length", "prefix" or "century".

    "length": not exactly 12 ASCII digits (normalise first); "prefix": see
    :func:`is_personal_id_prefix`; "century": digits 4-6 give a birth year after
    ``today`` (default: ``datetime.date.today()``). There is no check digit.
    """
    if _ID_RE.fullmatch(value) is None:
        return "length"
    if not is_personal_id_prefix(value[:3]):
        return "prefix"
    current_year = (today or datetime.date.today()).year
    if _decode_year(value) > current_year:
        return "century"
    return None


def birth_year_and_sex(value: str) -> tuple[int, str]:
    """Decode (birth year, "male"/"female") from a valid ID; raise ValueError otherwise."""
    problem = personal_id_problem(value)
    if problem is not None:
        raise ValueError(f"invalid personal ID ({problem})")
    return _decode_year(value), _SEXES[int(value[3]) % 2]


def _dob_year(date_of_birth: str) -> int | None:
    """Year of a "YYYY", "YYYY-MM" or "YYYY-MM-DD" date, None if it has another shape."""
    match = _DOB_YEAR_RE.fullmatch(date_of_birth)
    return int(match.group(1)) if match else None


def personal_id_mismatch(value: str, date_of_birth: str | None, sex: str | None) -> str | None:
    """Return "date_of_birth" or "sex" (date first) if the valid ID ``value`` disagrees.

    ``date_of_birth`` is "YYYY-MM-DD" or year-only "YYYY" (also "YYYY-MM"); only its year is
    compared. ``sex`` is "male"/"female". A None, or an unrecognised shape or value, is not
    checked (other keywords report it). Raises ValueError if ``value`` is not a valid ID.
    """
    year, id_sex = birth_year_and_sex(value)
    if date_of_birth is not None:
        dob_year = _dob_year(date_of_birth)
        if dob_year is not None and dob_year != year:
            return "date_of_birth"
    if sex in _SEXES and sex != id_sex:
        return "sex"
    return None


# --- phone -----------------------------------------------------------------------------


def _parse_valid_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """Parse with default region VN; None unless the number is valid."""
    if _PHONE_CHARS_RE.fullmatch(value.strip()) is None:
        return None
    try:
        number = phonenumbers.parse(value, _DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(value: str) -> str:
    """E.164 ("+84912345678") for a valid number, else ``value`` stripped, left to fail."""
    number = _parse_valid_phone(value)
    if number is None:
        return value.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_vn_phone(value: str) -> bool:
    """Tell whether ``value`` is a valid phone number (national form read as Vietnamese).

    Any number that ``phonenumbers`` deems valid is accepted, foreign ones included
    ("+14155552671"), because Vietnamese living abroad have foreign numbers. Validity is per
    number block (0522... valid, 0529... not). Only digits, one leading "+", spaces, dots,
    hyphens and parentheses are allowed: no letters, no extensions.
    """
    return _parse_valid_phone(value) is not None


# --- e-mail and date -------------------------------------------------------------------


def normalize_email(value: str) -> str:
    """Strip surrounding whitespace; case is kept."""
    return value.strip()


def is_email(value: str) -> bool:
    """Tell whether ``value`` is a syntactically valid address (email-validator, no DNS)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def is_date(value: str) -> bool:
    """Tell whether ``value`` is a real calendar date "YYYY-MM-DD" with a year 1000-9999."""
    match = _DATE_RE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    if year < 1000:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# --- wiring ----------------------------------------------------------------------------

FORMAT_NORMALIZERS: Final[Mapping[str, Callable[[str], str]]] = MappingProxyType(
    {
        "vn-personal-id": normalize_personal_id,
        "vn-phone": normalize_phone,
        "email": normalize_email,
    }
)
"""Cleaners to apply to strings with these formats before validating."""


def _is_valid_personal_id(value: str) -> bool:
    """Predicate form of :func:`personal_id_problem`."""
    return personal_id_problem(value) is None


def is_partial_date(value: str) -> bool:
    """Tell whether ``value`` is a real date, or month of a year, or year: "1990-03-27",
    "1990-03" or "1990" (the register's dates of birth may lack day and month)."""
    if len(value) == 4:
        return value.isdigit() and value >= "1000"
    if len(value) == 7:
        return is_date(value + "-01")
    return is_date(value)


_FORMAT_PREDICATES: Final[Mapping[str, Callable[[str], bool]]] = MappingProxyType(
    {
        "date": is_date,
        "partial-date": is_partial_date,
        "email": is_email,
        "vn-personal-id": _is_valid_personal_id,
        "vn-phone": is_vn_phone,
    }
)


def _strings_only(predicate: Callable[[str], bool]) -> Callable[[object], bool]:
    """Wrap ``predicate`` so that non-strings pass (format applies only to strings)."""

    def check(instance: object) -> bool:
        return not isinstance(instance, str) or predicate(instance)

    return check


def make_format_checker() -> FormatChecker:
    """Return a new FormatChecker with exactly "date", "partial-date", "email",
    "vn-personal-id", "vn-phone".

    The global ``jsonschema`` checkers are left untouched.
    """
    checker = FormatChecker(formats=())
    for name, predicate in _FORMAT_PREDICATES.items():
        checker.checks(name)(_strings_only(predicate))
    return checker
