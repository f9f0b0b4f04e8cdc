"""Tests for formengine.validation.formats."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from formengine.validation.formats import (
    FOREIGN_BIRTH_ID_PREFIXES,
    FORMAT_NORMALIZERS,
    ISO_3166_NUMERIC_CODES,
    PROVINCE_ID_PREFIXES,
    birth_year_and_sex,
    is_date,
    is_email,
    is_personal_id_prefix,
    is_vn_phone,
    make_format_checker,
    normalize_email,
    normalize_personal_id,
    normalize_phone,
    personal_id_mismatch,
    personal_id_problem,
)

THIS_YEAR = datetime.date.today().year
ALL_PREFIXES = sorted(set(PROVINCE_ID_PREFIXES) | FOREIGN_BIRTH_ID_PREFIXES)


def make_id(prefix: str, year: int, sex: str, tail: str = "012345") -> str:
    """Build a 12-digit ID from its parts."""
    digit = (year - 1900) // 100 * 2 + (sex == "female")
    return f"{prefix}{digit}{year % 100:02d}{tail}"


# --- constants ---------------------------------------------------------------------------


def test_province_prefixes_are_the_63_legacy_codes() -> None:
    assert len(PROVINCE_ID_PREFIXES) == 63
    assert PROVINCE_ID_PREFIXES["001"] == "Hà Nội"
    assert PROVINCE_ID_PREFIXES["079"] == "TP Hồ Chí Minh"
    assert PROVINCE_ID_PREFIXES["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_ID_PREFIXES)


def test_iso_codes() -> None:
    assert len(ISO_3166_NUMERIC_CODES) == 249
    assert "704" in ISO_3166_NUMERIC_CODES
    assert "704" not in FOREIGN_BIRTH_ID_PREFIXES
    assert {"000", "999"}.isdisjoint(ISO_3166_NUMERIC_CODES)
    assert {"840", "250", "392", "004"} <= FOREIGN_BIRTH_ID_PREFIXES


# --- personal ID -------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", sorted(PROVINCE_ID_PREFIXES))
def test_each_province_prefix_accepted(prefix: str) -> None:
    assert personal_id_problem(make_id(prefix, 1990, "male")) is None


@pytest.mark.parametrize("prefix", ["840", "250", "004", "410"])
def test_foreign_prefix_accepted(prefix: str) -> None:
    assert is_personal_id_prefix(prefix)
    assert personal_id_problem(make_id(prefix, 2001, "female")) is None


@pytest.mark.parametrize("prefix", ["000", "999", "704", "003", "097", "101"])
def test_unknown_prefix_rejected(prefix: str) -> None:
    assert not is_personal_id_prefix(prefix)
    assert personal_id_problem(make_id(prefix, 1990, "male")) == "prefix"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "00109901234",
        "0010990123456",
        "00109901234a",
        "001 099 012345",
        "001099O12345",
        "００１０９９０１２３４５",
        "٠٠١٠٩٩٠١٢٣٤٥",
        "001099012345\n",
    ],
)
def test_length_or_non_digit(value: str) -> None:
    assert personal_id_problem(value) == "length"


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [("0", 1985, "male"), ("1", 1985, "female"), ("2", 2005, "male"), ("3", 2005, "female")],
)
def test_century_digits_0_to_3(digit: str, year: int, sex: str) -> None:
    value = f"001{digit}{year % 100:02d}123456"
    assert personal_id_problem(value) is None
    assert birth_year_and_sex(value) == (year, sex)


def test_century_digit_for_2100s_is_future() -> None:
    assert personal_id_problem("001400123456") == "century"
    assert personal_id_problem("001500123456") == "century"
    assert personal_id_problem("001900123456") == "century"


def test_future_year_in_current_century_rejected() -> None:
    today = datetime.date(2026, 11, 22)
    assert personal_id_problem("001226123456", today=today) is None
    assert personal_id_problem("001227123456", today=today) == "century"
    assert personal_id_problem("001399123456", today=today) == "century"
    assert personal_id_problem("001099123456", today=today) is None


def test_future_year_relative_to_real_today() -> None:
    next_year = THIS_YEAR + 1
    assert personal_id_problem(make_id("001", THIS_YEAR, "male")) is None
    assert personal_id_problem(make_id("001", next_year, "male")) == "century"


def test_birth_year_and_sex_rejects_invalid() -> None:
    with pytest.raises(ValueError, match="prefix"):
        birth_year_and_sex("000099012345")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (" 001 099 012345 ", "001099012345"),
        ("001.099.012.345", "001099012345"),
        ("001-099-012345", "001099012345"),
        ("001\u00a0099\t012345", "001099012345"),
        ("001099012345", "001099012345"),
    ],
)
def test_normalize_personal_id(raw: str, clean: str) -> None:
    assert normalize_personal_id(raw) == clean


def test_normalize_personal_id_does_not_validate() -> None:
    assert normalize_personal_id("abc 12") == "abc12"


# --- mismatch ----------------------------------------------------------------------------

MALE_1990 = "001090012345"
FEMALE_2004 = "079304012345"


@pytest.mark.parametrize(
    ("value", "dob", "sex", "expected"),
    [
        (MALE_1990, "1990-05-15", "male", None),
        (MALE_1990, "1990", "male", None),
        (MALE_1990, "1990-05", None, None),
        (MALE_1990, None, None, None),
        (MALE_1990, "1991-05-15", "male", "date_of_birth"),
        (MALE_1990, "1991", None, "date_of_birth"),
        (MALE_1990, "1990-05-15", "female", "sex"),
        (MALE_1990, None, "female", "sex"),
        (MALE_1990, "1889-01-01", "female", "date_of_birth"),
        (FEMALE_2004, "2004-12-31", "female", None),
        (FEMALE_2004, "1904", "female", "date_of_birth"),
        (FEMALE_2004, "2004", "male", "sex"),
        # shapes we cannot read are not checked here
        (MALE_1990, "15/05/1991", "other", None),
        (MALE_1990, "", "", None),
    ],
)
def test_personal_id_mismatch(
    value: str, dob: str | None, sex: str | None, expected: str | None
) -> None:
    assert personal_id_mismatch(value, dob, sex) == expected


def test_mismatch_requires_valid_id() -> None:
    with pytest.raises(ValueError):
        personal_id_mismatch("123", "1990", "male")


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["0912345678", "091 234 5678", "+84912345678", " 0912.345.678 "])
def test_mobile_valid_and_normalised(raw: str) -> None:
    assert is_vn_phone(raw)
    assert normalize_phone(raw) == "+84912345678"


def test_landline() -> None:
    assert is_vn_phone("024 3825 6686")
    assert normalize_phone("024 3825 6686") == "+842438256686"
    assert normalize_phone("(024) 3825-6686") == "+842438256686"


def test_number_blocks_per_library() -> None:
    # vietnam.md §5: validity is per block: 0522… valid, 0529… not; 0898… valid, 0892… not.
    assert is_vn_phone("0522345678")
    assert not is_vn_phone("0529345678")
    assert is_vn_phone("0898123456")
    assert not is_vn_phone("0892123456")


def test_foreign_numbers_accepted() -> None:
    assert is_vn_phone("+14155552671")
    assert normalize_phone("+1 415-555-2671") == "+14155552671"


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "0912", "0912345678 ext. 12", "tel:0912345678", "0912345678a", "++84912345678"],
)
def test_invalid_phones(raw: str) -> None:
    assert not is_vn_phone(raw)


def test_invalid_phone_returned_stripped() -> None:
    assert normalize_phone("  0529345678 ") == "0529345678"
    assert normalize_phone(" abc ") == "abc"


# --- e-mail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["nguyen.van.a@example.com", "Tran.Thi.B@Example.VN", "nguyễn@ví-dụ.vn"]
)
def test_valid_emails(value: str) -> None:
    assert is_email(value)


@pytest.mark.parametrize(
    "value", ["a@b", "a@@b.com", "", "plain", "@example.com", " a@example.com", "a b@example.com"]
)
def test_invalid_emails(value: str) -> None:
    assert not is_email(value)


def test_normalize_email_only_strips() -> None:
    assert normalize_email("  Nguyen.A@Example.com\n") == "Nguyen.A@Example.com"


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-02-29", "1000-01-01", "9999-12-31", "1978-05-15"])
def test_valid_dates(value: str) -> None:
    assert is_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "2023-02-29",
        "2024-2-3",
        "0999-01-01",
        "2024-13-01",
        "2024-00-10",
        "15/05/1978",
        "2024-01-01T00:00",
        "2024-01-01\n",
        " 2024-01-01",
        "２０２４-01-01",
        "20240101",
        "+2024-01-01",
        "",
    ],
)
def test_invalid_dates(value: str) -> None:
    assert not is_date(value)


# --- wiring ------------------------------------------------------------------------------


def test_format_normalizers() -> None:
    assert set(FORMAT_NORMALIZERS) == {"vn-personal-id", "vn-phone", "email"}
    assert FORMAT_NORMALIZERS["vn-personal-id"]("001 099 012345") == "001099012345"
    assert FORMAT_NORMALIZERS["vn-phone"]("091 234 5678") == "+84912345678"
    assert FORMAT_NORMALIZERS["email"](" a@example.com ") == "a@example.com"


def test_format_checker_has_exactly_our_formats() -> None:
    checker = make_format_checker()
    assert set(checker.checkers) == {"date", "partial-date", "email", "vn-personal-id", "vn-phone"}
    assert checker is not make_format_checker()
    assert "vn-phone" not in FormatChecker.checkers  # global registry untouched
    assert "vn-personal-id" not in FormatChecker().checkers


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("date", "2024-02-29", "2024-02-30"),
        ("email", "nguyen.van.a@example.com", "a@b"),
        ("vn-personal-id", "001090012345", "000090012345"),
        ("vn-phone", "+84912345678", "0529345678"),
    ],
)
def test_format_checker_through_validator(fmt: str, good: str, bad: str) -> None:
    validator = Draft202012Validator({"format": fmt}, format_checker=make_format_checker())
    assert validator.is_valid(good)
    assert not validator.is_valid(bad)
    errors = list(validator.iter_errors(bad))
    assert [e.validator for e in errors] == ["format"]
    non_strings: tuple[object, ...] = (12, None, True, [], {}, 1.5)
    for instance in non_strings:
        assert validator.is_valid(instance)


def test_unknown_format_ignored() -> None:
    validator = Draft202012Validator({"format": "ipv4"}, format_checker=make_format_checker())
    assert validator.is_valid("not an ip")


# --- properties --------------------------------------------------------------------------


@given(
    prefix=st.sampled_from(ALL_PREFIXES),
    year=st.integers(min_value=1900, max_value=THIS_YEAR),
    sex=st.sampled_from(["male", "female"]),
    tail=st.from_regex(r"[0-9]{6}", fullmatch=True),
)
def test_generated_id_round_trips(prefix: str, year: int, sex: str, tail: str) -> None:
    value = make_id(prefix, year, sex, tail)
    assert personal_id_problem(value) is None
    assert birth_year_and_sex(value) == (year, sex)
    assert personal_id_mismatch(value, f"{year}-01-01", sex) is None
    assert personal_id_mismatch(value, str(year - 1), None) == "date_of_birth"
    other = "female" if sex == "male" else "male"
    assert personal_id_mismatch(value, str(year), other) == "sex"


@given(st.text())
def test_normalisers_idempotent(value: str) -> None:
    for normalise in FORMAT_NORMALIZERS.values():
        once = normalise(value)
        assert normalise(once) == once


@given(st.text(alphabet="0123456789 +-.()", max_size=20))
def test_phone_normalisation_idempotent_and_consistent(value: str) -> None:
    once = normalize_phone(value)
    assert normalize_phone(once) == once
    assert is_vn_phone(once) == is_vn_phone(value)
    if is_vn_phone(value):
        assert once.startswith("+")


@given(st.text(max_size=20))
def test_predicates_never_raise(value: str) -> None:
    for predicate in (is_date, is_email, is_vn_phone):
        assert isinstance(predicate(value), bool)
    assert personal_id_problem(value) in {None, "length", "prefix", "century"}


def test_partial_date() -> None:
    from formengine.validation.formats import is_partial_date

    for good in ("1950", "1950-03", "1950-03-27", "2000-02-29"):
        assert is_partial_date(good), good
    for bad in ("195", "0999", "1950-13", "1950-3", "1950-02-30", "1950-03-27x", "abcd"):
        assert not is_partial_date(bad), bad
