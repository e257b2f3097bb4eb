"""Exact, calendar-aware schedule builders (serial and Giffler-Thompson schedule generation) and the
evaluation of a schedule.

Every schedule the engine returns is built here (or, for large problems, by the compiled builders of
:mod:`.fastbuild`, which build the same schedules): operations are placed one at a time, in a priority
order, at the earliest time that respects precedence, release, the work centre's calendar, its
machines (gaps between already placed operations are used) and its headcount. The dispatching rules
(:mod:`.rules`) and CP-SAT (:mod:`.cpmodel`) only decide the order and the work centre of each
operation.
"""

from __future__ import annotations

import heapq
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import overload

import numpy as np

from . import fastbuild
from .calendar import Calendar
from .flat import FlatProblem, cached
from .keys import Keys, as_list

INF = 1 << 60


@dataclass
class Sol:
    start: list[int]
    end: list[int]
    mode: list[int]  # index into fp.op_modes[o]
    wc: list[int]
    machine: list[int]


@dataclass
class Metrics:
    twt: int
    makespan: int
    wip: int
    completion: list[int]
    job_start: list[int]
    tardiness: list[int]

    def key(self, objective: str, secondary: str) -> tuple[int, int]:
        if objective == "makespan":
            return (self.makespan, self.twt)
        sec = self.wip if secondary == "wip" else (self.makespan if secondary == "makespan" else 0)
        return (self.twt, sec)


class _Machine:
    """One machine's busy intervals, sorted, also in working minutes of its centre's calendar (``ws``,
    ``we``): :meth:`skip` passes over the gaps too short for an operation without fitting the
    calendar at each of them."""

    __slots__ = ("cal", "starts", "ends", "ws", "we")

    def __init__(self, cal: Calendar) -> None:
        self.cal = cal
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.ws: list[int] = []
        self.we: list[int] = []

    def conflict_end(self, s: int, e: int) -> int | None:
        """End of the first busy interval overlapping [s, e), or None if free."""
        i = bisect_right(self.ends, s)
        if i < len(self.starts) and self.starts[i] < e:
            return self.ends[i]
        return None

    def skip(self, t: int, dur: int) -> int:
        """The first time from t before whose next busy interval ``dur`` working minutes fit (every
        start skipped would run into a busy interval: the search finds the same placement)."""
        i = bisect_right(self.ends, t)
        n = len(self.starts)
        if i >= n:
            return t
        wt = self.cal.work_before(t)
        ws, we, ends = self.ws, self.we, self.ends
        while i < n and ws[i] - wt < dur:
            t = ends[i]
            wt = we[i]
            i += 1
        return t

    def add(self, s: int, e: int) -> None:
        if e <= s:
            return
        i = bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)
        self.ws.insert(i, self.cal.work_before(s))
        self.we.insert(i, self.cal.work_before(e))


class _Crew:
    """People at work on one centre, as a step profile: ``load[k]`` people from ``points[k]`` to the
    next point (none before the first and after the last), checked against the headcount."""

    __slots__ = ("cap", "points", "load")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.points: list[int] = []
        self.load: list[int] = []

    def blocked_until(self, s: int, e: int, people: int) -> int | None:
        """None if ``people`` more fit during [s, e); else the end of the first stretch of [s, e) where
        they do not (every start before it is blocked too). An operation needing more people than the
        headcount goes where nobody works."""
        if e <= s or people <= 0 or not self.points:
            return None
        lim = self.cap - people
        pts, load = self.points, self.load
        n = len(pts)
        k = max(0, bisect_right(pts, s) - 1)
        while k < n and pts[k] < e:
            if load[k] > 0 and load[k] > lim:
                m = k + 1
                while m < n and load[m] > 0 and load[m] > lim:
                    m += 1
                return pts[m]  # the last point ends every interval (nobody after it): m < n
            k += 1
        return None

    def _point(self, t: int) -> int:
        i = bisect_left(self.points, t)
        if i == len(self.points) or self.points[i] != t:
            self.points.insert(i, t)
            self.load.insert(i, self.load[i - 1] if i > 0 else 0)
        return i

    def add(self, s: int, e: int, people: int) -> None:
        if e > s and people > 0:
            i = self._point(s)
            j = self._point(e)
            load = self.load
            for k in range(i, j):
                load[k] += people


