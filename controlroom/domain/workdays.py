"""Taiwan government working days, for the "not closed after 7 working days" rule.

001 玖 三: "列印逾七個工作日，未辦理結案異常訊息，通知權責單位處理" — open cases older than seven
working days are printed and the responsible unit is notified. Working days are those of the
government office calendar published each year by the DGPA (人事行政總處): Monday to Friday,
minus national holidays and their observed days, plus make-up working Saturdays (補行上班).

How the ``holidays`` package (0.108) models this, read from ``holidays/countries/taiwan.py`` and
``holiday_base.py``:

* ``country_holidays("TW")`` (category PUBLIC, observed days on) holds the national days off,
  including observed days (補假) and DGPA bridge days ("放假日（… 補班）").
* Make-up working Saturdays are kept in ``weekend_workdays``; ``HolidayBase.is_working_day``
  honours them (e.g. Saturday 2025-02-08, which paid for Monday 2025-01-27). The DGPA data is
  checked through 2026; bridge days of later years appear only after upgrading the package.
* TW's WORKDAY *category* is something else: commemorative days that are **not** days off
  (植樹節, 青年節…). It must not be requested, or those working days would count as holidays.
* Typhoon closures (停止上班) are declared per city on the day and are not in the library; pass
  them as ``extra_non_working_days``.

All counting is done on the Asia/Taipei calendar, whatever offset the datetimes carry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import PUBLIC

__all__ = ["CASE_CLOSE_LIMIT_WORKING_DAYS", "TAIPEI", "WorkingCalendar"]

TAIPEI = ZoneInfo("Asia/Taipei")
CASE_CLOSE_LIMIT_WORKING_DAYS = 7  # 001 玖 三 「逾七個工作日」


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


class WorkingCalendar:
    """Taiwan government working days, with local additions (typhoon days, declared make-up days).

    Counting rule used by every method: a period that starts on a working day counts from that
    instant; one that starts on a non-working day counts from 00:00 of the next working day.
    "n working days later" is the same Taipei clock time on the n-th working day after that.
    So a case opened Friday 10:00 is due the 7th working day after at 10:00, and one opened on a
    Saturday is due as if opened at Monday 00:00 — never earlier than one opened on the Friday.
    """

    def __init__(
        self,
        *,
        extra_non_working_days: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        self._closed = frozenset(extra_non_working_days)
        self._open = frozenset(extra_working_days)
        if self._closed & self._open:
            raise ValueError(f"days both closed and open: {sorted(self._closed & self._open)}")
        # PUBLIC only: see the module docstring about TW's WORKDAY category.
        self._holidays = holidays.country_holidays("TW", categories=PUBLIC)
        # The library fills a year lazily on first lookup, mutating shared dicts; guard it so
        # worker threads can share one calendar.
        self._lock = threading.Lock()

    def is_working_day(self, d: date) -> bool:
        """True if government offices work on the (Taipei) calendar day ``d``."""
        if isinstance(d, datetime):
            raise TypeError("is_working_day takes a date; convert the datetime to Asia/Taipei first")
        if d in self._closed:
            return False
        if d in self._open:
            return True
        with self._lock:
            # A make-up Saturday is recorded with the holiday it pays for, which can fall in the
            # following year (Saturday 2014-12-27 paid for 2015-01-02): load that year too.
            _ = date(d.year + 1, 1, 1) in self._holidays
            return bool(self._holidays.is_working_day(d))

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The same Taipei clock time ``n`` working days after ``start`` (``n`` >= 0).

        A ``start`` on a non-working day is first moved to 00:00 of the next working day; with
        ``n`` = 0 that moved instant is returned. The result is in Asia/Taipei.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        counted_from = self._count_from(start)
        day = counted_from.date()
        for _ in range(n):
            day = self._next_working_day(day)
        return counted_from.replace(year=day.year, month=day.month, day=day.day)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days elapsed from ``start`` to ``end``: the largest k with
        ``add_working_days(start, k) <= end``; 0 when ``end`` is not after the start of counting.
        """
        _require_aware("end", end)
        counted_from = self._count_from(start)
        end_local = end.astimezone(TAIPEI)
        count = 0
        day = counted_from.date()
        while True:
            day = self._next_working_day(day)
            if counted_from.replace(year=day.year, month=day.month, day=day.day) > end_local:
                return count
            count += 1

    def deadline(
        self, opened_at: datetime, limit_working_days: int = CASE_CLOSE_LIMIT_WORKING_DAYS
    ) -> datetime:
        """When an open case becomes overdue: ``opened_at`` + ``limit_working_days`` working days."""
        return self.add_working_days(opened_at, limit_working_days)

    def is_overdue(
        self,
        opened_at: datetime,
        now: datetime,
        limit_working_days: int = CASE_CLOSE_LIMIT_WORKING_DAYS,
    ) -> bool:
        """True from the deadline instant on (inclusive), for a case still open at ``now``.

        "逾七個工作日" is read like S7's "逾12小時": due once the full period has elapsed.
        """
        _require_aware("now", now)
        return now >= self.deadline(opened_at, limit_working_days)

    def _count_from(self, start: datetime) -> datetime:
        _require_aware("start", start)
        local = start.astimezone(TAIPEI)
        if self.is_working_day(local.date()):
            return local
        return datetime.combine(self._next_working_day(local.date()), time(0), tzinfo=TAIPEI)

    def _next_working_day(self, d: date) -> date:
        d += timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d
