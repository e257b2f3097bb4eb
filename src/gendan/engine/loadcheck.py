"""Load and staffing checks of a plan (R-2.2): pure Python, no Django.

Times are engine minutes from an origin (midnight of the first day). A booking is one placed
operation; its load on a day is the working minutes of its work centre's calendar it spans that day
(an operation pauses outside working time, so it loads only working minutes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .scheduler import Calendar

DAY = 1440


@dataclass(frozen=True)
class Booking:
    work_centre: str
    start: int
    end: int
    people: int = 1
    own: bool = True  # of the plan being checked (else: of the schedule in force)


@dataclass(frozen=True)
class Centre:
    calendar: Calendar
    machines: int = 1
    headcount: int | None = None


@dataclass(frozen=True)
class DayLoad:
    work_centre: str
    day: int  # days from the origin
    own: int  # minutes of the plan being checked
    other: int  # minutes of the schedule in force
    capacity: int  # machines × working minutes of that day

    @property
    def total(self) -> int:
        return self.own + self.other

    @property
    def overloaded(self) -> bool:
        return self.total > self.capacity

    @property
    def percent(self) -> int:
        if self.capacity <= 0:
            return 100 if self.total else 0
        return round(100 * self.total / self.capacity)


@dataclass(frozen=True)
class ShiftPeople:
    work_centre: str
    start: int  # the working period (shift) of the calendar
    end: int
    needed: int  # most people at work at the same time in it
    headcount: int

    @property
    def short(self) -> bool:
        return self.needed > self.headcount


def _days_of(start: int, end: int) -> range:
    return range(start // DAY, (max(end, start + 1) - 1) // DAY + 1)


def load_by_day(bookings: Iterable[Booking], centres: Mapping[str, Centre]) -> list[DayLoad]:
    """Per work centre and day the plan touches: its minutes, the schedule in force's, the capacity.
    Only days on which the plan being checked has work are reported (that is what it changes)."""
    own: dict[tuple[str, int], int] = defaultdict(int)
    other: dict[tuple[str, int], int] = defaultdict(int)
    touched: set[tuple[str, int]] = set()
    for b in bookings:
        centre = centres.get(b.work_centre)
        if centre is None:
            continue
        for day in _days_of(b.start, b.end):
            a, z = max(b.start, day * DAY), min(b.end, (day + 1) * DAY)
            minutes = centre.calendar.work_between(a, z) if z > a else 0
            if b.own:
                touched.add((b.work_centre, day))
                own[(b.work_centre, day)] += minutes
            else:
                other[(b.work_centre, day)] += minutes
    out = []
    for code, day in sorted(touched):
        centre = centres[code]
        capacity = centre.machines * centre.calendar.work_between(day * DAY, (day + 1) * DAY)
        out.append(DayLoad(code, day, own[(code, day)], other[(code, day)], capacity))
    return out


def people_by_shift(bookings: Iterable[Booking], centres: Mapping[str, Centre]) -> list[ShiftPeople]:
    """Per work centre and working period (shift) the plan works in: the most people needed at
    once (its operations and the schedule in force's) against the centre's headcount."""
    by_centre: dict[str, list[Booking]] = defaultdict(list)
    for b in bookings:
        if b.work_centre in centres and b.end > b.start:
            by_centre[b.work_centre].append(b)
    out = []
    for code, items in sorted(by_centre.items()):
        centre = centres[code]
        headcount = centre.headcount
        if headcount is None:
            continue
        own = [b for b in items if b.own]
        periods = sorted(
            {(a, z) for b in own for a, z in centre.calendar.intervals if a < b.end and z > b.start}
        )
        for a, z in periods:
            events: list[tuple[int, int]] = []
            for b in items:
                if b.start < z and b.end > a:
                    events.append((max(a, b.start), b.people))
                    events.append((min(z, b.end), -b.people))
            peak = running = 0
            for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
                running += delta
                peak = max(peak, running)
            out.append(ShiftPeople(code, a, z, peak, headcount))
    return out
