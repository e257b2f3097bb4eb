import datetime as dt
import random
import subprocess
import sys
import time

import pytest

from gendan.engine.scheduler import (
    Calendar,
    Frozen,
    Job,
    Mode,
    Operation,
    Options,
    Problem,
    WorkCentre,
    portfolio,
    schedule,
)
from gendan.engine.scheduler.flat import flatten
from gendan.engine.scheduler.rules import dispatch, rule_keys, statics
from gendan.engine.scheduler.sgs import build_gt
from gendan.engine.scheduler.threads import beside

from .helpers import check_schedule, single_machine_tardiness

DET = Options(work_limit=2.0)


def op(id_, wc="A", run=10, setup=0, **kw):
    return Operation(id=id_, modes=(Mode(work_centre=wc, run=run, setup=setup),), **kw)


FT06 = [
    [(2, 1), (0, 3), (1, 6), (3, 7), (5, 3), (4, 6)],
    [(1, 8), (2, 5), (4, 10), (5, 10), (0, 10), (3, 4)],
    [(2, 5), (3, 4), (5, 8), (0, 9), (1, 1), (4, 7)],
    [(1, 5), (0, 5), (2, 5), (3, 3), (4, 8), (5, 9)],
    [(2, 9), (1, 3), (4, 5), (5, 4), (0, 3), (3, 1)],
    [(1, 3), (3, 3), (5, 9), (0, 10), (4, 4), (2, 1)],
]


def test_ft06_makespan_optimum():
    jobs = tuple(
        Job(id=f"J{j}", operations=tuple(op(str(k), wc=f"M{m}", run=d) for k, (m, d) in enumerate(r)))
        for j, r in enumerate(FT06)
    )
    p = Problem(jobs=jobs, work_centres=tuple(WorkCentre(f"M{m}") for m in range(6)))
    s = schedule(p, Options(objective="makespan", work_limit=3.0))
    check_schedule(p, s)
    assert s.makespan == 55
    assert s.status == "OPTIMAL" and s.bound == 55


def test_single_machine_weighted_tardiness_matches_brute_force():
    data = [("a", 4, 5, 3), ("b", 3, 6, 1), ("c", 7, 8, 2), ("d", 2, 4, 5), ("e", 5, 20, 1)]
    p, best = single_machine_tardiness(data)
    s = schedule(p, DET)
    check_schedule(p, s)
    assert s.weighted_tardiness == best
    assert s.status == "OPTIMAL"