class Builder:
    """Incremental schedule state: machines and crews of every centre with what is placed so far."""

    def __init__(self, fp: FlatProblem) -> None:
        self.fp = fp
        self.machines = [
            [_Machine(fp.wc_cal[w]) for _ in range(fp.wc_machines[w])] for w in range(len(fp.wc_ids))
        ]
        self.crews = [None if h is None else _Crew(h) for h in fp.wc_headcount]
        n = fp.n_ops
        self.start = [0] * n
        self.end = [0] * n
        self.mode = [0] * n
        self.wc = [0] * n
        self.machine = [0] * n
        self.placed = [False] * n

    def place_fixed(self) -> None:
        fp = self.fp
        for o, fx in enumerate(fp.op_fixed):
            if fx is None:
                continue
            w, m, s, e = fx
            if m < 0:
                m = next(
                    (k for k, mc in enumerate(self.machines[w]) if mc.conflict_end(s, e) is None),
                    0,
                )
            self.machines[w][m].add(s, e)
            mi = next((i for i, md in enumerate(fp.op_modes[o]) if md.wc == w), 0)
            people = fp.op_modes[o][mi].people if fp.op_modes[o][mi].wc == w else 1
            crew = self.crews[w]
            if crew is not None:
                crew.add(s, e, people)
            self.start[o], self.end[o], self.mode[o], self.wc[o], self.machine[o] = s, e, mi, w, m
            self.placed[o] = True

    def est(self, o: int) -> int:
        fp = self.fp
        t = max(fp.now, fp.job_release[fp.op_job[o]])
        for p in fp.op_preds[o]:
            if self.end[p] > t:
                t = self.end[p]
        return t

    def find(self, o: int, mi: int, t: int) -> tuple[int, int, int] | None:
        """Earliest (start, end, machine) for op ``o`` in mode ``mi`` from time ``t``."""
        fp = self.fp
        md = fp.op_modes[o][mi]
        cal = fp.wc_cal[md.wc]
        split = fp.op_split[o]
        crew = self.crews[md.wc]
        best: tuple[int, int, int] | None = None
        for k, mc in enumerate(self.machines[md.wc]):
            tt = t
            while True:
                if md.duration > 0:
                    tt = mc.skip(tt, md.duration)
                fit = cal.fit(tt, md.duration, splittable=split)
                if fit is None:
                    break
                s, e = fit
                if best is not None and s >= best[0] and e >= best[1]:
                    break
                if md.duration > 0:
                    c = mc.conflict_end(s, e)
                    if c is not None:
                        tt = c
                        continue
                    if crew is not None:
                        c = crew.blocked_until(s, e, md.people)
                        if c is not None:
                            tt = max(c, s + 1)
                            continue
                if best is None or (e, s) < (best[1], best[0]):
                    best = (s, e, k)
                break
        return best

    def slot_free(self, w: int, k: int, s: int, e: int, people: int) -> bool:
        if e <= s:
            return True
        if self.machines[w][k].conflict_end(s, e) is not None:
            return False
        crew = self.crews[w]
        return crew is None or crew.blocked_until(s, e, people) is None

    def commit(self, o: int, mi: int, s: int, e: int, k: int) -> None:
        md = self.fp.op_modes[o][mi]
        self.machines[md.wc][k].add(s, e)
        crew = self.crews[md.wc]
        if crew is not None:
            crew.add(s, e, md.people)
        self.start[o], self.end[o], self.mode[o], self.wc[o], self.machine[o] = s, e, mi, md.wc, k
        self.placed[o] = True

    def place(self, o: int, mode: int | None = None) -> None:
        t = self.est(o)
        best: tuple[int, int, int, int] | None = None
        modes = range(len(self.fp.op_modes[o])) if mode is None else (mode,)
        for mi in modes:
            r = self.find(o, mi, t)
            if r is not None and (best is None or (r[1], r[0]) < (best[2], best[1])):
                best = (mi, r[0], r[1], r[2])
        if best is None:
            raise self.fp.err(
                o, "cannot be placed before the end of its work centres' calendars; extend them"
            )
        self.commit(o, best[0], best[1], best[2], best[3])

    def sol(self) -> Sol:
        return Sol(self.start[:], self.end[:], self.mode[:], self.wc[:], self.machine[:])


def build(fp: FlatProblem, key: Keys | list, modes: list[int] | None = None) -> Sol:
    """Serial schedule generation: among ready operations, place the one with the smallest key.
    Large problems use the compiled builder once it is loaded (the same schedule, much faster)."""
    if fastbuild.serves(fp):
        return Sol(*fastbuild.build(fp, key, modes))
    return build_python(fp, key, modes)


def build_python(fp: FlatProblem, key: Keys | list, modes: list[int] | None = None) -> Sol:
    """:func:`build` in Python: the reference the compiled builder is checked against."""
    key = as_list(key)
    b = Builder(fp)
    b.place_fixed()
    n = fp.n_ops
    missing = [0] * n
    for o in range(n):
        if fp.op_fixed[o] is None:
            missing[o] = sum(1 for p in fp.op_preds[o] if fp.op_fixed[p] is None)
    heap = [(key[o], o) for o in range(n) if fp.op_fixed[o] is None and missing[o] == 0]
    heapq.heapify(heap)
    while heap:
        _, o = heapq.heappop(heap)
        b.place(o, None if modes is None else modes[o])
        for s in fp.op_succs[o]:
            if fp.op_fixed[s] is None:
                missing[s] -= 1
                if missing[s] == 0:
                    heapq.heappush(heap, (key[s], s))
    return b.sol()


