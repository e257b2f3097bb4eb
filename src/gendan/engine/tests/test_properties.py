"""Property tests: every schedule returned respects precedence, capacity, calendars and frozen work."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.engine.scheduler import (
    Calendar,
    Frozen,
    Job,
    Mode,
    Operation,
    Options,
    Problem,
    SchedulingError,
    WorkCentre,
    schedule,
)

from .helpers import check_schedule


@st.composite
def calendars(draw):
    if draw(st.booleans()):
        return Calendar.continuous()
    # working periods of 60..480 min separated by gaps of 10..900 min
    t = draw(st.integers(0, 120))
    ivs = []
    for _ in range(draw(st.integers(40, 80))):
        ln = draw(st.integers(60, 480))
        ivs.append((t, t + ln))
        t += ln + draw(st.integers(10, 900))
    return Calendar.from_intervals(ivs)


@st.composite
def problems(draw, max_people: int = 1, free_machine: bool = False):
    """Small random problems; ``max_people``: people per mode up to this; ``free_machine``: frozen
    operations may leave their machine to the builder."""
    n_wc = draw(st.integers(1, 4))
    cals = [draw(calendars()) for _ in range(draw(st.integers(1, 2)))]
    wcs = []
    for w in range(n_wc):
        machines = draw(st.integers(1, 3))
        head = draw(st.sampled_from([None, None, 1, 2]))
        wcs.append(
            WorkCentre(f"W{w}", machines=machines, calendar=draw(st.sampled_from(cals)), headcount=head)
        )
    jobs = []
    frozen_used: dict[str, int] = {}
    for j in range(draw(st.integers(1, 6))):
        ops = []
        for k in range(draw(st.integers(1, 4))):
            wc_ids = draw(st.lists(st.integers(0, n_wc - 1), min_size=1, max_size=2, unique=True))
            modes = tuple(
                Mode(
                    f"W{w}",
                    run=draw(st.integers(0, 50)),
                    setup=draw(st.integers(0, 10)),
                    people=draw(st.integers(1, max_people)),
                )
                for w in wc_ids
            )
            frozen = None
            if k == 0 and draw(st.integers(0, 5)) == 0:
                wc = f"W{wc_ids[0]}"
                if wc not in frozen_used:  # one frozen op per centre: never overlapping
                    frozen_used[wc] = 1
                    s0 = wcs[wc_ids[0]].calendar.next_working(draw(st.integers(0, 300)))
                    machine = draw(st.sampled_from([0, None])) if free_machine else 0
                    frozen = Frozen(start=s0, work_centre=wc, machine=machine)
            ops.append(
                Operation(
                    id=f"o{k}",
                    modes=modes,
                    splittable=draw(st.booleans()) or frozen is not None,
                    frozen=frozen,
                )
            )
        preds: tuple[str, ...] = ()
        if j > 0 and draw(st.booleans()):
            preds = (f"J{draw(st.integers(0, j - 1))}",)
        jobs.append(
            Job(
                id=f"J{j}",
                operations=tuple(ops),
                release=draw(st.integers(0, 500)),
                due=draw(st.one_of(st.none(), st.integers(0, 3000))),
                weight=draw(st.integers(1, 5)),
                predecessors=preds,
            )
        )
    return Problem(jobs=tuple(jobs), work_centres=tuple(wcs), now=draw(st.integers(0, 60)))


def _run(p: Problem, opts: Options) -> None:
    try:
        s = schedule(p, opts)
    except SchedulingError as exc:  # e.g. a non-splittable op longer than any working period
        assert exc.job is not None
        return
    check_schedule(p, s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(["tardiness", "makespan"]))
def test_dispatch_schedules_are_feasible(p, objective):
    _run(p, Options(objective=objective, use_solver=False))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(["makespan", "wip", "none"]))
def test_solver_schedules_are_feasible(p, secondary):
    _run(p, Options(secondary=secondary, work_limit=0.3))
