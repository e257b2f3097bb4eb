"""The compiled schedule builders build exactly the schedules of the Python ones."""

import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gendan.engine.scheduler import (
    Calendar,
    Job,
    Mode,
    Operation,
    Problem,
    SchedulingError,
    WorkCentre,
    fastbuild,
    sgs,
)
from gendan.engine.scheduler.flat import flatten
from gendan.engine.scheduler.threads import Loader

from .test_properties import problems


@pytest.fixture(scope="module", autouse=True)
def kernel():
    fastbuild.ready(wait=True)  # compiles it the first time after installation (a few seconds)


def _flat(p):
    try:
        return flatten(p)
    except SchedulingError:  # e.g. a mode needing more people than its centre has
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_people=2, free_machine=True), st.randoms(use_true_random=False), st.booleans())
def test_compiled_builder_builds_the_python_builders_schedule(p, rnd, force_modes):
    fp = _flat(p)
    assume(fp is not None)
    key = [rnd.random() for _ in range(fp.n_ops)]
    modes = [rnd.randrange(len(fp.op_modes[o])) for o in range(fp.n_ops)] if force_modes else None
    try:
        expected = sgs.build_python(fp, key, modes)
    except SchedulingError as exc:  # runs past the end of a calendar: the same error, same operation
        with pytest.raises(SchedulingError) as got:
            fastbuild.build(fp, key, modes)
        assert (got.value.job, got.value.operation) == (exc.job, exc.operation)
        return
    assert sgs.Sol(*fastbuild.build(fp, key, modes)) == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_people=2, free_machine=True), st.randoms(use_true_random=False))
def test_compiled_giffler_thompson_builder_builds_the_python_ones_schedule(p, rnd):
    fp = _flat(p)
    assume(fp is not None)
    key = rnd.sample(range(fp.n_ops), fp.n_ops)  # no ties (dispatching keys never tie)
    try:
        expected = sgs.build_gt_python(fp, key)
    except SchedulingError:  # the operation named may differ: both look at ready ones in their order
        with pytest.raises(SchedulingError):
            fastbuild.build_gt(fp, key)
        return
    assert sgs.Sol(*fastbuild.build_gt(fp, key)) == expected


def test_an_operation_past_the_end_of_the_calendar_is_named():
    cal = Calendar.from_intervals([(0, 100)])
    ops = (Operation("cut", (Mode("saw", 60),)), Operation("drill", (Mode("saw", 60),)))
    fp = flatten(Problem((Job("J7", ops),), (WorkCentre("saw", calendar=cal),)))
    with pytest.raises(SchedulingError, match="extend them") as err:
        fastbuild.build(fp, [0, 1])
    assert (err.value.job, err.value.operation) == ("J7", "drill")


def test_large_problems_are_built_by_the_compiled_builder(monkeypatch):
    big = Problem(
        (Job("J", tuple(Operation(f"o{k}", (Mode("A", 5),)) for k in range(fastbuild.MIN_OPS))),),
        (WorkCentre("A", machines=2),),
    )
    fp = flatten(big)
    calls = []
    monkeypatch.setattr(sgs, "build_python", lambda *a: calls.append(a))
    sol = sgs.build(fp, list(range(fp.n_ops)))
    assert not calls
    assert sol.end[-1] == 5 * fastbuild.MIN_OPS  # one chain: back to back


def test_a_caller_can_wait_a_bounded_time_for_the_compiled_builder(monkeypatch):
    # loading it beside a thread busy in Python takes many seconds (it hardly gets the GIL), so the
    # engine waits for it a little instead of building slowly in the meantime
    monkeypatch.setattr(fastbuild, "_KERNEL", Loader(lambda: time.sleep(0.3), "slow-load"))
    assert fastbuild.ready(up_to=0.01) is False  # loading has started, not finished
    assert fastbuild.ready(up_to=2.0) is True
    assert fastbuild.ready() is True


def test_waiting_for_the_compiled_builder_leaves_the_dispatching_rules_their_share(monkeypatch):
    # the Giffler-Thompson builds of mid-sized problems need their 30 % of the time; a slow load of
    # the compiled builder must not eat into it
    from gendan.engine.scheduler import engine, portfolio

    waited = []

    def slow_ready(wait=False, up_to=0.0):
        waited.append(up_to)
        time.sleep(up_to)
        return False

    budgets = []

    def dispatch(fp, objective, secondary, *, deadline, **kw):
        budgets.append(deadline - time.monotonic())
        raise RuntimeError("stop here")

    monkeypatch.setattr(fastbuild, "ready", slow_ready)
    monkeypatch.setattr(portfolio, "dispatch", dispatch)
    big = Problem(
        (Job("J", tuple(Operation(f"o{k}", (Mode("A", 5),)) for k in range(fastbuild.MIN_OPS))),),
        (WorkCentre("A", machines=2),),
    )
    with pytest.raises(RuntimeError, match="stop here"):
        engine.schedule(big, engine.Options(time_limit=5.0))
    assert waited == [0.5]
    assert budgets[0] > 0.3 * (5.0 - 0.5) - 0.2  # 30 % of what is left after the wait