def test_calendar_split_and_not_split():
    # work 08:00-12:00 and 13:00-17:00 every day (continuous days)
    cal = Calendar.from_shifts(
        dt.date(2026, 11, 23), 5, [("08:00", "12:00"), ("13:00", "17:00")], workdays=range(7)
    )
    jobs = (Job(id="S", operations=(op("10", run=300),)),)  # 5 h: splits over lunch
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A", calendar=cal),), calendar=cal)
    s = schedule(p, DET)
    check_schedule(p, s)
    so = s.operations_of("S")[0]
    assert (so.start, so.end) == (8 * 60, 14 * 60)
    # a non-splittable 3 h operation cannot use the 1 h left before lunch
    jobs = (
        Job(id="X", operations=(op("10", run=120),)),
        Job(id="Y", operations=(op("10", run=180, splittable=False),), due=0, weight=1),
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A", calendar=cal),), calendar=cal)
    s = schedule(p, DET)
    check_schedule(p, s)
    y = s.operations_of("Y")[0]
    x = s.operations_of("X")[0]
    assert (y.start, y.end) == (8 * 60, 11 * 60)  # Y (due now) goes first
    assert (x.start, x.end) == (11 * 60, 14 * 60)  # X after, split over lunch
    jobs = (
        Job(id="X", operations=(op("10", run=120),), due=0, weight=5),
        Job(id="Y", operations=(op("10", run=180, splittable=False),)),
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A", calendar=cal),), calendar=cal)
    s = schedule(p, DET)
    check_schedule(p, s)
    y = s.operations_of("Y")[0]
    assert (y.start, y.end) == (13 * 60, 16 * 60)  # waits for the afternoon period


def test_alternative_work_centres_and_parallel_machines():
    # 4 jobs of 10 min that can go on A (2 machines) or on a slow B (30 min)
    jobs = tuple(
        Job(
            id=f"J{i}",
            operations=(Operation("10", (Mode("A", run=10), Mode("B", run=30))),),
            due=20,
            weight=1,
        )
        for i in range(5)
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A", machines=2), WorkCentre("B")))
    s = schedule(p, DET)
    check_schedule(p, s)
    assert s.weighted_tardiness == 10  # 4 on A by 20, one at 30 on A or B
    assert {o.machine for o in s.operations if o.work_centre == "A"} == {0, 1}


def test_headcount_limits_parallel_work():
    jobs = tuple(Job(id=f"J{i}", operations=(op("10", run=10),)) for i in range(4))
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A", machines=4, headcount=2),))
    s = schedule(p, Options(objective="makespan", work_limit=1))
    check_schedule(p, s)
    assert s.makespan == 20


def test_frozen_operation_stays_and_others_go_around():
    jobs = (
        Job(id="F", operations=(op("10", run=10, frozen=Frozen(start=5, work_centre="A")),)),
        Job(id="G", operations=(op("10", run=10),), due=10, weight=3),
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A"),))
    s = schedule(p, DET)
    check_schedule(p, s)
    f = s.operations_of("F")[0]
    assert (f.start, f.end, f.frozen) == (5, 15, True)
    g = s.operations_of("G")[0]
    assert g.start == 15 and s.job("G").tardiness == 15


def test_sub_assembly_and_release_dates():
    jobs = (
        Job(id="SUB", operations=(op("10", wc="B", run=30),), release=50),
        Job(id="ASSY", operations=(op("10", run=10), op("20", run=5)), predecessors=("SUB",), due=100),
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A"), WorkCentre("B")))
    s = schedule(p, DET)
    check_schedule(p, s)
    assert s.operations_of("SUB")[0].start == 50
    assert s.operations_of("ASSY")[0].start == 80
    assert s.job("ASSY").completion == 95 and s.job("ASSY").tardiness == 0


def test_dag_inside_job_and_now():
    jobs = (
        Job(
            id="J",
            operations=(
                op("a", run=10, after=()),
                op("b", wc="B", run=20, after=()),
                op("c", run=5, after=("a", "b")),
            ),
        ),
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A"), WorkCentre("B")), now=7)
    s = schedule(p, DET)
    check_schedule(p, s)
    assert s.job("J").completion == 7 + 20 + 5


def test_explanations_for_late_jobs():
    jobs = (
        Job(id="LONG", operations=(op("10", wc="C", run=100),), due=50),  # own chain too long
        Job(id="MAT", operations=(op("10", wc="B", run=10),), release=200, due=100),  # material late
        Job(id="Q1", operations=(op("10", run=60),), due=60, weight=5),
        Job(id="Q2", operations=(op("10", run=60),), due=70, weight=1),  # queues behind Q1 on A
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A"), WorkCentre("B"), WorkCentre("C")))
    s = schedule(p, DET)
    check_schedule(p, s)
    assert s.job("LONG").bottleneck.kind == "chain"
    b = s.job("MAT").bottleneck
    assert b.kind == "material" and b.job == "MAT"
    b = s.job("Q2").bottleneck
    assert b.kind == "work_centre" and b.work_centre == "A" and b.minutes == 60
    assert s.job("Q1").bottleneck is None


def test_wip_secondary_and_heuristic_only():
    jobs = tuple(Job(id=f"J{i}", operations=(op("1", run=5), op("2", wc="B", run=5))) for i in range(3))
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A"), WorkCentre("B")))
    s = schedule(p, Options(secondary="wip", work_limit=1))
    check_schedule(p, s)
    assert s.wip == 30  # each job flows without waiting
    h = schedule(p, Options(use_solver=False))
    check_schedule(p, h)
    assert h.status == "HEURISTIC"


def test_importing_the_engine_does_not_import_ortools():
    code = "import sys, gendan.engine.scheduler as s; print('ortools' in ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_slow_giffler_thompson_build_is_given_up_at_its_deadline():
    # on long, loaded calendars the Giffler-Thompson build can take seconds; past its deadline the
    # dispatcher keeps the serial build of the same rule, which is always complete and feasible
    jobs = tuple(
        Job(id=f"J{j}", operations=tuple(op(str(k), wc=f"M{m}", run=d) for k, (m, d) in enumerate(r)))
        for j, r in enumerate(FT06)
    )
    p = Problem(jobs=jobs, work_centres=tuple(WorkCentre(f"M{m}") for m in range(6)))
    fp = flatten(p)
    keys = rule_keys(fp, statics(fp), "mwkr")
    assert build_gt(fp, keys, deadline=time.monotonic() - 1) is None
    assert build_gt(fp, keys) is not None
    sol, met, rule = dispatch(fp, "makespan", "none", rules=("mwkr",), gt_deadline=time.monotonic() - 1)
    assert rule == "mwkr" and met.makespan >= 55
    s = schedule(p, Options(objective="makespan", use_solver=False, time_limit=0.0))
    check_schedule(p, s)


def loaded_shop() -> Problem:
    rng = random.Random(4)
    jobs = []
    for j in range(40):
        ops = tuple(
            op(str(k), wc=f"M{rng.randrange(4)}", run=rng.randint(5, 40), setup=rng.choice((0, 5)))
            for k in range(rng.randint(3, 6))
        )
        due = rng.randint(60, 1600)
        jobs.append(Job(id=f"J{j}", operations=ops, due=due, weight=rng.choice((1, 1, 2, 5))))
    return Problem(
        jobs=tuple(jobs), work_centres=tuple(WorkCentre(f"M{m}", machines=1 + m % 2) for m in range(4))
    )


def test_tardiness_falls_back_to_the_lead_time_iteration_when_cp_sat_cannot_start(monkeypatch):
    # a model too large for CP-SAT in the time given ends its first phase without even confirming the
    # dispatching schedule; the rest of the time then goes to the lead-time iteration, not to an LNS
    # that has nothing to start from
    def unknown(fp, builder, hint, *args, **kw):
        return portfolio.SolveOutcome(hint, None, False, ["full:UNKNOWN"])

    monkeypatch.setattr(portfolio, "improve", unknown)
    p = loaded_shop()
    plain = schedule(p, Options(use_solver=False))
    s = schedule(p, Options(work_limit=1.5))
    check_schedule(p, s)
    assert "cp-sat full:UNKNOWN" in s.method and "lead-time iteration" in s.method
    assert s.weighted_tardiness < plain.weighted_tardiness


def test_tardiness_on_parallel_machines_runs_the_lead_time_iteration_beside_cp_sat(monkeypatch):
    # parallel machines: not a job shop for the tabu search, so with two workers CP-SAT gets one and
    # the lead-time walks run on the Python thread at the same time; here CP-SAT finds nothing better
    # than its hint in the whole time, and the walks' schedule is taken, within the time limit
    calls = []

    def nothing_better(fp, builder, hint, budget, *, workers, **kw):
        calls.append(workers)
        time.sleep(max(0.0, budget.left()))
        return portfolio.SolveOutcome(hint, None, False, ["full:FEASIBLE", "lns"])

    monkeypatch.setattr(portfolio, "improve", nothing_better)
    p = loaded_shop()
    plain = schedule(p, Options(use_solver=False))
    t = time.monotonic()
    s = schedule(p, Options(time_limit=2.0, workers=2, secondary="none"))
    assert time.monotonic() - t < 2.5
    check_schedule(p, s)
    assert calls == [1]
    assert "lead-time iteration" in s.method and s.weighted_tardiness < plain.weighted_tardiness


def test_an_error_in_cp_sat_beside_the_lead_time_iteration_reaches_the_caller(monkeypatch):
    def broken(*args, **kw):
        raise RuntimeError("solver broke")

    monkeypatch.setattr(portfolio, "improve", broken)
    with pytest.raises(RuntimeError, match="solver broke"):
        schedule(loaded_shop(), Options(time_limit=0.5, workers=2, secondary="none"))


def test_work_beside_the_caller_returns_its_result_or_raises_its_error():
    assert beside(lambda: 6 * 7, "answer")() == 42

    def broken():
        raise ValueError("bad model")

    join = beside(broken, "broken")
    with pytest.raises(ValueError, match="bad model"):
        join()
