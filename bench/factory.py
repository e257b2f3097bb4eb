"""A generated, seeded factory: the engine against EDD loading, plus a capable-to-promise query.

    uv run python bench/factory.py --seconds 30 --workers 2 [--orders 500] [--seed 1] [--json out.json]
    uv run python bench/factory.py --shape demo --seconds 60 [--orders 2000] [--seed 1]

``--shape demo``: the demo factory's centres, calendars, products, BOMs and routings scaled to
``--orders`` order lines (bench/factory_demo.py); it also times the first feasible proposal (flatten,
one dispatching rule, the answer with its explanations), as "reschedule all" shows it first.

The generic factory:

About 500 open orders, each an end item with 1-3 levels of sub-assemblies (6-12 operations per job,
1-2 alternative work centres per operation), 30 work centres (1-3 machines, some with a headcount
below their machines) on two-shift calendars (06:00-22:00, 30 min break per shift, Monday-Friday)
with public holidays and, for a few centres, Saturday overtime; material release dates on the
sub-assemblies and due dates on the orders. Prints the schedule time, weighted tardiness and number
of late orders for the engine and for EDD dispatching (orders loaded one after another by due date,
the way an ERP does finite loading), then times a CTP query on the engine's schedule.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from _common import write_json
from factory_demo import make_demo_factory

from gendan.engine.scheduler import (
    Calendar,
    Job,
    Mode,
    Operation,
    Options,
    Problem,
    WorkCentre,
    capable_to_promise,
    fastbuild,
    schedule,
)

ORIGIN = dt.date(2026, 1, 5)  # a Monday
DAYS = 200
HOLIDAYS = [
    dt.date(2026, 1, 1),
    dt.date(2026, 2, 16),
    dt.date(2026, 2, 17),
    dt.date(2026, 4, 6),
    dt.date(2026, 5, 1),
]
SHIFTS = [("06:00", "14:00"), ("14:00", "22:00")]
BREAKS = [("10:00", "10:30"), ("18:00", "18:30")]


def make_factory(n_orders: int = 500, n_wc: int = 30, seed: int = 1) -> Problem:
    rng = random.Random(seed)
    base = Calendar.from_shifts(ORIGIN, DAYS, SHIFTS, breaks=BREAKS, holidays=HOLIDAYS)
    saturdays = [ORIGIN + dt.timedelta(days=5 + 7 * k) for k in range(0, DAYS // 7)]
    overtime_cal = Calendar.from_shifts(
        ORIGIN,
        DAYS,
        SHIFTS,
        breaks=BREAKS,
        holidays=HOLIDAYS,
        overtime={d: [("06:00", "14:00")] for d in saturdays},
    )
    wcs = []
    for w in range(n_wc):
        machines = rng.choice([1, 1, 2, 2, 3])
        head = machines - 1 if machines > 1 and rng.random() < 0.3 else None
        cal = overtime_cal if w % 10 == 3 else base
        wcs.append(WorkCentre(id=f"WC{w:02d}", machines=machines, calendar=cal, headcount=head))
    # work centres grouped in families of 3 (alternatives inside a family)
    families = [list(range(k, min(k + 3, n_wc))) for k in range(0, n_wc, 3)]

    def make_ops(prefix: str) -> tuple[Operation, ...]:
        ops = []
        for k in range(rng.randint(6, 12)):
            fam = rng.choice(families)
            first = rng.choice(fam)
            alts = [first]
            if len(fam) > 1 and rng.random() < 0.4:
                alts.append(rng.choice([w for w in fam if w != first]))
            run = rng.randint(15, 190)
            setup = rng.choice([0, 10, 20, 30])
            modes = tuple(
                Mode(
                    work_centre=f"WC{w:02d}",
                    run=int(run * (1.0 if i == 0 else rng.uniform(1.0, 1.4))),
                    setup=setup,
                )
                for i, w in enumerate(alts)
            )
            ops.append(Operation(id=f"{(k + 1) * 10}", modes=modes, splittable=rng.random() < 0.9))
        return tuple(ops)

    jobs: list[Job] = []
    day = 1440
    for n in range(n_orders):
        oid = f"SO{n:04d}"
        levels = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
        # a chain of sub-assemblies (the deepest one sometimes doubled) feeding the end item
        children: list[str] = []
        chain_work = 0
        latest_release = 0
        for lvl in range(levels, 0, -1):
            subs = []
            level_work = 0
            for s in range(2 if lvl == levels and rng.random() < 0.3 else 1):
                sid = f"{oid}-L{lvl}-{s}"
                rel = rng.randint(0, 20) * day if lvl == levels else 0
                latest_release = max(latest_release, rel)
                ops = make_ops(sid)
                level_work = max(level_work, sum(o.modes[0].duration for o in ops))
                jobs.append(Job(id=sid, operations=ops, release=rel, predecessors=tuple(children), name=sid))
                subs.append(sid)
            chain_work += level_work
            children = subs
        ops = make_ops(oid)
        chain_work += sum(o.modes[0].duration for o in ops)
        # lead time: the chain at 15 working hours a day, stretched for queueing, from the latest material
        lead_days = chain_work / (15 * 60) * 7 / 5
        due_day = max(latest_release / day + lead_days * rng.uniform(1.5, 3.0), rng.uniform(5, 100))
        jobs.append(
            Job(
                id=oid,
                operations=ops,
                due=int(due_day) * day + 22 * 60,
                weight=rng.choice([1, 1, 1, 2, 2, 3, 5]),
                predecessors=tuple(children),
                name=oid,
            )
        )
    return Problem(jobs=tuple(jobs), work_centres=tuple(wcs), calendar=base)


def summary(p: Problem, s) -> tuple[int, int]:
    orders = [j for j in s.jobs if j.due is not None]
    return s.weighted_tardiness, sum(1 for j in orders if j.tardiness > 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", choices=("generic", "demo"), default="generic")
    ap.add_argument("--orders", type=int, help="default 500 (generic), 2000 (demo)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--work", type=float, help="engine: this work limit instead of the seconds (one worker, reproducible)"
    )
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    demo = args.shape == "demo"
    if args.orders is None:
        args.orders = 2000 if demo else 500
    make = make_demo_factory if demo else make_factory
    t = time.monotonic()
    p = make(args.orders, seed=args.seed)
    print(f"# generated in {time.monotonic() - t:.1f} s")
    t = time.monotonic()
    from ortools.sat.python import cp_model  # noqa: F401  (one-time import, ~1.3 s, as in a running server)

    print(f"# one-time import of OR-Tools: {time.monotonic() - t:.1f} s (not counted below)")
    t = time.monotonic()
    fastbuild.ready(wait=True)  # as in a running server (the worker loads it at start)
    print(
        f"# one-time load of the compiled schedule builder: {time.monotonic() - t:.1f} s "
        "(compiled the first time after installation; not counted below)"
    )
    n_ops = sum(len(j.operations) for j in p.jobs)
    print(
        f"# {args.shape} factory seed={args.seed}: {args.orders} orders, {len(p.jobs)} jobs, {n_ops} operations,"
        f" {len(p.work_centres)} work centres, {sum(w.machines for w in p.work_centres)} machines"
    )
    rows = []
    if demo:
        t, c = time.monotonic(), time.process_time()
        first = schedule(p, Options(use_solver=False, dispatch_rules=("slack",)))
        t_first, c_first = time.monotonic() - t, time.process_time() - c
        print(
            f"first proposal  : {t_first:6.1f} s  weighted tardiness {first.weighted_tardiness:>12,d} min"
            f"  late orders {summary(p, first)[1]}   [slack rule, with explanations; CPU {c_first:.1f} s]"
        )
        rows.append(
            {
                "solver": "first",
                "seconds": round(t_first, 2),
                "cpu": round(c_first, 2),
                "twt": first.weighted_tardiness,
            }
        )
    t, c = time.monotonic(), time.process_time()
    edd = schedule(p, Options(use_solver=False, dispatch_rules=("edd",)))
    t_edd, c_edd = time.monotonic() - t, time.process_time() - c
    twt_e, late_e = summary(p, edd)
    print(
        f"EDD dispatching : {t_edd:6.1f} s  weighted tardiness {twt_e:>12,d} min  late orders {late_e}"
        f"   [CPU {c_edd:.1f} s]"
    )
    rows.append(
        {
            "solver": "edd",
            "seconds": round(t_edd, 2),
            "cpu": round(c_edd, 2),
            "twt": twt_e,
            "late_orders": late_e,
        }
    )
    t = time.monotonic()
    eng = schedule(
        p, Options(time_limit=args.seconds, work_limit=args.work, workers=args.workers, seed=args.seed)
    )
    t_eng = time.monotonic() - t
    budget = f"{args.seconds:.0f} s" if args.work is None else f"{args.work:g} u"
    twt_g, late_g = summary(p, eng)
    print(
        f"engine ({budget})   : {t_eng:6.1f} s  weighted tardiness {twt_g:>12,d} min  late orders {late_g}"
        f"   [{eng.status}; {eng.method}]"
    )
    rows.append(
        {
            "solver": "engine",
            "seconds": round(t_eng, 2),
            "twt": twt_g,
            "late_orders": late_g,
            "method": eng.method,
        }
    )
    red = 100.0 * (twt_e - twt_g) / twt_e if twt_e else 0.0
    print(f"weighted tardiness reduction vs EDD: {red:.1f} %")
    kinds: dict[str, int] = {}
    for j in eng.jobs:
        if j.bottleneck is not None:
            kinds[j.bottleneck.kind] = kinds.get(j.bottleneck.kind, 0) + 1
    print(f"late-job explanations: {kinds}")
    # capable-to-promise on the engine's schedule
    rng = random.Random(args.seed + 99)
    ref = make(1, seed=rng.randint(0, 10**6))
    new_jobs = [
        Job(
            id=f"CTP-{j.id}",
            operations=j.operations,
            release=j.release,
            predecessors=tuple(f"CTP-{x}" for x in j.predecessors),
        )
        for j in ref.jobs
    ]
    requested = 30 * 1440
    t, c = time.monotonic(), time.process_time()
    ans = capable_to_promise(p, eng, new_jobs, requested)
    t_ctp, c_ctp = time.monotonic() - t, time.process_time() - c
    print(
        f"CTP query       : {t_ctp:6.2f} s  possible={ans.possible} without delaying others={ans.without_delaying_others}"
        f" earliest=day {ans.earliest / 1440:.1f} (free capacity: day {ans.earliest_free / 1440:.1f})"
        f" impacts={len(ans.impacts)} limits={ans.limits.kind if ans.limits else None}  [CPU {c_ctp:.2f} s]"
    )
    rows.append(
        {
            "solver": "ctp",
            "seconds": round(t_ctp, 3),
            "cpu": round(c_ctp, 3),
            "possible": ans.possible,
            "impacts": len(ans.impacts),
        }
    )
    write_json(args.json, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
