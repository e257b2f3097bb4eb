"""Working-hours arithmetic for reminders and deadlines ("4 working hours after release").

Pure Python: a working week of daily windows, minus holidays, plus overtime days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

DEFAULT_WINDOWS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(17, 0)),
)


@dataclass(frozen=True)
class WorkingWeek:
    windows: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_WINDOWS
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    overtime_days: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        return day.weekday() in self.workdays or day in self.overtime_days

    def _day_windows(self, day: dt.date, tz: dt.tzinfo | None) -> Iterable[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        return [(dt.datetime.combine(day, a, tz), dt.datetime.combine(day, b, tz)) for a, b in self.windows]

    def hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working hours from start to end (0 if end is before start)."""
        if end <= start:
            return 0.0
        tz = start.tzinfo
        end = end.astimezone(tz) if tz else end
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            for a, b in self._day_windows(day, tz):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600
