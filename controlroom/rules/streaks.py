"""Streaks over time-ordered observations, evaluated in `ts` order whatever the delivery order was.

A rule such as "more than 3 consecutive fixes off the route" looks at the run of consecutive matching
observations that contains the newest arrival. Runs already alerted on are remembered as ``[start,
end]`` intervals (ISO strings, kept in the trip's rule state) so that a run extended later, or a late
observation filling it in, never raises a second time; a run that does not overlap any remembered one
is new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, NamedTuple, TypeVar

__all__ = ["Merged", "Run", "merge_fired", "run_around"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Run(Generic[T]):
    items: tuple[T, ...]
    start: datetime
    end: datetime

    def __len__(self) -> int:
        return len(self.items)


def run_around(
    ordered: Sequence[T],
    index: int,
    matches: Callable[[T], bool],
    ts: Callable[[T], datetime],
    max_gap: timedelta | None = None,
) -> Run[T] | None:
    """The maximal run of consecutive matching items (``ordered`` sorted by ts) containing ``index``.

    With ``max_gap``, neighbours further apart than that are not consecutive: reports are missing
    between them (not delivered yet, or lost), and a streak must not be continued across the hole.
    """
    if not matches(ordered[index]):
        return None

    def joined(a: int, b: int) -> bool:
        return max_gap is None or ts(ordered[b]) - ts(ordered[a]) <= max_gap

    lo = index
    while lo > 0 and matches(ordered[lo - 1]) and joined(lo - 1, lo):
        lo -= 1
    hi = index
    while hi + 1 < len(ordered) and matches(ordered[hi + 1]) and joined(hi, hi + 1):
        hi += 1
    items = tuple(ordered[lo : hi + 1])
    return Run(items, ts(items[0]), ts(items[-1]))


class Merged(NamedTuple):
    fired: list[list[str]]  # the remembered intervals after the merge
    is_new: bool  # the run overlaps none of them: alert on it
    start: datetime  # the interval the run now belongs to
    end: datetime


def merge_fired(fired: list[list[str]], start: datetime, end: datetime) -> Merged:
    """Record the interval ``[start, end]`` (aware UTC datetimes) among the runs already alerted on.

    Intervals overlapping the run are merged into it (the same run, seen more completely now).
    """
    new_start, new_end = start, end
    kept: list[list[str]] = []
    is_new = True
    for s_iso, e_iso in fired:
        s, e = datetime.fromisoformat(s_iso), datetime.fromisoformat(e_iso)
        if s <= end and start <= e:
            is_new = False
            new_start, new_end = min(new_start, s), max(new_end, e)
        else:
            kept.append([s_iso, e_iso])
    kept.append([new_start.isoformat(), new_end.isoformat()])
    kept.sort()
    return Merged(kept, is_new, new_start, new_end)
