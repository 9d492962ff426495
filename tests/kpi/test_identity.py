"""Tests of e-mail and phone normalisation: documented rules, reference, never merging by accident."""

from __future__ import annotations

import string
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cskpi import InvalidInputError, InvalidTypeError, normalize_email, normalize_phone
from helpers import read_only

# --------------------------------------------------------------------------- reference


def reference_email(text: str, *, plus: bool = False, gmail: bool = False) -> str | None:
    """The documented rules, one address at a time with str methods (None = invalid)."""
    address = text.strip().lower()
    if address.count("@") != 1 or any(c in address for c in ' \t\n\r,;<>()[]\\":'):
        return None
    local, domain = address.split("@")
    for piece in (local, domain):
        if not piece or piece.startswith(".") or piece.endswith(".") or ".." in piece:
            return None
    if "." not in domain:
        return None
    if plus:
        local = local.split("+", 1)[0]
        if not local:
            return None
    if gmail and domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
        if not local:
            return None
    return f"{local}@{domain}"


def reference_phone(
    text: str, country: str | None, trunk: str | None = "0", exit_code: str | None = "00"
) -> str | None:
    number = text.strip().replace("(0)", "")
    for separator in (" ", "\t", "\u00a0", "-", "\u2010", "\u2011", "\u2013", ".", "(", ")", "/"):
        number = number.replace(separator, "")
    if number.startswith("+"):
        digits, international = number[1:], True
    elif exit_code and number.startswith(exit_code):
        digits, international = number[len(exit_code) :], True
    else:
        digits, international = number, False
        if trunk and digits.startswith(trunk):
            digits = digits[len(trunk) :]
    if not digits or not all(c in string.digits for c in digits):
        return None
    if not international:
        if country is None:
            return None
        digits = country + digits
    if digits.startswith("0") or not 7 <= len(digits) <= 15:
        return None
    return "+" + digits


# --------------------------------------------------------------------------- e-mail


def test_email_rules_by_hand() -> None:
    result = normalize_email(["  Ann.Lee@Example.COM\t", "ann.lee@example.com", "Bob+News@Mail.Example.org"])
    assert result.tolist() == ["ann.lee@example.com", "ann.lee@example.com", "bob+news@mail.example.org"]


def test_email_plus_tags_only_when_asked() -> None:
    emails = ["ann+shop@example.com", "ann@example.com", "ann+a+b@example.com"]
    assert len(set(normalize_email(emails).tolist())) == 3
    assert normalize_email(emails, strip_plus_tags=True).tolist() == ["ann@example.com"] * 3


def test_email_gmail_dots_only_for_gmail_and_only_when_asked() -> None:
    emails = ["a.n.n@gmail.com", "ann@googlemail.com", "a.nn@example.com", "ann@example.com"]
    unchanged = ["a.n.n@gmail.com", "ann@googlemail.com", "a.nn@example.com", "ann@example.com"]
    assert normalize_email(emails).tolist() == unchanged
    folded = normalize_email(emails, fold_gmail_dots=True).tolist()
    assert folded == ["ann@gmail.com", "ann@gmail.com", "a.nn@example.com", "ann@example.com"]
    # Other domains' dots never fold: a.nn@example.com and ann@example.com stay two customers.
    assert folded[2] != folded[3]


@pytest.mark.parametrize(
    "bad",
    [
        "no-at-sign.example.com",
        "two@@example.com",
        "a@b@example.com",
        "@example.com",
        "ann@",
        "ann@localhost",
        "ann@.example.com",
        "ann@example.com.",
        "ann@example..com",
        ".ann@example.com",
        "ann.@example.com",
        "an..n@example.com",
        "ann lee@example.com",
        "Ann <ann@example.com>",
        '"ann"@example.com',
        "ann@example.com, bob@example.com",
        "",
        "   ",
    ],
)
def test_email_invalid_addresses_are_reported(bad: str) -> None:
    with pytest.raises(InvalidInputError, match=r"emails must be e-mail addresses.*at index 1"):
        normalize_email(["ok@example.com", bad])
    masked = normalize_email(["ok@example.com", bad], invalid="mask")
    assert masked.mask.tolist() == [False, True]
    assert masked.data.tolist() == ["ok@example.com", ""]


def test_email_plus_tag_only_local_part_is_invalid() -> None:
    assert normalize_email(["+tag@example.com"]).tolist() == ["+tag@example.com"]
    with pytest.raises(InvalidInputError, match="emails"):
        normalize_email(["+tag@example.com"], strip_plus_tags=True)


