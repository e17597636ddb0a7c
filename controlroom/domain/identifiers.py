"""Identifiers that arrive on the feed and appear on screen: containers, plates and drivers.

Container numbers and plates are the keys an officer types to lock onto a truck [000 伍], so every
layer must agree on one canonical form. Driver IDs are personal data: the screen shows them masked
and logs carry only a keyed, non-reversible reference.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

__all__ = [
    "driver_ref",
    "is_valid_container_no",
    "iso6346_check_digit",
    "mask_driver_id",
    "normalize_container_no",
    "normalize_plate",
]


def _iso6346_letter_values() -> dict[str, int]:
    """A=10, B=12, ... Z=38: ISO 6346 counts up from 10 but skips multiples of 11."""
    values: dict[str, int] = {}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_LETTER_VALUES = _iso6346_letter_values()
_OWNER_SERIAL = re.compile(r"[A-Z]{4}[0-9]{6}")
_CONTAINER_NO = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")
_PLATE_DROP = re.compile(r"[\s\-]+")
_CONTAINER_DROP = re.compile(r"[\s\-/]+")
_TW_NATIONAL_ID = re.compile(r"[A-Z][0-9]{9}")
# "Other" IDs must be at least this long before the first and last two characters are shown, so
# that at least half of the characters stay hidden.
_MIN_LEN_PARTIAL_MASK = 8
_DRIVER_REF_HEX_CHARS = 12


def iso6346_check_digit(owner_serial: str) -> int:
    """The ISO 6346 check digit of the first ten characters (owner code, category, serial).

    Each character's value is weighted by 2**position, the sum is taken modulo 11, and a result
    of 10 is written as 0 (the standard advises against such serials, but they exist in service).
    """
    if not _OWNER_SERIAL.fullmatch(owner_serial):
        raise ValueError(f"expected 4 letters A-Z and 6 digits, got {owner_serial!r}")
    total = 0
    for position, char in enumerate(owner_serial):
        value = _LETTER_VALUES[char] if char.isalpha() else int(char)
        total += value << position
    return total % 11 % 10


def is_valid_container_no(s: str) -> bool:
    """True for a canonical ISO 6346 container number with a correct check digit.

    Canonical means 3 owner letters, a category letter U (freight), J (detachable equipment) or
    Z (trailer/chassis), 6 serial digits and the check digit, upper-case, with no separators.
    Use :func:`normalize_container_no` first on typed input; feed messages must already be
    canonical (protocol.md rejects a bad check digit).
    """
    if not _CONTAINER_NO.fullmatch(s):
        return False
    return iso6346_check_digit(s[:10]) == int(s[10])


def normalize_container_no(s: str) -> str:
    """Canonical form of a typed or printed container number ("csqu 305438-3" -> "CSQU3054383").

    Full-width characters typed through a Chinese input method are folded to ASCII first.
    The result still has to pass :func:`is_valid_container_no`.
    """
    return _CONTAINER_DROP.sub("", unicodedata.normalize("NFKC", s)).upper()


def normalize_plate(s: str) -> str:
    """Canonical plate: dashes and spaces dropped, upper-cased ("KLA-1234" -> "KLA1234") [003].

    Full-width characters (e.g. "ＫＬＡ－１２３４" from a Chinese input method) are folded to
    ASCII first so that the same plate never yields two keys.
    """
    # Upper-casing can produce new composable sequences, so normalise after it as well.
    return unicodedata.normalize("NFKC", _PLATE_DROP.sub("", unicodedata.normalize("NFKC", s)).upper())


def mask_driver_id(s: str) -> str:
    """A driver ID safe to show on a wall screen.

    A Taiwan national ID or new-format resident certificate number (one letter, nine digits)
    shows its first three and last three characters: "A123456789" -> "A12****789". Any other
    format shows its first two and last two characters when at least half of it stays hidden,
    and is masked completely otherwise.
    """
    s = s.strip().upper()
    if _TW_NATIONAL_ID.fullmatch(s):
        return s[:3] + "*" * 4 + s[-3:]
    if len(s) < _MIN_LEN_PARTIAL_MASK:
        return "*" * len(s)
    return s[:2] + "*" * (len(s) - 4) + s[-2:]


def driver_ref(s: str, salt: bytes) -> str:
    """A stable, non-reversible 12-hex-character reference to a driver for logs.

    HMAC-SHA256 keyed with a per-installation secret ``salt``: the ID space of Taiwan IDs is
    small enough to enumerate, so a plain hash would be reversible; without the key it is not.
    The ID is stripped and upper-cased first so that the same driver always gets the same
    reference. 48 bits keep accidental collisions negligible for the few thousand drivers a
    year that carry sealed containers.
    """
    if not salt:
        raise ValueError("driver_ref needs a non-empty secret salt")
    digest = hmac.new(salt, s.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:_DRIVER_REF_HEX_CHARS]
