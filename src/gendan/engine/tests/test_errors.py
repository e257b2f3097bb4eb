import pytest

from gendan.engine.scheduler import (
    Calendar,
    Job,
    Mode,
    Operation,
    Options,
    Problem,
    SchedulingError,
    WorkCentre,
    schedule,
)

FAST = Options(use_solver=False)


def op(id_, wc="A", run=10, **kw):
    return Operation(id=id_, modes=(Mode(work_centre=wc, run=run),), **kw)


def test_operation_no_work_centre_can_do():
    p = Problem(
        jobs=(Job(id="J1", operations=(op("10"), op("20", wc="NOPE"))),), work_centres=(WorkCentre("A"),)
    )
    with pytest.raises(SchedulingError) as ei:
        schedule(p, FAST)
    assert ei.value.job == "J1" and ei.value.operation == "20"
    assert "NOPE" in str(ei.value) and "J1" in str(ei.value)


def test_calendar_without_working_time():
    p = Problem(
        jobs=(Job(id="J1", operations=(op("10"),)),),
        work_centres=(WorkCentre("A", calendar=Calendar.from_intervals([])),),
    )
    with pytest.raises(SchedulingError) as ei:
        schedule(p, FAST)
    assert (ei.value.job, ei.value.operation) == ("J1", "10")
    assert "no working time" in str(ei.value)


def test_precedence_cycle_inside_job():
    p = Problem(
        jobs=(Job(id="J1", operations=(op("a", after=("b",)), op("b", after=("a",)))),),
        work_centres=(WorkCentre("A"),),
    )
    with pytest.raises(SchedulingError) as ei:
        schedule(p, FAST)
    assert ei.value.job == "J1" and ei.value.operation in ("a", "b")
    assert "cycle" in str(ei.value)


def test_precedence_cycle_between_jobs():
    p = Problem(
        jobs=(
            Job(id="J1", operations=(op("a"),), predecessors=("J2",)),
            Job(id="J2", operations=(op("b"),), predecessors=("J1",)),
        ),
        work_centres=(WorkCentre("A"),),
    )
    with pytest.raises(SchedulingError, match="cycle") as ei:
        schedule(p, FAST)
    assert ei.value.job in ("J1", "J2")


@pytest.mark.parametrize(
    "job",
    [
        Job(id="J1", operations=(op("10", run=-5),)),
        Job(id="J1", operations=(Operation("10", (Mode("A", run=5, setup=-1),)),)),
        Job(id="J1", operations=(op("10"),), release=-3),
        Job(id="J1", operations=(op("10"),), due=-1),
    ],
)
def test_negative_times(job):
    p = Problem(jobs=(job,), work_centres=(WorkCentre("A"),))
    with pytest.raises(SchedulingError, match=">= 0") as ei:
        schedule(p, FAST)
    assert ei.value.job == "J1"


def test_unknown_predecessor_and_non_splittable_too_long():
    p = Problem(jobs=(Job(id="J1", operations=(op("10", after=("x",)),)),), work_centres=(WorkCentre("A"),))
    with pytest.raises(SchedulingError, match="unknown operation"):
        schedule(p, FAST)
    cal = Calendar.from_intervals([(0, 60), (100, 160)])
    p = Problem(
        jobs=(Job(id="J1", operations=(op("10", run=90, splittable=False),)),),
        work_centres=(WorkCentre("A", calendar=cal),),
    )
    with pytest.raises(SchedulingError) as ei:
        schedule(p, FAST)
    assert ei.value.operation == "10" and "not splittable" in str(ei.value)


def test_calendar_too_short_is_a_clear_error_not_a_traceback():
    cal = Calendar.from_intervals([(0, 60)])
    p = Problem(
        jobs=(Job(id="J1", operations=(op("10", run=50), op("20", run=50))),),
        work_centres=(WorkCentre("A", calendar=cal),),
    )
    with pytest.raises(SchedulingError) as ei:
        schedule(p, Options(work_limit=1))
    assert ei.value.operation == "20"
