"""Sign-off levels by evidence [001 附件一 二(二)–(四)]."""

from __future__ import annotations

import itertools

import pytest

from controlroom.domain.roles import Role, SignOffLevel, can_sign
from controlroom.domain.signoff import Evidence, missing_for_signoff, required_level


def test_system_images_go_to_the_section_chief() -> None:
    evidence = Evidence(system_images=True)
    assert required_level(evidence) is SignOffLevel.SECTION_CHIEF
    assert missing_for_signoff(evidence) == ()
    assert can_sign(Role.SECTION_CHIEF, required_level(evidence))


def test_cctv_without_system_images_goes_to_the_division_chief() -> None:
    evidence = Evidence(system_images=False, cctv_captured=True)
    assert required_level(evidence) is SignOffLevel.DIVISION_CHIEF
    assert missing_for_signoff(evidence) == ()
    assert not can_sign(Role.SECTION_CHIEF, required_level(evidence))


def test_no_images_at_all_goes_to_the_unit_head_after_the_cargo_is_traced() -> None:
    untraced = Evidence()
    assert required_level(untraced) is SignOffLevel.UNIT_HEAD
    assert missing_for_signoff(untraced) == ("cargo_trace",)

    traced = Evidence(cargo_traced=True)
    assert required_level(traced) is SignOffLevel.UNIT_HEAD
    assert missing_for_signoff(traced) == ()
    assert can_sign(Role.UNIT_HEAD, required_level(traced))
    assert not can_sign(Role.DIVISION_CHIEF, required_level(traced))


@pytest.mark.parametrize(("images", "cctv", "traced"), list(itertools.product([False, True], repeat=3)))
def test_cargo_trace_is_only_demanded_in_the_unit_head_branch(images: bool, cctv: bool, traced: bool) -> None:
    evidence = Evidence(system_images=images, cctv_captured=cctv, cargo_traced=traced)
    expect_missing = not images and not cctv and not traced
    assert missing_for_signoff(evidence) == (("cargo_trace",) if expect_missing else ())
    # System images win over everything else; CCTV only matters without them.
    if images:
        assert required_level(evidence) is SignOffLevel.SECTION_CHIEF
