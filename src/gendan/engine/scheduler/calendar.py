"""Working calendars as sorted lists of working intervals, in integer minutes from an origin.

Exact calendar arithmetic used everywhere the engine places an operation: an operation of ``d``
working minutes that starts at ``s`` ends when ``d`` working minutes have elapsed (a *splittable*
operation simply pauses over breaks, nights and holidays), or must fit inside one working interval
(a non-splittable one).
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: End of a "continuous" calendar (about 2 million years of minutes); effectively unbounded.
FOREVER = 1 << 40

TimeLike = _dt.time | str


def _to_minutes(t: TimeLike) -> int:
    if isinstance(t, str):
        hh, mm = t.strip().split(":")[:2]
        return int(hh) * 60 + int(mm)
    return t.hour * 60 + t.minute


def _merge(intervals: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for a, b in sorted((int(a), int(b)) for a, b in intervals):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _subtract(
    intervals: Sequence[tuple[int, int]], holes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    holes = _merge(holes)
    out: list[tuple[int, int]] = []
    for a, b in intervals:
        cur = a
        for ha, hb in holes:
            if hb <= cur or ha >= b:
                continue
            if ha > cur:
                out.append((cur, ha))
            cur = max(cur, hb)
            if cur >= b:
                break
        if cur < b:
            out.append((cur, b))
    return out


@dataclass(frozen=True)
class Calendar:
    """Working time of a work centre: sorted, disjoint ``[start, end)`` minute ranges.

    Build one with :meth:`continuous` (always working, used for academic benchmarks),
    :meth:`from_intervals` or :meth:`from_shifts` (weekly shift pattern, breaks, holidays and overtime).
    """

    intervals: tuple[tuple[int, int], ...]
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _cum: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        merged = _merge(self.intervals)
        object.__setattr__(self, "intervals", merged)
        object.__setattr__(self, "_starts", tuple(a for a, _ in merged))
        cum = [0]
        for a, b in merged:
            cum.append(cum[-1] + b - a)
        object.__setattr__(self, "_cum", tuple(cum))
        object.__setattr__(self, "_longest", max((b - a for a, b in merged), default=0))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def continuous(cls) -> Calendar:
        """Always working, from minute 0 on."""
        return cls(((0, FOREVER),))

    @classmethod
    def from_intervals(cls, intervals: Iterable[tuple[int, int]]) -> Calendar:
        return cls(tuple(intervals))

    @classmethod
    def from_shifts(
        cls,
        origin: _dt.datetime | _dt.date,
        days: int,
        shifts: Sequence[tuple[TimeLike, TimeLike]] | Mapping[int, Sequence[tuple[TimeLike, TimeLike]]],
        *,
        breaks: Sequence[tuple[TimeLike, TimeLike]] = (),
        workdays: Iterable[int] = (0, 1, 2, 3, 4),
        holidays: Iterable[_dt.date] = (),
        overtime: Mapping[_dt.date, Sequence[tuple[TimeLike, TimeLike]]] | Iterable[_dt.date] = (),
    ) -> Calendar:
        """Calendar from a weekly shift pattern.

        ``origin`` is minute 0 (a date means its midnight). ``shifts`` is either a list of
        ``(start, end)`` times ("06:00", "14:00") worked on every day of ``workdays`` (0 = Monday), or a
        mapping weekday -> list of shifts. A shift whose end is not after its start runs over midnight.
        ``breaks`` (daily times) are removed from every shift. ``holidays`` are days without any work
        (a shift starting the day before still runs into it). ``overtime`` adds working time: a mapping
        date -> shifts worked that day, or a plain list of dates worked with the normal daily shifts.
        """
        if isinstance(origin, _dt.datetime):
            origin_dt = origin.replace(tzinfo=None)
        else:
            origin_dt = _dt.datetime.combine(origin, _dt.time())
        if isinstance(shifts, Mapping):
            pattern = {int(k): list(v) for k, v in shifts.items()}
            default_shifts = next((v for v in pattern.values() if v), [])
        else:
            pattern = {d: list(shifts) for d in workdays}
            default_shifts = list(shifts)
        holidays = set(holidays)
        if isinstance(overtime, Mapping):
            extra = {d: list(v) for d, v in overtime.items()}
        else:
            extra = {d: list(default_shifts) for d in overtime}
        first_day = origin_dt.date() - _dt.timedelta(days=1)
        out: list[tuple[int, int]] = []
        for k in range(days + 2):
            day = first_day + _dt.timedelta(days=k)
            if day in extra:
                todays = extra[day]
            elif day in holidays:
                todays = []
            else:
                todays = pattern.get(day.weekday(), [])
            if not todays:
                continue
            midnight = _dt.datetime.combine(day, _dt.time())
            base = int((midnight - origin_dt).total_seconds() // 60)
            day_iv: list[tuple[int, int]] = []
            brk: list[tuple[int, int]] = []
            for a, b in todays:
                ma, mb = _to_minutes(a), _to_minutes(b)
                if mb <= ma:
                    mb += 1440
                day_iv.append((base + ma, base + mb))
            for a, b in breaks:
                ma, mb = _to_minutes(a), _to_minutes(b)
                if mb <= ma:
                    mb += 1440
                for off in (0, 1440):
                    brk.append((base + ma + off, base + mb + off))
            out.extend(_subtract(_merge(day_iv), brk))
        end = days * 1440
        clipped = [(max(a, 0), min(b, end)) for a, b in out if b > 0 and a < end]
        return cls(tuple(clipped))

    # ------------------------------------------------------------------ queries
    @property
    def end(self) -> int:
        """First minute after the last working interval (0 if there is none)."""
        return self.intervals[-1][1] if self.intervals else 0

    @property
    def total_work(self) -> int:
        return self._cum[-1]

    @property
    def cumulative_work(self) -> tuple[int, ...]:
        """Working minutes before each interval, then the total (one more entry than intervals)."""
        return self._cum

    @property
    def longest_interval(self) -> int:
        return self._longest

    def is_working(self, t: int) -> bool:
        i = bisect_right(self._starts, t) - 1
        return i >= 0 and t < self.intervals[i][1]

    def work_before(self, t: int) -> int:
        """Working minutes in ``[0, t)`` (i.e. from the start of the calendar)."""
        i = bisect_right(self._starts, t) - 1
        if i < 0:
            return 0
        a, b = self.intervals[i]
        return self._cum[i] + min(t, b) - a

    def work_between(self, a: int, b: int) -> int:
        return max(0, self.work_before(b) - self.work_before(a))

    def next_working(self, t: int) -> int | None:
        """First working minute at or after ``t`` (None if the calendar has ended)."""
        i = bisect_right(self._starts, t) - 1
        if i >= 0 and t < self.intervals[i][1]:
            return t
        i += 1
        if i < len(self.intervals):
            return self.intervals[i][0]
        return None

    def time_of_work(self, w: int) -> int | None:
        """Real minute at which cumulative work ``w`` is reached (end of the w-th working minute).

        For ``w == 0`` this is the start of the first interval. None if beyond the calendar.
        """
        if w <= 0:
            return self.intervals[0][0] if self.intervals else None
        i = bisect_right(self._cum, w - 1) - 1  # interval holding the w-th minute
        if i >= len(self.intervals):
            return None
        return self.intervals[i][0] + (w - self._cum[i])

    def fit(self, t: int, duration: int, *, splittable: bool = True) -> tuple[int, int] | None:
        """Earliest ``(start, end)`` with start >= t for ``duration`` working minutes.

        Splittable: starts at the first working minute and ends once ``duration`` working minutes have
        elapsed (pausing outside working time). Non-splittable: lies inside a single working interval.
        Zero duration: ``(t, t)``. None if the calendar ends first.
        """
        if duration <= 0:
            return (t, t)
        i = bisect_right(self._starts, t) - 1
        if i < 0 or t >= self.intervals[i][1]:
            i += 1
        n = len(self.intervals)
        if splittable:
            if i >= n:
                return None
            a, b = self.intervals[i]
            s = max(t, a)
            w = self._cum[i] + (s - a) + duration
            e = self.time_of_work(w)
            if e is None or w > self._cum[-1]:
                return None
            return (s, e)
        while i < n:
            a, b = self.intervals[i]
            s = max(t, a)
            if s + duration <= b:
                return (s, s + duration)
            i += 1
        return None
