"""A work limit instead of a time limit: the same schedule on a fast or a loaded machine."""

import random
import threading

import pytest

from gendan.engine.scheduler import Job, Mode, Operation, Options, Problem, WorkCentre, portfolio, schedule

from .helpers import check_schedule
from .test_memetic import tardy_shop
from .test_schedule import loaded_shop


def mid_sized_shop() -> Problem:
    """600 operations on 6 centres: the lead-time walks rebuild with the compiled builders."""
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
    return Problem(jobs, tuple(WorkCentre(f"M{m}", machines=1 + m % 2) for m in range(6)))


def _gives_up(fp, builder, hint, budget, **kw):
    """CP-SAT that cannot even confirm the dispatching schedule: the walks get the rest."""
    budget.take(0.25 * budget.left())
    return portfolio.SolveOutcome(hint, None, False, ["full:UNKNOWN"])


CASES = {
    # CP-SAT's full search, its LNS and the secondary phase (parallel machines: no tabu search)
    "parallel machines": (loaded_shop, Options(work_limit=0.3), False),
    # a short tabu search, CP-SAT's full search, then the memetic search beside CP-SAT's LNS
    "job shop, tardiness": (
        lambda: tardy_shop(10, 10, seed=2),
        Options(secondary="none", work_limit=0.5),
        False,
    ),
    # a larger shop: a short tabu search, CP-SAT's full search unhinted, then tabu and full search in turns
    "larger job shop, tardiness": (
        lambda: tardy_shop(15, 10, seed=3),
        Options(secondary="none", work_limit=0.5),
        False,
    ),
    # CP-SAT's full search, then the tabu search
    "job shop, makespan": (
        lambda: tardy_shop(15, 10, seed=1),
        Options(objective="makespan", work_limit=0.5),
        False,
    ),
    # the lead-time walks: serial rebuilds (a small shop), compiled Giffler-Thompson ones (a mid-sized one)
    "walks, serial": (loaded_shop, Options(work_limit=2.0), True),
    "walks, Giffler-Thompson": (mid_sized_shop, Options(secondary="none", work_limit=0.3), True),
}


def _placed(s) -> list[tuple]:
    return [(o.job, o.operation, o.work_centre, o.machine, o.start, o.end, o.mode) for o in s.operations]


@pytest.mark.parametrize("case", list(CASES))
def test_a_work_limit_gives_the_same_schedule_when_the_machine_is_busy(case, monkeypatch):
    # a thread hogging the interpreter beside the engine slows its Python parts down (the dispatching
    # rules, the walks, the model building) as a loaded machine would; with a work limit every search
    # counts its own work (CP-SAT's deterministic time, tabu moves, memetic children, rebuilds), so
    # the schedule must not change
    make, opts, walks = CASES[case]
    if walks:
        monkeypatch.setattr(portfolio, "improve", _gives_up)
    p = make()
    quiet = schedule(p, opts)
    check_schedule(p, quiet)
    stop = threading.Event()

    def busy() -> None:
        n = 0
        while not stop.is_set():
            n += 1

    hog = threading.Thread(target=busy, daemon=True)
    hog.start()
    try:
        loaded = schedule(p, opts)
    finally:
        stop.set()
        hog.join()
    assert _placed(loaded) == _placed(quiet)
    assert (loaded.method, loaded.status, loaded.bound) == (quiet.method, quiet.status, quiet.bound)
    if walks:
        assert "lead-time iteration" in quiet.method
    plain = schedule(p, Options(objective=opts.objective, secondary=opts.secondary, use_solver=False))
    better = (
        quiet.makespan < plain.makespan
        if opts.objective == "makespan"
        else quiet.weighted_tardiness < plain.weighted_tardiness
    )
    assert better, (quiet.method, quiet.weighted_tardiness, plain.weighted_tardiness)


def test_deterministic_means_a_work_limit_of_time_limit_units():
    p = loaded_shop()
    a = schedule(p, Options(time_limit=0.2, deterministic=True))
    b = schedule(p, Options(work_limit=0.2, time_limit=99))
    assert _placed(a) == _placed(b) and a.method == b.method
