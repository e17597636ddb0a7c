"""Rule thresholds with the contract's defaults; the database's `thresholds` table overrides them."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

__all__ = ["Thresholds"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Field names equal the keys of resources/reference/thresholds.json."""

    lost_contact_minutes: float = 5
    seal_separation_m: float = 300
    seal_separation_reports: int = 3
    low_battery_pct: float = 20
    abnormal_stop_speed_kmh: float = 3
    abnormal_stop_minutes: float = 15
    route_deviation_fixes: int = 3
    s8_arrival_read_minutes: float = 30
    s7_escalation_hours: float = 12
    offline_unseal_minutes: float = 15
    case_overdue_working_days: int = 7

    @classmethod
    def from_rows(cls, rows: Mapping[str, float] | Iterable[tuple[str, float]]) -> Thresholds:
        """Build from ``key -> value`` (the thresholds table); unknown keys are ignored, counts rounded."""
        items = rows.items() if isinstance(rows, Mapping) else rows
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in items:
            spec = known.get(key)
            if spec is None:
                logger.debug("threshold %s is not used by the rules", key)
                continue
            values[key] = round(value) if spec.type in ("int", int) else float(value)
        return cls(**values)

    @property
    def lost_contact(self) -> timedelta:
        return timedelta(minutes=self.lost_contact_minutes)

    @property
    def abnormal_stop(self) -> timedelta:
        return timedelta(minutes=self.abnormal_stop_minutes)

    @property
    def s8_arrival_read(self) -> timedelta:
        return timedelta(minutes=self.s8_arrival_read_minutes)

    @property
    def s7_escalation(self) -> timedelta:
        return timedelta(hours=self.s7_escalation_hours)

    def as_facts(self, *keys: str) -> dict[str, float]:
        """The named thresholds, for an alert's facts ("thresholds used")."""
        return {key: getattr(self, key) for key in keys}