def test_email_missing_values_in_object_arrays() -> None:
    emails = np.array(["a@example.com", None, np.nan], dtype=object)
    assert normalize_email(emails, invalid="mask").mask.tolist() == [False, True, True]
    with pytest.raises(InvalidInputError, match=r"emails.*None at index 1"):
        normalize_email(emails)


@pytest.mark.parametrize(
    ("values", "kwargs", "error", "pattern"),
    [
        ([1, 2], {}, InvalidTypeError, "emails must be strings"),
        (np.array(["a@b.cd", 3], dtype=object), {}, InvalidTypeError, r"emails must be strings.*index 1"),
        ("a@example.com", {}, InvalidTypeError, "emails"),
        (None, {}, InvalidTypeError, "emails"),
        ([["a@example.com"]], {}, InvalidInputError, "emails must be 1-D"),
        (["a@example.com"], {"invalid": "drop"}, InvalidInputError, "invalid must be one of"),
    ],
)
def test_email_bad_input(values: Any, kwargs: dict[str, Any], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        normalize_email(values, **kwargs)


def test_email_empty_and_read_only_input() -> None:
    assert normalize_email([]).shape == (0,)
    frozen = read_only(["Ann@Example.com"])
    assert normalize_email(frozen).tolist() == ["ann@example.com"]
    assert frozen.tolist() == ["Ann@Example.com"]


email_text = st.text(alphabet="aAbB.+@-_ xé\t", max_size=14) | st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.text(alphabet="aAB.+z", min_size=0, max_size=6),
    st.sampled_from(["gmail", "GoogleMail", "example", "ex..ample", ""]),
    st.sampled_from(["com", "org", ""]),
)


@given(st.lists(email_text, max_size=20), st.booleans(), st.booleans())
@settings(max_examples=150)
def test_email_matches_reference(emails: list[str], plus: bool, gmail: bool) -> None:
    result = normalize_email(emails, strip_plus_tags=plus, fold_gmail_dots=gmail, invalid="mask")
    expected = [reference_email(e, plus=plus, gmail=gmail) for e in emails]
    assert result.mask.tolist() == [e is None for e in expected] or (not emails and result.size == 0)
    assert [
        v if not m else None for v, m in zip(result.data.tolist(), np.ma.getmaskarray(result), strict=True)
    ] == expected


@given(st.lists(email_text, min_size=1, max_size=20))
@settings(max_examples=100)
def test_email_normalisation_is_idempotent_and_merges_only_by_rule(emails: list[str]) -> None:
    once = normalize_email(emails, invalid="mask")
    valid = once.compressed()
    assert normalize_email(valid).tolist() == valid.tolist()
    # Without options, two valid inputs merge only if they differ by case or surrounding space.
    for a, b in zip(np.array(emails)[~np.ma.getmaskarray(once)], valid, strict=True):
        assert a.strip().lower() == b


# --------------------------------------------------------------------------- phone


def test_phone_rules_by_hand() -> None:
    phones = [
        "+44 (0)20 7946 0018",
        "020 7946 0018",
        "0044 20 7946 0018",
        "+44-20-7946-0018",
        "(020) 7946.0018",
    ]
    assert normalize_phone(phones, default_country_code="44").tolist() == ["+442079460018"] * 5


def test_phone_north_american_numbers() -> None:
    phones = ["(555) 123-4567", "1-555-123-4567", "+1 555 123 4567", "555.123.4567"]
    result = normalize_phone(phones, default_country_code="1", trunk_prefix="1", international_prefix="011")
    assert result.tolist() == ["+15551234567"] * 4
    assert normalize_phone(["011 44 20 7946 0018"], international_prefix="011").tolist() == ["+442079460018"]


def test_phone_without_default_country_code_national_numbers_are_invalid() -> None:
    masked = normalize_phone(["+33 1 23 45 67 89", "01 23 45 67 89"], invalid="mask")
    assert masked.mask.tolist() == [False, True]
    assert masked.data[0] == "+33123456789"


def test_phone_never_merges_different_numbers() -> None:
    # Differ in one digit, or national vs a different country: never the same.
    result = normalize_phone(
        ["020 7946 0018", "020 7946 0019", "+33 20 7946 0018"], default_country_code="44"
    )
    assert len(set(result.tolist())) == 3