@overload
def build_gt(fp: FlatProblem, key: Keys | list, deadline: None = None) -> Sol: ...
@overload
def build_gt(fp: FlatProblem, key: Keys | list, deadline: float | None) -> Sol | None: ...
def build_gt(fp: FlatProblem, key: Keys | list, deadline: float | None = None) -> Sol | None:
    """Giffler-Thompson style active schedule: take the ready operation that can finish first; among
    the ready operations competing for its work centre that could start before that, place the one with
    the smallest key. Quadratic-ish; used for problems of moderate size. Gives up (None) at
    ``deadline``: on long, heavily loaded calendars it can take many times the serial build's time.
    The compiled one (large problems, once loaded) takes no deadline: it is fast enough."""
    if fastbuild.serves(fp):
        return Sol(*fastbuild.build_gt(fp, key))
    return build_gt_python(fp, key, deadline)


def build_gt_python(fp: FlatProblem, key: Keys | list, deadline: float | None = None) -> Sol | None:
    """:func:`build_gt` in Python: the reference the compiled one is checked against."""
    key = as_list(key)
    b = Builder(fp)
    b.place_fixed()
    n = fp.n_ops
    missing = [0] * n
    for o in range(n):
        if fp.op_fixed[o] is None:
            missing[o] = sum(1 for p in fp.op_preds[o] if fp.op_fixed[p] is None)
    cache: dict[int, tuple[int, int, int, int]] = {}  # o -> (end, start, mode, machine)
    by_wc: dict[int, set[int]] = {}

    def evalop(o: int) -> None:
        t = b.est(o)
        best = None
        for mi in range(len(fp.op_modes[o])):
            r = b.find(o, mi, t)
            if r is not None and (best is None or (r[1], r[0]) < (best[0], best[1])):
                best = (r[1], r[0], mi, r[2])
        if best is None:
            raise fp.err(o, "cannot be placed before the end of its work centres' calendars; extend them")
        cache[o] = best

    for o in range(n):
        if fp.op_fixed[o] is None and missing[o] == 0:
            evalop(o)
            for md in fp.op_modes[o]:
                by_wc.setdefault(md.wc, set()).add(o)
    while cache:
        if deadline is not None and time.monotonic() > deadline:
            return None
        ostar = min(cache, key=lambda x: (cache[x][0], key[x]))
        cstar, _, mstar, _ = cache[ostar]
        wstar = fp.op_modes[ostar][mstar].wc
        cands = [
            o
            for o in by_wc.get(wstar, ())
            if o in cache and cache[o][1] < cstar and fp.op_modes[o][cache[o][2]].wc == wstar
        ]
        chosen = min(cands, key=lambda x: key[x]) if cands else ostar
        e, s0, mi, k = cache.pop(chosen)
        for md in fp.op_modes[chosen]:
            by_wc[md.wc].discard(chosen)
        b.commit(chosen, mi, s0, e, k)
        for o in list(by_wc.get(wstar, ())):
            if o in cache:
                evalop(o)
        for sc in fp.op_succs[chosen]:
            if fp.op_fixed[sc] is None:
                missing[sc] -= 1
                if missing[sc] == 0:
                    evalop(sc)
                    for md in fp.op_modes[sc]:
                        by_wc.setdefault(md.wc, set()).add(sc)
    return b.sol()


def evaluate(fp: FlatProblem, sol: Sol) -> Metrics:
    """Completion, tardiness and the objectives of a schedule (on arrays: the lead-time walks evaluate
    every rebuild of problems with 10,000+ operations)."""
    if not fp.job_ops:
        return Metrics(0, 0, 0, [], [], [])
    first, due, weight = cached(fp, "_eval", _eval_arrays)
    comp = np.maximum.reduceat(np.asarray(sol.end, np.int64), first)
    start = np.minimum.reduceat(np.asarray(sol.start, np.int64), first)
    tard = np.maximum(0, comp - due)  # due is "never" for jobs without one
    return Metrics(
        int((tard * weight).sum()),
        int(comp.max()),
        int((comp - start).sum()),
        comp.tolist(),
        start.tolist(),
        tard.tolist(),
    )


def _eval_arrays(fp: FlatProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first operation of each job, due dates, weights). A job's operations are numbered
    consecutively (flatten numbers them job by job)."""
    first = np.array([ops[0] for ops in fp.job_ops], np.int64)
    assert all(ops == list(range(ops[0], ops[0] + len(ops))) for ops in fp.job_ops)
    due = np.array([INF if d is None else d for d in fp.job_due], np.int64)
    return first, due, np.array(fp.job_weight, np.int64)
