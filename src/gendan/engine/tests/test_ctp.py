from gendan.engine.scheduler import (
    Frozen,
    Job,
    Mode,
    Operation,
    Options,
    Problem,
    SchedulingError,
    WorkCentre,
    capable_to_promise,
    schedule,
)

from .helpers import check_schedule


def op(id_, wc="A", run=10, **kw):
    return Operation(id=id_, modes=(Mode(work_centre=wc, run=run),), **kw)


def factory():
    jobs = (
        Job(id="O1", operations=(op("10", run=100),), due=100, weight=2),
        Job(id="O2", operations=(op("10", run=100), op("20", wc="B", run=10)), due=400, weight=1),
        Job(id="FZ", operations=(op("10", wc="B", run=50, frozen=Frozen(start=300, work_centre="B")),)),
    )
    p = Problem(jobs=jobs, work_centres=(WorkCentre("A"), WorkCentre("B")))
    return p, schedule(p, Options(use_solver=False))


def new_order(release_sub=0):
    sub = Job(id="NEW-SUB", operations=(op("10", wc="B", run=20),), release=release_sub)
    top = Job(id="NEW", operations=(op("10", run=30),), predecessors=("NEW-SUB",))
    return [sub, top]


def test_fits_in_free_capacity():
    p, s = factory()
    ans = capable_to_promise(p, s, new_order(), requested=500, with_schedule=True)
    assert ans.possible and ans.without_delaying_others
    assert ans.earliest_free == 230  # A is busy until 200, sub-assembly done at 20
    assert ans.impacts == () and ans.limits is None
    check_schedule(Problem(jobs=p.jobs + tuple(new_order()), work_centres=p.work_centres), ans.schedule)
    frozen = next(o for o in ans.schedule.operations if o.job == "FZ")
    assert (frozen.start, frozen.end) == (300, 350)


def test_squeezing_in_delays_others():
    p, s = factory()
    ans = capable_to_promise(p, s, new_order(), requested=60)
    assert ans.possible and not ans.without_delaying_others
    assert ans.earliest == 50  # sub-assembly on B 0-20, assembly on A 20-50
    assert [i.job for i in ans.impacts] == ["O1"]
    assert ans.impacts[0].tardiness_after > ans.impacts[0].tardiness_before
    assert ans.limits is not None and ans.limits.kind == "work_centre" and ans.limits.work_centre == "A"


def test_impossible_because_of_material():
    p, s = factory()
    ans = capable_to_promise(p, s, new_order(release_sub=1000), requested=500)
    assert not ans.possible
    assert ans.earliest == 1050
    assert ans.limits.kind == "material" and ans.limits.job == "NEW-SUB"


def test_duplicate_id_is_an_error():
    p, s = factory()
    try:
        capable_to_promise(p, s, [Job(id="O1", operations=(op("10"),))], requested=10)
    except SchedulingError as exc:
        assert exc.job == "O1"
    else:  # pragma: no cover
        raise AssertionError("expected SchedulingError")
