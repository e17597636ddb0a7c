"""Who signs a closed anomaly case off, decided by the evidence the case holds.

001 附件一 二、異常處理分工及簽報層級:

    (二) 異常案件發生，電子封條系統有出進站影像紀錄時，陳核股長。
    (三) 異常案件發生，電子封條系統無出進站影像紀錄時，應擷取業者監視系統影像紀錄後，陳核至課長。
    (四) 異常案件發生，電子封條系統無出進站影像紀錄時，亦無業者監視系統影像紀錄，應追查貨物去向
         並陳核至一級單位主管。

The weaker the evidence of what happened at exit and entry, the higher the level that must accept
the case; with no images at all the cargo's whereabouts must be traced before it can be signed.
"""

from __future__ import annotations

from dataclasses import dataclass

from controlroom.domain.roles import SignOffLevel

__all__ = ["CARGO_TRACE", "Evidence", "missing_for_signoff", "required_level"]

CARGO_TRACE = "cargo_trace"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the case holds: system exit/entry images, captured operator CCTV, a cargo trace."""

    system_images: bool = False  # 電子封條系統有出進站影像紀錄
    cctv_captured: bool = False  # 已擷取業者監視系統影像紀錄
    cargo_traced: bool = False  # 已追查貨物去向


def required_level(evidence: Evidence) -> SignOffLevel:
    """The lowest level allowed to sign the case off (附件一 二(二)–(四)).

    System images → 股長; otherwise captured CCTV → 課長; otherwise → 一級單位主管.
    """
    if evidence.system_images:
        return SignOffLevel.SECTION_CHIEF
    if evidence.cctv_captured:
        return SignOffLevel.DIVISION_CHIEF
    return SignOffLevel.UNIT_HEAD


def missing_for_signoff(evidence: Evidence) -> tuple[str, ...]:
    """Records still missing before the case can be submitted for sign-off.

    Only the unit-head branch (附件一 二(四)) adds a requirement: "應追查貨物去向", so it returns
    ``("cargo_trace",)`` until the cargo has been traced.
    """
    if required_level(evidence) is SignOffLevel.UNIT_HEAD and not evidence.cargo_traced:
        return (CARGO_TRACE,)
    return ()
