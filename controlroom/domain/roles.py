"""Roles of the joint management center and the sign-off authority each carries."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    DUTY_OFFICER = "duty_officer"
    SECTION_CHIEF = "section_chief"
    DIVISION_CHIEF = "division_chief"
    UNIT_HEAD = "unit_head"
    TECHNICIAN = "technician"
    ADMINISTRATOR = "administrator"


class SignOffLevel(IntEnum):
    """Who must sign a case off; a higher level may always sign for a lower one."""

    SECTION_CHIEF = 1  # 股長
    DIVISION_CHIEF = 2  # 課長
    UNIT_HEAD = 3  # 一級單位主管


ROLE_NAMES_ZH: dict[Role, str] = {
    Role.DUTY_OFFICER: "值勤關員",
    Role.SECTION_CHIEF: "股長",
    Role.DIVISION_CHIEF: "課長",
    Role.UNIT_HEAD: "一級主管",
    Role.TECHNICIAN: "技術人員",
    Role.ADMINISTRATOR: "系統管理員",
}

LEVEL_NAMES_ZH: dict[SignOffLevel, str] = {
    SignOffLevel.SECTION_CHIEF: "股長",
    SignOffLevel.DIVISION_CHIEF: "課長",
    SignOffLevel.UNIT_HEAD: "一級單位主管",
}

_AUTHORITY: dict[Role, SignOffLevel | None] = {
    Role.SECTION_CHIEF: SignOffLevel.SECTION_CHIEF,
    Role.DIVISION_CHIEF: SignOffLevel.DIVISION_CHIEF,
    Role.UNIT_HEAD: SignOffLevel.UNIT_HEAD,
}


def signing_authority(role: Role) -> SignOffLevel | None:
    """The highest sign-off level a role holds, or None for roles that never sign."""
    return _AUTHORITY.get(role)


def can_sign(role: Role, level: SignOffLevel) -> bool:
    authority = signing_authority(role)
    return authority is not None and authority >= level
