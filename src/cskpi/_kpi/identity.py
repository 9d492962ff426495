"""Identity normalisation: one canonical form per e-mail address and per phone number.

Retention by repeat contact recognises a customer by an identifier written by hand
or by different systems: ``" Ann.Lee@Example.COM"`` and ``"ann.lee@example.com"``,
``"(020) 7946 0018"`` and ``"+44 20 7946 0018"``. These functions rewrite each
identifier to one canonical string with vectorised numpy string operations (no
Python loop over rows), following rules written out in each docstring. They never
guess: an identifier that does not follow the rules is reported (an error, or a mask
with ``invalid='mask'``), and two identifiers are only made equal by a rule listed in
the docstring, most of them only when a parameter asks for it.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, overload

import numpy as np
from numpy.typing import NDArray

from .._core.checks import first_index, to_array
from .._core.errors import InvalidInputError, InvalidTypeError

__all__ = ["normalize_email", "normalize_phone"]

InvalidPolicy: TypeAlias = Literal["raise", "mask"]
_INVALID_POLICIES = ("raise", "mask")

# Characters that never appear in a plain address: display names ("Ann <a@b.c>"),
# lists, quoted or commented local parts.
_EMAIL_FORBIDDEN = (" ", "\t", "\n", "\r", ",", ";", "<", ">", "(", ")", "[", "]", "\\", '"', ":")
_GMAIL_DOMAINS = ("gmail.com", "googlemail.com")
# Formatting removed from phone numbers.
_PHONE_SEPARATORS = (" ", "\t", "\u00a0", "-", "\u2010", "\u2011", "\u2013", ".", "(", ")", "/")
_E164_MIN_DIGITS = 7
_E164_MAX_DIGITS = 15


def _texts(values: Any, name: str) -> tuple[NDArray[np.str_], NDArray[np.bool_]]:
    """Identifiers as a native unicode array, and a mask of the missing ones (None, NaN)."""
    array = to_array(values, name)
    kind = array.dtype.kind
    if array.shape[0] == 0 and kind in "fO":  # an empty list has dtype float64
        return np.zeros(0, dtype="U1"), np.zeros(0, dtype=np.bool_)
    if kind == "U":
        return array.astype(f"U{max(array.dtype.itemsize // 4, 1)}", copy=False), np.zeros(
            array.shape[0], dtype=np.bool_
        )
    if kind == "S":
        try:
            return np.char.decode(array, "ascii"), np.zeros(array.shape[0], dtype=np.bool_)
        except UnicodeDecodeError:
            raise InvalidTypeError(f"{name} must be text; got non-ASCII bytes (decode them first)") from None
    if kind != "O":
        raise InvalidTypeError(
            f"{name} must be strings; got dtype {array.dtype} (numbers lose leading zeros and '+', "
            "keep identifiers as text)"
        )
    # Object arrays (pandas string columns): one isinstance check per element is the
    # price of Python objects; everything after it is vectorised.
    is_text = np.frompyfunc(lambda value: isinstance(value, str), 1, 1)(array).astype(np.bool_)
    with np.errstate(invalid="ignore"):
        missing = np.asarray(array == None) | np.asarray(array != array)  # noqa: E711 (elementwise)
    other = ~is_text & ~missing
    if other.any():
        index = first_index(other)
        raise InvalidTypeError(
            f"{name} must be strings (or None for missing); got {array[index]!r} at index {index}"
        )
    return np.where(missing, "", array).astype(np.str_), missing


def _check_policy(invalid: str) -> InvalidPolicy:
    if invalid not in _INVALID_POLICIES:
        raise InvalidInputError(f"invalid must be one of {_INVALID_POLICIES}; got {invalid!r}")
    return invalid  # type: ignore[return-value]


def _finish(
    normalized: NDArray[np.str_],
    valid: NDArray[np.bool_],
    original: Any,
    name: str,
    rule: str,
    invalid: InvalidPolicy,
) -> NDArray[np.str_] | np.ma.MaskedArray[Any, np.dtype[np.str_]]:
    if invalid == "raise":
        if not valid.all():
            index = first_index(~valid)
            shown = to_array(original, name)[index]
            shown = shown.item() if isinstance(shown, np.generic) else shown
            raise InvalidInputError(f"{name} must be {rule}; got {shown!r} at index {index}")
        return normalized
    masked: np.ma.MaskedArray[Any, np.dtype[np.str_]] = np.ma.masked_array(
        np.where(valid, normalized, ""), mask=~valid
    )
    return masked


def _contains(values: NDArray[np.str_], characters: tuple[str, ...]) -> NDArray[np.bool_]:
    found = np.zeros(values.shape[0], dtype=np.bool_)
    for character in characters:  # a loop over a fixed set of characters, not over rows
        found |= np.char.find(values, character) >= 0
    return found


def _drop_leading(values: NDArray[np.str_], count: int, where: NDArray[np.bool_]) -> NDArray[np.str_]:
    """Remove the first ``count`` characters of the strings where ``where`` is True.

    Works on the UCS-4 code points of the fixed-width array (a column shift), so it
    needs no per-row slicing and no ``np.strings.slice`` (numpy >= 2.3).
    """
    width = values.dtype.itemsize // 4
    if count == 0 or width == 0 or not where.any():
        return values
    native = np.ascontiguousarray(values.astype(f"U{width}"))
    codes = native.view(np.uint32).reshape(native.shape[0], width)
    shifted = np.zeros_like(codes)
    if count < width:
        shifted[:, : width - count] = codes[:, count:]
    dropped = shifted.view(f"U{width}").reshape(native.shape[0])
    return np.where(where, dropped, native)


def _ascii_digits(values: NDArray[np.str_]) -> NDArray[np.bool_]:
    """True where a string is non-empty and made only of the ASCII digits 0-9.

    ``str.isdigit`` would accept superscripts and other scripts' digits; the code
    points are checked directly instead (0 is the padding of the fixed-width array).
    """
    width = values.dtype.itemsize // 4
    if width == 0:
        return np.zeros(values.shape[0], dtype=np.bool_)
    codes = np.ascontiguousarray(values.astype(f"U{width}")).view(np.uint32).reshape(values.shape[0], width)
    digit_or_padding = ((codes >= 48) & (codes <= 57)) | (codes == 0)
    result: NDArray[np.bool_] = digit_or_padding.all(axis=1) & (codes[:, 0] != 0)
    return result


@overload
def normalize_email(
    emails: Any,
    *,
    strip_plus_tags: bool = False,
    fold_gmail_dots: bool = False,
    invalid: Literal["raise"] = "raise",
) -> NDArray[np.str_]: ...
@overload
def normalize_email(
    emails: Any,
    *,
    strip_plus_tags: bool = False,
    fold_gmail_dots: bool = False,
    invalid: Literal["mask"],
) -> np.ma.MaskedArray[Any, np.dtype[np.str_]]: ...
def normalize_email(
    emails: Any,
    *,
    strip_plus_tags: bool = False,
    fold_gmail_dots: bool = False,
    invalid: InvalidPolicy = "raise",
) -> NDArray[np.str_] | np.ma.MaskedArray[Any, np.dtype[np.str_]]:
    """Canonical form of e-mail addresses, for recognising the same customer.

    Parameters
    ----------
    emails : array-like of str, shape (n,)
        Addresses as text (numpy, list, pandas or polars column). ``None`` and NaN
        in an object array are missing and reported as invalid.
    strip_plus_tags : bool, default False
        Remove a sub-address tag: everything from the first ``+`` to the ``@``
        (``ann+shop@example.com`` -> ``ann@example.com``), for every domain.
    fold_gmail_dots : bool, default False
        For ``gmail.com`` and ``googlemail.com`` only: remove the dots of the local
        part and write the domain as ``gmail.com`` (Google delivers
        ``a.nn@googlemail.com`` to ``ann@gmail.com``).
    invalid : {'raise', 'mask'}, default 'raise'
        What to do with an address that breaks the rules below: raise
        :class:`InvalidInputError` naming the first one and its index, or return a
        masked array in which it is masked (its data is ``''``).

    Returns
    -------
    ndarray of str or numpy.ma.MaskedArray of str
        ``local@domain``, lower-case; a masked array (invalid addresses masked) with
        ``invalid='mask'``.

    Notes
    -----
    Rules, applied in this order:

    1. Leading and trailing white space is removed.
    2. The whole address is lower-cased (``str.lower``). RFC 5321 lets a server
       treat the local part as case-sensitive, but mailbox providers do not, so two
       addresses differing only in case are taken to be the same customer.
    3. Valid means: exactly one ``@``; a non-empty local part not starting or ending
       with a dot and without ``..``; a domain with at least one dot, not starting
       or ending with one and without ``..``; none of white space, ``,;<>()[]\\":``.
       This is a plain syntactic check, deliberately stricter than RFC 5322 (quoted
       local parts and display names are rejected), not a test that the mailbox
       exists.
    4. Only when asked: ``+tag`` removal (an empty local part left by it is
       invalid), then Gmail dot folding.

    Nothing else is changed: no other provider's aliases are folded, and Unicode
    (internationalised) addresses are kept as written, lower-cased.

    References
    ----------
    J. Klensin (2008), RFC 5321 "Simple Mail Transfer Protocol", section 2.4 (case
    of local parts); K. Murchison (2008), RFC 5233 "Sieve Email Filtering:
    Subaddress Extension" (the ``+`` separator).

    Examples
    --------
    >>> from cskpi import normalize_email
    >>> normalize_email([" Ann.Lee@Example.COM", "ann.lee+shop@example.com"]).tolist()
    ['ann.lee@example.com', 'ann.lee+shop@example.com']
    >>> normalize_email(["ann.lee+shop@example.com"], strip_plus_tags=True).tolist()
    ['ann.lee@example.com']
    >>> normalize_email(["A.nn@googlemail.com", "a.nn@example.com"], fold_gmail_dots=True).tolist()
    ['ann@gmail.com', 'a.nn@example.com']
    >>> normalize_email(["ann@example.com", "not an address"], invalid="mask").mask.tolist()
    [False, True]
    """
    policy = _check_policy(invalid)
    texts, missing = _texts(emails, "emails")
    if texts.shape[0] == 0:
        return texts if policy == "raise" else np.ma.masked_array(texts, mask=np.zeros(0, dtype=np.bool_))
    address = np.char.lower(np.char.strip(texts))
    parts = np.char.partition(address, "@")
    local, domain = parts[:, 0], parts[:, 2]
    valid = ~missing & (np.char.count(address, "@") == 1) & ~_contains(address, _EMAIL_FORBIDDEN)
    for piece in (local, domain):
        valid &= (np.char.str_len(piece) > 0) & ~np.char.startswith(piece, ".")
        valid &= ~np.char.endswith(piece, ".") & (np.char.find(piece, "..") < 0)
    valid &= np.char.find(domain, ".") >= 0
    if strip_plus_tags:
        local = np.char.partition(local, "+")[:, 0]
        valid &= np.char.str_len(local) > 0
    if fold_gmail_dots:
        gmail = np.isin(domain, _GMAIL_DOMAINS)
        local = np.where(gmail, np.char.replace(local, ".", ""), local)
        domain = np.where(gmail, "gmail.com", domain)
        valid &= np.char.str_len(local) > 0
    normalized = np.char.add(np.char.add(local, "@"), domain)
    return _finish(
        normalized, valid, emails, "emails", "e-mail addresses of the form local@domain.tld", policy
    )


@overload
def normalize_phone(
    phones: Any,
    *,
    default_country_code: str | None = None,
    trunk_prefix: str | None = "0",
    international_prefix: str | None = "00",
    invalid: Literal["raise"] = "raise",
) -> NDArray[np.str_]: ...
@overload
def normalize_phone(
    phones: Any,
    *,
    default_country_code: str | None = None,
    trunk_prefix: str | None = "0",
    international_prefix: str | None = "00",
    invalid: Literal["mask"],
) -> np.ma.MaskedArray[Any, np.dtype[np.str_]]: ...
def normalize_phone(
    phones: Any,
    *,
    default_country_code: str | None = None,
    trunk_prefix: str | None = "0",
    international_prefix: str | None = "00",
    invalid: InvalidPolicy = "raise",
) -> NDArray[np.str_] | np.ma.MaskedArray[Any, np.dtype[np.str_]]:
    """Canonical E.164 form (``+`` and digits) of phone numbers, for recognising the same customer.

    Parameters
    ----------
    phones : array-like of str, shape (n,)
        Numbers as text. Integer columns raise :class:`InvalidTypeError`: reading
        phone numbers as numbers loses their leading ``+`` and ``0``.
    default_country_code : str, optional
        Country calling code, 1-3 digits without ``+`` (``'44'``, ``'1'``), given
        to numbers written without an international prefix. Without it such
        numbers are invalid.
    trunk_prefix : str or None, default '0'
        National trunk prefix removed from the start of a national number before the
        country code is added (``'0'`` in most of Europe, ``'1'`` in the North
        American Numbering Plan). None removes nothing.
    international_prefix : str or None, default '00'
        Dialling prefix meaning "an international number follows" (``'00'`` in
        most countries, ``'011'`` from North America); it is read like a leading
        ``+``. None: only ``+`` marks international numbers.
    invalid : {'raise', 'mask'}, default 'raise'
        What to do with a number that breaks the rules below: raise
        :class:`InvalidInputError` naming the first one and its index, or return a
        masked array in which it is masked (its data is ``''``).

    Returns
    -------
    ndarray of str or numpy.ma.MaskedArray of str
        ``+`` followed by 7 to 15 digits: the country code and the national
        significant number; a masked array (invalid numbers masked) with
        ``invalid='mask'``.

    Notes
    -----
    Rules, applied in this order:

    1. Leading and trailing white space is removed; a ``(0)`` (the optional trunk
       prefix written after a country code, as in ``+44 (0)20``) is removed; then
       the separators space, tab, no-break space, hyphens, ``.``, ``(``, ``)`` and
       ``/`` are removed.
    2. A leading ``+``, or else a leading ``international_prefix``, marks an
       international number: the digits after it start with the country code. Any
       other number is national: one leading ``trunk_prefix`` is removed and
       ``default_country_code`` is put in front.
    3. Valid means: only ASCII digits remain (letters, extensions such as
       ``x123``, a second ``+`` or other scripts' digits make the number invalid),
       the country code does not start with 0, and there are 7 to 15 digits in all
       (E.164 allows at most 15).

    The country code is not checked against the list of assigned codes and the
    national number not against national numbering plans: a number that is well
    formed but unassigned keeps its canonical form. Use a dedicated library (such
    as libphonenumber) when that matters.

    References
    ----------
    ITU-T Recommendation E.164 (2010), "The international public
    telecommunication numbering plan"; ITU-T Recommendation E.123 (2001),
    "Notation for national and international telephone numbers".

    Examples
    --------
    >>> from cskpi import normalize_phone
    >>> normalize_phone(["+44 (0)20 7946 0018", "020 7946 0018", "0044 20 7946 0018"],
    ...                 default_country_code="44").tolist()
    ['+442079460018', '+442079460018', '+442079460018']
    >>> normalize_phone(["(555) 123-4567", "1-555-123-4567"], default_country_code="1",
    ...                 trunk_prefix="1").tolist()
    ['+15551234567', '+15551234567']
    >>> normalize_phone(["+1 555 123 4567", "555-CALL-NOW"], invalid="mask").mask.tolist()
    [False, True]
    """
    policy = _check_policy(invalid)
    country = _digits_option(default_country_code, "default_country_code", 1, 3)
    trunk = _digits_option(trunk_prefix, "trunk_prefix", 1, 3)
    exit_code = _digits_option(international_prefix, "international_prefix", 1, 4)
    if country is not None and country.startswith("0"):
        raise InvalidInputError(f"default_country_code must not start with 0; got {default_country_code!r}")
    texts, missing = _texts(phones, "phones")
    if texts.shape[0] == 0:
        return texts if policy == "raise" else np.ma.masked_array(texts, mask=np.zeros(0, dtype=np.bool_))
    number = np.char.replace(np.char.strip(texts), "(0)", "")
    for separator in _PHONE_SEPARATORS:  # a fixed set of characters, not a loop over rows
        number = np.char.replace(number, separator, "")
    plus = np.char.startswith(number, "+")
    number = _drop_leading(number, 1, plus)
    international = plus.copy()
    if exit_code is not None:
        dialled = ~plus & np.char.startswith(number, exit_code)
        number = _drop_leading(number, len(exit_code), dialled)
        international |= dialled
    national = ~international
    if trunk is not None:
        number = _drop_leading(number, len(trunk), national & np.char.startswith(number, trunk))
    valid = ~missing & _ascii_digits(number)
    if country is None:
        valid &= international
        digits = number
    else:
        digits = np.where(national, np.char.add(country, number), number)
    valid &= ~np.char.startswith(digits, "0")
    length = np.char.str_len(digits)
    valid &= (length >= _E164_MIN_DIGITS) & (length <= _E164_MAX_DIGITS)
    normalized = np.char.add("+", digits)
    rule = (
        "phone numbers of 7 to 15 digits with a country code "
        "(international, or national with default_country_code)"
    )
    return _finish(normalized, valid, phones, "phones", rule, policy)


def _digits_option(value: str | None, name: str, shortest: int, longest: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidTypeError(f"{name} must be a string of digits or None; got {value!r}")
    if not (shortest <= len(value) <= longest and value.isascii() and value.isdigit()):
        raise InvalidInputError(f"{name} must be {shortest} to {longest} ASCII digits; got {value!r}")
    return value
