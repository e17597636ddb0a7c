"""S7's 12-hour escalation [001 附件一 一(四)2]."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from controlroom.domain.escalation import S7_ESCALATION_AFTER, s7_escalation_due, s7_escalation_due_at

TAIPEI = ZoneInfo("Asia/Taipei")
RAISED = datetime(2026, 3, 1, 8, 0, tzinfo=TAIPEI)


def test_due_at_is_twelve_hours_after_the_alert() -> None:
    assert timedelta(hours=12) == S7_ESCALATION_AFTER
    assert s7_escalation_due_at(RAISED) == datetime(2026, 3, 1, 20, 0, tzinfo=TAIPEI)


def test_due_exactly_at_twelve_hours() -> None:
    assert s7_escalation_due(RAISED, datetime(2026, 3, 1, 20, 0, tzinfo=TAIPEI), entered=False)


def test_not_due_at_eleven_fifty_nine() -> None:
    assert not s7_escalation_due(RAISED, datetime(2026, 3, 1, 19, 59, tzinfo=TAIPEI), entered=False)
    assert not s7_escalation_due(RAISED, datetime(2026, 3, 1, 19, 59, 59, tzinfo=TAIPEI), entered=False)


def test_not_due_once_entered() -> None:
    assert not s7_escalation_due(RAISED, datetime(2026, 3, 2, 8, 0, tzinfo=TAIPEI), entered=True)


def test_offsets_may_differ() -> None:
    now_utc = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # = 20:00 in Taipei
    assert s7_escalation_due(RAISED, now_utc, entered=False)
    assert not s7_escalation_due(RAISED, now_utc - timedelta(seconds=1), entered=False)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        s7_escalation_due_at(datetime(2026, 3, 1, 8, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        s7_escalation_due(RAISED, datetime(2026, 3, 1, 20, 0), entered=False)
