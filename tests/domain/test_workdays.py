"""Working days and the 7-working-day overdue rule [001 玖 三]."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controlroom.domain.workdays import WorkingCalendar

TAIPEI = ZoneInfo("Asia/Taipei")
CAL = WorkingCalendar()


def tpe(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=TAIPEI)


class TestIsWorkingDay:
    def test_weekdays_and_weekends(self) -> None:
        assert CAL.is_working_day(date(2026, 11, 20))  # Friday
        assert not CAL.is_working_day(date(2026, 11, 21))  # Saturday
        assert not CAL.is_working_day(date(2026, 11, 22))  # Sunday

    def test_national_holidays_and_observed_days(self) -> None:
        assert not CAL.is_working_day(date(2026, 2, 16))  # 農曆除夕
        assert not CAL.is_working_day(date(2026, 2, 20))  # 除夕 (observed, the eve fell on a Sunday)
        assert not CAL.is_working_day(date(2026, 2, 27))  # 和平紀念日 observed (28th is a Saturday)
        assert not CAL.is_working_day(date(2026, 10, 9))  # 國慶日 observed (10-10 is a Saturday)

    def test_make_up_working_saturday(self) -> None:
        # DGPA 2025: Monday 01-27 off, paid back by working Saturday 02-08 (補行上班).
        assert not CAL.is_working_day(date(2025, 1, 27))
        assert CAL.is_working_day(date(2025, 2, 8))
        assert not CAL.is_working_day(date(2025, 2, 15))  # an ordinary Saturday

    def test_make_up_saturday_recorded_in_the_following_year(self) -> None:
        # 2015-01-02 was paid back on Saturday 2014-12-27; a fresh calendar must still know it.
        assert WorkingCalendar().is_working_day(date(2014, 12, 27))

    def test_commemorative_days_without_a_day_off_are_working_days(self) -> None:
        assert CAL.is_working_day(date(2026, 3, 12))  # 植樹節, in TW's WORKDAY category

    def test_local_closures(self) -> None:
        typhoon = date(2026, 9, 2)
        assert CAL.is_working_day(typhoon)
        assert not WorkingCalendar(extra_non_working_days=[typhoon]).is_working_day(typhoon)
        assert WorkingCalendar(extra_working_days=[date(2026, 9, 5)]).is_working_day(date(2026, 9, 5))

    def test_conflicting_extra_days_are_refused(self) -> None:
        day = date(2026, 9, 2)
        with pytest.raises(ValueError, match="both closed and open"):
            WorkingCalendar(extra_non_working_days=[day], extra_working_days=[day])

    def test_datetimes_are_refused(self) -> None:
        with pytest.raises(TypeError):
            CAL.is_working_day(tpe(2026, 11, 20, 10, 0))


class TestDeadline:
    def test_across_a_weekend(self) -> None:
        opened = tpe(2026, 11, 18, 10, 0)  # Wednesday
        deadline = tpe(2026, 11, 27, 10, 0)  # Thu 19, Fri 20, Mon 23 … Fri 27 = 7th working day
        assert CAL.deadline(opened) == deadline
        assert not CAL.is_overdue(opened, deadline - timedelta(seconds=1))
        assert CAL.is_overdue(opened, deadline)

    def test_across_lunar_new_year_2026(self) -> None:
        # Thu 02-12. Working days: 02-13, 23, 24, 25, 26, (27 observed 228 off), 03-02, 03-03.
        opened = tpe(2026, 2, 12, 9, 0)
        assert CAL.add_working_days(opened, 7) == tpe(2026, 3, 3, 9, 0)
        assert not CAL.is_overdue(opened, tpe(2026, 3, 3, 8, 59))
        assert CAL.is_overdue(opened, tpe(2026, 3, 3, 9, 0))

    def test_across_national_day_2026(self) -> None:
        # Thu 10-08; Fri 10-09 is National Day (observed). Working days: 10-12 … 10-16, 10-19, 10-20.
        opened = tpe(2026, 10, 8, 14, 0)
        assert CAL.deadline(opened) == tpe(2026, 10, 20, 14, 0)

    def test_across_a_make_up_working_saturday(self) -> None:
        # Fri 2025-01-24, before Lunar New Year 2025: 02-03 … 02-07, Sat 02-08 (補班), Mon 02-10.
        opened = tpe(2025, 1, 24, 10, 0)
        assert CAL.deadline(opened) == tpe(2025, 2, 10, 10, 0)

    def test_case_opened_on_a_non_working_day_counts_from_the_next_working_day(self) -> None:
        saturday = tpe(2026, 11, 21, 15, 0)
        assert CAL.add_working_days(saturday, 0) == tpe(2026, 11, 23, 0, 0)
        assert CAL.deadline(saturday) == tpe(2026, 12, 2, 0, 0)
        # Never earlier than a case opened late on the Friday before.
        assert CAL.deadline(tpe(2026, 11, 20, 23, 0)) == tpe(2026, 12, 1, 23, 0)

    def test_counted_in_taipei_whatever_the_offset(self) -> None:
        opened_utc = datetime(2026, 11, 18, 2, 30, tzinfo=UTC)  # Wed 10:30 in Taipei
        deadline = CAL.deadline(opened_utc)
        assert deadline == tpe(2026, 11, 27, 10, 30)
        assert deadline.tzinfo == TAIPEI
        # 17:30 UTC on a Friday is already Saturday 01:30 in Taipei: counts from Monday.
        assert CAL.add_working_days(datetime(2026, 11, 20, 17, 30, tzinfo=UTC), 0) == tpe(2026, 11, 23, 0, 0)

    def test_custom_limit_and_typhoon_day(self) -> None:
        opened = tpe(2026, 11, 18, 10, 0)
        assert CAL.deadline(opened, 1) == tpe(2026, 11, 19, 10, 0)
        closed = WorkingCalendar(extra_non_working_days=[date(2026, 11, 19)])
        assert closed.deadline(opened, 1) == tpe(2026, 11, 20, 10, 0)

    def test_invalid_arguments(self) -> None:
        with pytest.raises(ValueError, match="n must be >= 0"):
            CAL.add_working_days(tpe(2026, 11, 18, 10, 0), -1)
        with pytest.raises(ValueError, match="timezone-aware"):
            CAL.is_overdue(datetime(2026, 11, 18, 10, 0), tpe(2026, 12, 1, 0, 0))
        with pytest.raises(ValueError, match="timezone-aware"):
            CAL.is_overdue(tpe(2026, 11, 18, 10, 0), datetime(2026, 12, 1, 0, 0))


class TestWorkingDaysBetween:
    def test_counts_whole_working_days(self) -> None:
        opened = tpe(2026, 11, 18, 10, 0)
        assert CAL.working_days_between(opened, tpe(2026, 11, 19, 9, 59)) == 0
        assert CAL.working_days_between(opened, tpe(2026, 11, 19, 10, 0)) == 1
        assert CAL.working_days_between(opened, tpe(2026, 11, 22, 23, 0)) == 2  # weekend adds nothing
        assert CAL.working_days_between(opened, tpe(2026, 11, 27, 10, 0)) == 7

    def test_end_before_start_is_zero(self) -> None:
        assert CAL.working_days_between(tpe(2026, 11, 18, 10, 0), tpe(2026, 11, 17, 10, 0)) == 0
        # Both on the same weekend: counting has not started.
        assert CAL.working_days_between(tpe(2026, 11, 21, 9, 0), tpe(2026, 11, 22, 9, 0)) == 0

    @settings(database=None, deadline=None)
    @given(
        start=st.datetimes(
            min_value=datetime(2024, 12, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
        ),
        span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
    )
    def test_agrees_with_add_working_days_and_is_overdue(self, start: datetime, span: timedelta) -> None:
        end = start + span
        k = CAL.working_days_between(start, end)
        assert k == 0 or CAL.add_working_days(start, k) <= end
        assert CAL.add_working_days(start, k + 1) > end
        assert CAL.is_overdue(start, end) == (k >= 7)
