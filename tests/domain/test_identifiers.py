"""Container numbers, plates and driver IDs as the feed and the screens see them."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controlroom.domain import identifiers
from controlroom.domain.identifiers import (
    driver_ref,
    is_valid_container_no,
    iso6346_check_digit,
    mask_driver_id,
    normalize_container_no,
    normalize_plate,
)

NO_DB = settings(database=None)

owner_serials = st.builds(
    lambda owner, category, serial: owner + category + serial,
    st.text(string.ascii_uppercase, min_size=3, max_size=3),
    st.sampled_from("UJZ"),
    st.text("0123456789", min_size=6, max_size=6),
)


class TestIso6346:
    def test_known_container_is_valid(self) -> None:
        # The example in ISO 6346 material: C13 S30 Q28 U32 3 0 5 4 3 8 weighted by 2**i → 6185 ≡ 3.
        assert iso6346_check_digit("CSQU305438") == 3
        assert is_valid_container_no("CSQU3054383")

    @pytest.mark.parametrize("digit", [d for d in "0123456789" if d != "3"])
    def test_any_other_check_digit_is_invalid(self, digit: str) -> None:
        assert not is_valid_container_no("CSQU305438" + digit)

    def test_remainder_ten_is_written_as_zero(self) -> None:
        # 13 + 60 + 112 + 256 + 7 * 512 = 4025 = 11 * 365 + 10
        assert iso6346_check_digit("CSQU000007") == 0
        assert is_valid_container_no("CSQU0000070")

    def test_letter_values_skip_multiples_of_eleven(self) -> None:
        values = identifiers._LETTER_VALUES
        assert (values["A"], values["B"], values["K"], values["L"]) == (10, 12, 21, 23)
        assert (values["U"], values["V"], values["Z"]) == (32, 34, 38)
        assert all(v % 11 for v in values.values())

    @pytest.mark.parametrize(
        "candidate",
        [
            "csqu3054383",  # not canonical: normalise first
            "CSQA3054383",  # category must be U, J or Z
            "CSQU305438",  # too short
            "CSQU30543833",  # too long
            "CSQU 3054383",
            "CSQU3054383\n",
            "CSQU３０５４３８３",  # full-width digits are not ASCII digits
            "",
        ],
    )
    def test_malformed_numbers_are_invalid(self, candidate: str) -> None:
        assert not is_valid_container_no(candidate)

    @pytest.mark.parametrize("bad", ["CSQ305438", "CSQU30543X", "csqu305438", "CSQU3054383"])
    def test_check_digit_rejects_malformed_input(self, bad: str) -> None:
        with pytest.raises(ValueError, match="4 letters"):
            iso6346_check_digit(bad)

    @NO_DB
    @given(owner_serials)
    def test_computed_digit_round_trips(self, owner_serial: str) -> None:
        digit = iso6346_check_digit(owner_serial)
        assert 0 <= digit <= 9
        assert is_valid_container_no(f"{owner_serial}{digit}")
        assert not is_valid_container_no(f"{owner_serial}{(digit + 1) % 10}")

    def test_normalize_container_no(self) -> None:
        assert normalize_container_no(" csqu 305438-3 ") == "CSQU3054383"
        assert normalize_container_no("ＣＳＱＵ３０５４３８３") == "CSQU3054383"
        assert normalize_container_no("CSQU/305438/3") == "CSQU3054383"


class TestPlate:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("KLA-1234", "KLA1234"),
            ("kla-1234", "KLA1234"),
            (" KLA 1234 ", "KLA1234"),
            ("KLA--12 34", "KLA1234"),
            ("ＫＬＡ－１２３４", "KLA1234"),  # full-width input from a Chinese IME
            ("KLA1234", "KLA1234"),
        ],
    )
    def test_normalize(self, raw: str, expected: str) -> None:
        assert normalize_plate(raw) == expected

    @NO_DB
    @given(st.text())
    def test_normalize_is_idempotent_and_drops_separators(self, raw: str) -> None:
        once = normalize_plate(raw)
        assert normalize_plate(once) == once
        assert "-" not in once
        assert " " not in once


class TestMaskDriverId:
    def test_taiwan_national_id(self) -> None:
        assert mask_driver_id("A123456789") == "A12****789"

    def test_taiwan_id_is_upper_cased_and_stripped(self) -> None:
        assert mask_driver_id(" a123456789 ") == "A12****789"

    def test_other_formats_keep_two_each_end(self) -> None:
        assert mask_driver_id("AB12345678") == "AB******78"  # old resident certificate
        assert mask_driver_id("P1234567") == "P1****67"

    @pytest.mark.parametrize("short", ["", "A", "A1234", "ABCDEFG"])
    def test_short_ids_are_fully_masked(self, short: str) -> None:
        assert mask_driver_id(short) == "*" * len(short)

    @NO_DB
    @given(st.text(string.ascii_letters + string.digits, max_size=30))
    def test_never_reveals_the_middle(self, driver_id: str) -> None:
        masked = mask_driver_id(driver_id)
        assert len(masked) == len(driver_id)
        assert set(masked[3:-3]) <= {"*"}
        revealed = sum(ch != "*" for ch in masked)
        if re.fullmatch(r"[A-Za-z][0-9]{9}", driver_id):
            assert revealed == 6
        else:
            assert revealed <= min(4, len(driver_id) // 2)


class TestDriverRef:
    SALT = b"installation-secret-1"

    def test_stable_short_hex(self) -> None:
        ref = driver_ref("A123456789", self.SALT)
        assert ref == driver_ref("A123456789", self.SALT)
        assert re.fullmatch(r"[0-9a-f]{12}", ref)
        assert "123456789" not in ref

    def test_same_driver_however_typed(self) -> None:
        assert driver_ref(" a123456789", self.SALT) == driver_ref("A123456789", self.SALT)

    def test_differs_per_salt_and_per_driver(self) -> None:
        assert driver_ref("A123456789", self.SALT) != driver_ref("A123456789", b"another-site")
        assert driver_ref("A123456789", self.SALT) != driver_ref("A123456780", self.SALT)

    def test_empty_salt_is_refused(self) -> None:
        with pytest.raises(ValueError, match="salt"):
            driver_ref("A123456789", b"")
