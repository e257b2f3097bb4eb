"""Lead-time walks: the engine's answer for weighted tardiness when CP-SAT cannot help in time."""

import random
import time

import pytest

from gendan.engine.scheduler import Job, Mode, Operation, Problem, WorkCentre, fastbuild, leadtime, portfolio
from gendan.engine.scheduler.engine import to_schedule
from gendan.engine.scheduler.flat import flatten
from gendan.engine.scheduler.leadtime import Plan, _Best, _run, _Walk, iterate_priorities
from gendan.engine.scheduler.rules import GT_MAX_OPS, dispatch
from gendan.engine.scheduler.sgs import Metrics

from .helpers import check_schedule
from .test_schedule import loaded_shop


def _dispatched():
    p = loaded_shop()
    fp = flatten(p)
    seen = {}
    # as on a large problem: serial builds only (the Giffler-Thompson builder is for small ones)
    sol, met, rule = dispatch(fp, "tardiness", "none", gt_deadline=time.monotonic() - 1, seen=seen)
    return p, fp, sol, met, rule, seen


@pytest.mark.parametrize("threads", [1, 2])
def test_lead_time_walks_more_than_halve_the_best_rules_tardiness_on_a_loaded_shop(threads):
    # too large for CP-SAT in the time given, the engine rebuilds with due dates of late orders pulled
    # forward: steady walks and a restarting one, taking turns on one thread or on two
    p, fp, sol, met, rule, seen = _dispatched()
    assert len(seen) >= 5 and met.twt == min(m.twt for m in seen.values())
    starts = {"slack": seen["slack"], rule: seen[rule]}
    sol2, met2, its = iterate_priorities(fp, sol, met, "none", Plan(starts), rebuilds=100, threads=threads)
    assert its == 100  # a rebuild budget, not seconds: the same work on a loaded machine
    assert met2.twt < 0.5 * met.twt, (met2.twt, met.twt)
    s = to_schedule(fp, sol2, met2, "HEURISTIC", None, "tardiness", 0.0, "test")
    check_schedule(p, s)
    assert s.weighted_tardiness == met2.twt


def test_a_restarting_walk_that_finds_nothing_starts_again_with_the_rule_of_the_best_schedule(monkeypatch):
    p, fp, sol, met, rule, seen = _dispatched()
    monkeypatch.setattr(leadtime, "RESTART", 3)
    # a best schedule no walk can beat (one minute late in all), built by the slack rule
    unbeatable = Metrics(1, met.makespan, met.wip, met.completion, met.job_start, met.tardiness)
    best = _Best(sol, unbeatable, "none", "slack")
    start = seen["edd"]
    walk = _Walk("edd", list(fp.job_due), start, start.key("tardiness", "none"), leadtime.random.Random(1))
    steady = _Walk("edd", list(fp.job_due), start, start.key("tardiness", "none"))
    its = _run(fp, [walk, steady], best, Plan(seen), rebuilds=20)
    assert its == 20
    assert walk.rule == "slack"  # restarted with the best schedule's rule
    assert steady.rule == "edd"  # a steady walk keeps its own
    assert best.met is unbeatable


def test_walks_on_a_mid_sized_shop_rebuild_with_the_giffler_thompson_builder(monkeypatch):
    # its active schedules are much better there than serial ones, and compiled they are cheap
    fastbuild.ready(wait=True)
    rng = random.Random(7)
    jobs = tuple(
        Job(
            id=f"J{j}",
            operations=tuple(
                Operation(str(k), (Mode(f"M{rng.randrange(6)}", rng.randint(5, 40)),)) for k in range(5)
            ),
            due=rng.randint(100, 2500),
            weight=rng.choice((1, 2, 5)),
        )
        for j in range(120)
    )
    p = Problem(jobs, tuple(WorkCentre(f"M{m}", machines=1 + m % 2) for m in range(6)))
    fp = flatten(p)
    assert fastbuild.MIN_OPS <= fp.n_ops <= GT_MAX_OPS
    seen, times = {}, {}
    sol, met, rule = dispatch(fp, "tardiness", "none", seen=seen, times=times)
    plan = portfolio.walk_plan(fp, seen, times, rule, 10.0)
    assert not portfolio.walk_plan(fp, seen, times, rule, 19 * times["gt-slack"]).gt  # too slow for the time
    assert plan.gt and plan.starts["slack"] is seen["gt-slack"] and plan.first > 0

    def serial(*args):
        raise AssertionError("a serial build")

    monkeypatch.setattr(leadtime, "build", serial)
    sol2, met2, its = iterate_priorities(fp, sol, met, "none", plan, rebuilds=30, threads=2)
    assert its == 30 and met2.twt < met.twt
    check_schedule(p, to_schedule(fp, sol2, met2, "HEURISTIC", None, "tardiness", 0.0, "test"))
