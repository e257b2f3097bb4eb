"""The demo factory (粤顺电器, gendan.masterdata.demo_data) scaled to thousands of open orders.

Its work centres, shifts (day shift Monday-Saturday with a lunch break, night shifts on three centres),
holidays (Spring Festival inside the backlog) and overtime days, its products, multi-level bills of
materials (fan -> head -> motor -> stator / rotor -> stator core ...), routings with alternative work
centres and the people each operation needs. Seeded: order lines of a random product and quantity, a
share of the sub-assemblies taken from stock (so an order has about 25 operations), material release
dates on the sub-assemblies that start from purchased material, due dates spread over a ~4-month
backlog and priority weights. The machines of each centre are scaled so that its load over the backlog
is about its target (some centres are bottlenecks); headcounts keep the demo's ratio to machines.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from _common import ROOT  # noqa: F401  (puts src/ on the path)

from gendan.engine.scheduler import Calendar, Job, Mode, Operation, Problem, WorkCentre
from gendan.masterdata import demo_data as demo

ORIGIN = dt.date(2026, 11, 30)  # a Monday: minute 0 of the problem
CALENDAR_DAYS = 500  # long enough for an overloaded schedule to end inside it
BACKLOG_DAYS = 120
QUANTITIES = [20, 30, 50, 50, 80, 100, 150, 200, 300]
STOCK_SHARE = 0.35  # share of sub-assembly requirements served from stock (no job)
NOT_SPLITTABLE_UNDER = 180  # operations this short are sometimes not splittable (ovens, tests)


def _hm(t: tuple[int, int]) -> str:
    return f"{t[0]:02d}:{t[1]:02d}"


def calendars() -> dict[str, Calendar]:
    """Each work centre's calendar from the demo's shifts, holidays and overtime days."""
    holidays = [d for _, days in demo.HOLIDAYS for d in days]
    by_wc: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    breaks: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for wc, _name, start, end, break_minutes, weekdays in demo.SHIFTS:
        for d in weekdays.split(","):
            by_wc[wc][int(d) - 1].append((_hm(start), _hm(end)))
        # the break in the middle of the shift
        a = start[0] * 60 + start[1]
        span = (end[0] * 60 + end[1] - a) % 1440
        b = (a + span // 2 - break_minutes // 2) // 30 * 30 % 1440
        breaks[wc].append(
            (
                f"{b // 60:02d}:{b % 60:02d}",
                f"{(b + break_minutes) // 60 % 24:02d}:{(b + break_minutes) % 60:02d}",
            )
        )
    out: dict[str, Calendar] = {}
    for wc, pattern in by_wc.items():
        overtime: dict[dt.date, list[tuple[str, str]]] = {}
        for who, day, hours, _why in demo.OVERTIME:
            if who not in (None, wc):
                continue
            date = dt.date.fromisoformat(day)
            if hours is None:
                overtime[date] = list(pattern[0])
            else:
                end = 8 + int(hours) + 1  # the lunch break inside
                overtime[date] = [("08:00", f"{end:02d}:00")]
        out[wc] = Calendar.from_shifts(
            ORIGIN, CALENDAR_DAYS, dict(pattern), breaks=breaks[wc], holidays=holidays, overtime=overtime
        )
    return out


def _routing(
    product: str, eff: dict[str, int], qty: int, rng: random.Random, tag: str
) -> tuple[Operation, ...]:
    ops = []
    for k, (_name, wc, alts, setup, run, people) in enumerate(demo.ROUTINGS[product]):
        minutes = setup + math.ceil(float(run) * qty * 100 / eff[wc])
        modes = [Mode(wc, run=minutes - setup, setup=setup, people=people)]
        for a in alts:
            alt_run = math.ceil(float(run) * qty * 100 / eff[a] * rng.uniform(1.0, 1.2))
            modes.append(Mode(a, run=alt_run, setup=setup, people=people))
        split = not (minutes < NOT_SPLITTABLE_UNDER and rng.random() < 0.15)
        ops.append(Operation(id=f"{(k + 1) * 10}", modes=tuple(modes), splittable=split))
    return tuple(ops)


def make_demo_factory(
    n_orders: int = 2000,
    seed: int = 1,
    *,
    backlog_days: int = BACKLOG_DAYS,
    stock_share: float = STOCK_SHARE,
) -> Problem:
    """``n_orders`` open order lines on the demo factory, due over ``backlog_days``."""
    rng = random.Random(seed)
    cals = calendars()
    eff = {wc: e for wc, _n, _en, _m, _h, e, _d in demo.WORK_CENTRES}
    lead = {code: days for code, _n, _en, _s, kind, _u, days, _dr in demo.PRODUCTS}
    bom = {p: [c for c, _q, _s in lines if c in demo.ROUTINGS] for p, lines in demo.BOMS.items()}
    finished = [
        p
        for p, kind in ((c, k) for c, _n, _en, _s, k, *_ in demo.PRODUCTS)
        if kind == "F" and p in demo.ROUTINGS
    ]
    jobs: list[Job] = []
    day = 1440

    def explode(product: str, qty: int, prefix: str, top: bool) -> str | None:
        """The job of ``product`` for ``qty`` (its sub-assemblies' jobs first); None if from stock."""
        if not top and rng.random() < stock_share:
            return None
        children = [
            c for c in (explode(c, qty, prefix, False) for c in bom.get(product, [])) if c is not None
        ]
        jid = prefix if top else f"{prefix}/{product}"
        # material of a job with no sub-assembly to wait for arrives some days after today
        release = 0 if children else rng.choice([0, 0, 0, 1, 2, 3, 5, 7, 10, 15]) * day + 8 * 60
        jobs.append(
            Job(
                id=jid,
                operations=_routing(product, eff, qty, rng, jid),
                release=release,
                predecessors=tuple(children),
                name=product,
            )
        )
        return jid

    for n in range(n_orders):
        product = rng.choice(finished)
        qty = rng.choice(QUANTITIES)
        oid = f"SO{n:05d}"
        explode(product, qty, oid, True)
        top = jobs[-1]
        due_day = rng.randint(min(lead[product], backlog_days - 1), backlog_days)
        jobs[-1] = Job(
            id=top.id,
            operations=top.operations,
            release=top.release,
            due=due_day * day + 17 * 60,
            weight=rng.choices([1, 2, 3, 5], weights=[50, 30, 15, 5])[0],
            predecessors=top.predecessors,
            name=top.name,
        )
    return Problem(
        jobs=tuple(jobs), work_centres=_centres(jobs, cals, backlog_days, rng), calendar=cals["WC01"]
    )


def _centres(
    jobs: list[Job], cals: dict[str, Calendar], backlog_days: int, rng: random.Random
) -> tuple[WorkCentre, ...]:
    """The demo's centres with as many machines as make the backlog's work about ``target`` of their
    capacity over the backlog (bottlenecks at 1.0-1.06, the others 0.75-0.92)."""
    demand: dict[str, int] = defaultdict(int)
    for j in jobs:
        for o in j.operations:
            demand[o.modes[0].work_centre] += o.modes[0].duration
    out = []
    bottlenecks = {"WC07", "WC09", "WC10"}
    for code, name, _en, machines, headcount, _e, _d in demo.WORK_CENTRES:
        if code not in cals:  # WC12: no shifts yet, and no routing uses it
            continue
        cal = cals[code]
        per_machine = cal.work_between(0, backlog_days * 1440)
        target = rng.uniform(1.0, 1.06) if code in bottlenecks else rng.uniform(0.75, 0.92)
        m = max(machines, round(demand[code] / (per_machine * target)))
        head = max(headcount, round(m * headcount / machines)) if headcount < machines * 2 else None
        out.append(WorkCentre(id=code, machines=m, calendar=cal, headcount=head, name=name))
    return tuple(out)
