"""S7 (逾時未進站) escalation timing.

001 附件一 一(四)2: "逾異常發生12小時後，仍未進站者" the entry officer asks the origin for the CN
and exit images, calls the trucking company and, if the cargo cannot be located, reports to the
police. The clock starts when the alert is raised (異常發生), not when someone first looks at it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["S7_ESCALATION_AFTER", "s7_escalation_due", "s7_escalation_due_at"]

S7_ESCALATION_AFTER = timedelta(hours=12)


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def s7_escalation_due_at(raised_at: datetime) -> datetime:
    """The instant the S7 escalation step falls due: 12 hours of elapsed time after the alert."""
    _require_aware("raised_at", raised_at)
    return raised_at + S7_ESCALATION_AFTER


def s7_escalation_due(raised_at: datetime, now: datetime, entered: bool) -> bool:
    """True once 12 hours have passed since the alert (inclusive) and the container has not entered.

    "逾 12 小時後" is read as "from the 12-hour mark on": at exactly 12:00:00 the step is due.
    Aware datetimes compare as instants, so the offsets of the two values may differ.
    """
    _require_aware("now", now)
    return not entered and now >= s7_escalation_due_at(raised_at)