@pytest.mark.parametrize(
    "bad",
    ["555-CALL-NOW", "+44 20 7946 0018 ext 12", "+44 20 7946 0018 x12", "+0 123 4567 890", "1234", "+1234567890123456",
     "+44+20 7946 0018", "٠٢٠٧٩٤٦٠٠١٨", "²0279460018", "", "+"],
)  # fmt: skip
def test_phone_invalid_numbers_are_reported(bad: str) -> None:
    with pytest.raises(InvalidInputError, match=r"phones must be phone numbers.*at index 1"):
        normalize_phone(["+44 20 7946 0018", bad], default_country_code="44")
    assert normalize_phone(
        ["+44 20 7946 0018", bad], default_country_code="44", invalid="mask"
    ).mask.tolist() == [
        False,
        True,
    ]


@pytest.mark.parametrize(
    ("values", "kwargs", "error", "pattern"),
    [
        (np.array([442079460018]), {}, InvalidTypeError, "phones must be strings"),
        ([4.4e11], {}, InvalidTypeError, "phones must be strings"),
        (["+44 20 7946 0018"], {"default_country_code": "+44"}, InvalidInputError, "default_country_code"),
        (["+44 20 7946 0018"], {"default_country_code": "044"}, InvalidInputError, "default_country_code"),
        (["+44 20 7946 0018"], {"default_country_code": 44}, InvalidTypeError, "default_country_code"),
        (["+44 20 7946 0018"], {"trunk_prefix": "a"}, InvalidInputError, "trunk_prefix"),
        (["+44 20 7946 0018"], {"international_prefix": ""}, InvalidInputError, "international_prefix"),
        (["+44 20 7946 0018"], {"invalid": "guess"}, InvalidInputError, "invalid"),
        ([["+44"]], {}, InvalidInputError, "phones must be 1-D"),
    ],
)
def test_phone_bad_input(values: Any, kwargs: dict[str, Any], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        normalize_phone(values, **kwargs)


def test_phone_bytes_object_and_read_only_input() -> None:
    assert normalize_phone(np.array([b"+44 20 7946 0018"])).tolist() == ["+442079460018"]
    objects = np.array(["+44 20 7946 0018", None], dtype=object)
    assert normalize_phone(objects, invalid="mask").mask.tolist() == [False, True]
    frozen = read_only(["+44 20 7946 0018"])
    assert normalize_phone(frozen).tolist() == ["+442079460018"]
    assert normalize_phone([]).shape == (0,)


phone_text = st.text(alphabet="0123456789 +-()./x", max_size=22)


@given(
    st.lists(phone_text, max_size=20),
    st.sampled_from([None, "1", "44", "353"]),
    st.sampled_from([None, "0", "1"]),
    st.sampled_from([None, "00", "011"]),
)
@settings(max_examples=200)
def test_phone_matches_reference(
    phones: list[str], country: str | None, trunk: str | None, exit_code: str | None
) -> None:
    result = normalize_phone(
        phones,
        default_country_code=country,
        trunk_prefix=trunk,
        international_prefix=exit_code,
        invalid="mask",
    )
    expected = [reference_phone(p, country, trunk, exit_code) for p in phones]
    got = [None if m else v for v, m in zip(result.data.tolist(), np.ma.getmaskarray(result), strict=True)]
    assert got == expected


@given(st.lists(phone_text, min_size=1, max_size=20), st.sampled_from(["1", "44"]))
@settings(max_examples=100)
def test_phone_output_is_canonical_and_idempotent(phones: list[str], country: str) -> None:
    valid = normalize_phone(phones, default_country_code=country, invalid="mask").compressed()
    for number in valid.tolist():
        assert number[0] == "+" and number[1:].isdigit() and number[1] != "0" and 7 <= len(number) - 1 <= 15
    assert normalize_phone(valid, default_country_code=country).tolist() == valid.tolist()


# --------------------------------------------------------------------------- edges and messages
# Written against the survivors of a mutmut run (issue 11): the shape of empty results, the
# bounds of the options and of E.164, and every error message word for word.


@pytest.mark.parametrize("normalize", [normalize_email, normalize_phone])
@pytest.mark.parametrize("empty", [[], (), np.array([], dtype=object), np.array([], dtype="U5")])
def test_empty_input_keeps_the_documented_return_types(normalize: Any, empty: Any) -> None:
    # Returns: "ndarray of str, or numpy.ma.MaskedArray of str with invalid='mask'" — also for
    # no input, and the mask of a masked result is an array as long as the input, as for n > 0.
    plain = normalize(empty)
    assert type(plain) is np.ndarray
    assert plain.dtype.kind == "U" and plain.shape == (0,)
    masked = normalize(empty, invalid="mask")
    assert isinstance(masked, np.ma.MaskedArray)
    assert masked.dtype.kind == "U" and masked.shape == (0,)
    assert masked.mask.shape == (0,) and masked.mask.tolist() == []


_PHONE_RULE = (
    "phones must be phone numbers of 7 to 15 digits with a country code "
    "(international, or national with default_country_code)"
)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: normalize_email(["ok@example.com", "Bad Address"]),
            InvalidInputError,
            "emails must be e-mail addresses of the form local@domain.tld; got 'Bad Address' at index 1",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018", "555-CALL-NOW"]),
            InvalidInputError,
            _PHONE_RULE + "; got '555-CALL-NOW' at index 1",
        ),
        (  # the offending value is shown as the caller wrote it: bytes stay bytes
            lambda: normalize_phone(np.array([b"+44 20 7946 0018", b"12"])),
            InvalidInputError,
            _PHONE_RULE + "; got b'12' at index 1",
        ),
        (
            lambda: normalize_email(np.array([1, 2], dtype=np.int64)),
            InvalidTypeError,
            "emails must be strings; got dtype int64 (numbers lose leading zeros and '+', "
            "keep identifiers as text)",
        ),
        (
            lambda: normalize_phone(np.array([4.4e11], dtype=np.float64)),
            InvalidTypeError,
            "phones must be strings; got dtype float64 (numbers lose leading zeros and '+', "
            "keep identifiers as text)",
        ),
        (  # valid UTF-8, but only ASCII bytes are decoded: "café" must be decoded by the caller
            lambda: normalize_email(np.array(["café@example.com".encode()])),
            InvalidTypeError,
            "emails must be text; got non-ASCII bytes (decode them first)",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018"], default_country_code=44),
            InvalidTypeError,
            "default_country_code must be a string of digits or None; got 44",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018"], default_country_code="1234"),
            InvalidInputError,
            "default_country_code must be 1 to 3 ASCII digits; got '1234'",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018"], trunk_prefix=0),
            InvalidTypeError,
            "trunk_prefix must be a string of digits or None; got 0",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018"], trunk_prefix="1234"),
            InvalidInputError,
            "trunk_prefix must be 1 to 3 ASCII digits; got '1234'",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018"], international_prefix=0),
            InvalidTypeError,
            "international_prefix must be a string of digits or None; got 0",
        ),
        (
            lambda: normalize_phone(["+44 20 7946 0018"], international_prefix="12345"),
            InvalidInputError,
            "international_prefix must be 1 to 4 ASCII digits; got '12345'",
        ),
    ],
    ids=[
        "email-rule",
        "phone-rule",
        "phone-rule-bytes",
        "email-int-dtype",
        "phone-float-dtype",
        "email-utf8-bytes",
        "country-type",
        "country-length",
        "trunk-type",
        "trunk-length",
        "exit-type",
        "exit-length",
    ],
)
def test_error_messages_word_for_word(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message


def test_phone_options_at_their_longest_are_accepted() -> None:
    # Ireland: country code 353 (3 digits, the longest); Australia dials abroad with 0011 (4 digits).
    phones = ["0011 353 1 234 5678", "01 234 5678", "+353 1 234 5678"]
    result = normalize_phone(phones, default_country_code="353", international_prefix="0011")
    assert result.tolist() == ["+35312345678"] * 3
    # A one-digit exit code and a three-digit trunk prefix are inside the documented ranges too.
    result = normalize_phone(
        ["7 44 20 7946 0018", "123 20 7946 0018"],
        default_country_code="44",
        trunk_prefix="123",
        international_prefix="7",
    )
    assert result.tolist() == ["+442079460018"] * 2


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+123456", None),  # 6 digits: too short
        ("+1234567", "+1234567"),  # 7: the shortest accepted
        ("+123456789012345", "+123456789012345"),  # 15: the E.164 maximum
        ("+1234567890123456", None),  # 16: too long
    ],
)
def test_phone_length_bounds_of_e164(phone: str, expected: str | None) -> None:
    masked = normalize_phone([phone], invalid="mask")
    assert [
        None if m else v for v, m in zip(masked.data.tolist(), np.ma.getmaskarray(masked), strict=True)
    ] == [expected]


@pytest.mark.parametrize("neighbour", [":", "\u0660", "\uff10"])
def test_phone_code_points_next_to_the_digits_are_not_digits(neighbour: str) -> None:
    # ':' is U+003A, right after '9' (U+0039); '/' (U+002F, right before '0') is a separator.
    # Arabic-Indic and full-width zeros are digits to str.isdigit but not ASCII digits.
    assert normalize_phone(["+44/20/7946/0018"]).tolist() == ["+442079460018"]
    masked = normalize_phone(["+44 20 7946 0018", f"+44 20 7946 001{neighbour}"], invalid="mask")
    assert masked.mask.tolist() == [False, True]
