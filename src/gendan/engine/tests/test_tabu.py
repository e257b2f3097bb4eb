"""The tabu search on machine sequences (makespan and weighted tardiness) and when the engine uses it."""

import itertools

import numpy as np
import pytest
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
    WorkCentre,
    schedule,
    tabu,
    tabu_kernel,
)
from gendan.engine.scheduler.cpmodel import CpModelBuilder, make_coords
from gendan.engine.scheduler.flat import flatten
from gendan.engine.scheduler.rules import dispatch

from .helpers import check_schedule, single_machine_tardiness, spy_on_solves
from .test_schedule import FT06


def op(id_, wc="A", run=10, **kw):
    return Operation(id=id_, modes=(Mode(work_centre=wc, run=run),), **kw)


def job_shop(rows, **job_kw) -> Problem:
    jobs = tuple(
        Job(
            id=f"J{j}",
            operations=tuple(op(str(k), wc=f"M{m}", run=d) for k, (m, d) in enumerate(r)),
            **job_kw,
        )
        for j, r in enumerate(rows)
    )
    machines = sorted({m for r in rows for m, _ in r})
    return Problem(jobs=jobs, work_centres=tuple(WorkCentre(f"M{m}") for m in machines))


def start_from_rule(p: Problem, objective: str):
    """A deliberately poor start (order by order for makespan, most work remaining first for
    tardiness) in the engine's model coordinates."""
    fp = flatten(p)
    sol, met, _ = dispatch(fp, objective, "none", rules=("edd",) if objective == "makespan" else ("mwkr",))
    builder = CpModelBuilder(fp, make_coords(fp), objective, "none")
    value = met.makespan if objective == "makespan" else met.twt
    return fp, builder, builder.from_schedule(sol, value), value


def check_sequences(fp, builder, arrays, starts, modes) -> tuple[int, int]:
    """Independent check of a tabu result: precedence, release, one operation at a time per machine.
    Returns (makespan, weighted tardiness) of the starts."""
    end = {}
    for i, o in enumerate(arrays.ops):
        assert starts[i] >= builder.earliest[o]
        end[o] = int(starts[i]) + builder.sizes[o][modes[i]]
    for i, o in enumerate(arrays.ops):
        for q in fp.op_preds[o]:
            assert end[q] <= starts[i], (o, q)
    by_machine: dict[int, list[tuple[int, int]]] = {}
    for i, o in enumerate(arrays.ops):
        wc = fp.op_modes[o][modes[i]].wc
        by_machine.setdefault(wc, []).append((int(starts[i]), end[o]))
    for slots in by_machine.values():
        slots.sort()
        for (_, e1), (s2, _) in itertools.pairwise(slots):
            assert e1 <= s2
    twt = 0
    for j in range(len(fp.job_ids)):
        if fp.job_due[j] is not None:
            c = max(end[o] for o in fp.job_sinks[j])
            twt += fp.job_weight[j] * max(0, c - fp.job_due[j])
    return max(end.values()), twt


def test_state_layout_agrees_with_the_kernel():
    names = ("IT", "BEST", "NOIMP", "CUR", "TPTR", "DONE", "BASE", "MAXNOIMP", "KIND", "FLEX", "EXACT")
    assert [getattr(tabu, x) for x in names] == [getattr(tabu_kernel, x) for x in names]
    assert tabu.TABU_SLOTS == tabu_kernel.SLOTS


def test_reaches_the_ft06_optimum_from_a_poor_start_and_proves_nothing_wrong():
    tabu.ready(wait=True)
    fp, builder, start, value = start_from_rule(job_shop(FT06), "makespan")
    assert value > 55
    arrays = tabu.arrays_from(fp, builder, start)
    best, starts, modes, _ = tabu.search(arrays, 0.0, 1, seed=0, max_iterations=30_000)
    assert best == 55
    assert check_sequences(fp, builder, arrays, starts, modes)[0] == 55


def test_deterministic_with_an_iteration_budget():
    tabu.ready(wait=True)
    fp, builder, start, _ = start_from_rule(job_shop(FT06), "makespan")
    arrays = tabu.arrays_from(fp, builder, start)
    runs = [tabu.search(arrays, 0.0, 1, seed=3, max_iterations=500) for _ in range(2)]
    assert runs[0][0] == runs[1][0] and list(runs[0][1]) == list(runs[1][1]) and runs[0][2] == runs[1][2]


def test_single_machine_weighted_tardiness_matches_brute_force():
    tabu.ready(wait=True)
    data = [("a", 4, 5, 3), ("b", 3, 6, 1), ("c", 7, 8, 2), ("d", 2, 4, 5), ("e", 5, 20, 1), ("f", 6, 9, 4)]
    p, optimum = single_machine_tardiness(data)
    fp, builder, start, value = start_from_rule(p, "tardiness")
    assert value > optimum
    arrays = tabu.arrays_from(fp, builder, start)
    best, starts, modes, _ = tabu.search(arrays, 0.0, 1, seed=0, max_iterations=20_000)
    assert best == optimum
    assert check_sequences(fp, builder, arrays, starts, modes)[1] == optimum


@st.composite
def shops(draw):
    """Random (flexible) job shops with release dates, due dates and sub-assemblies (jobs preceding
    jobs)."""
    n_m = draw(st.integers(2, 5))
    flexible = draw(st.booleans())
    jobs = []
    for j in range(draw(st.integers(2, 7))):
        machines = draw(st.permutations(range(n_m)))[: draw(st.integers(1, n_m))]
        ops = []
        for k, m in enumerate(machines):
            alts = [m] + ([(m + 1) % n_m] if flexible and draw(st.booleans()) else [])
            modes = tuple(Mode(work_centre=f"M{x}", run=draw(st.integers(1, 30))) for x in alts)
            ops.append(Operation(id=f"o{k}", modes=modes))
        preds = (f"J{draw(st.integers(0, j - 1))}",) if j and draw(st.booleans()) else ()
        jobs.append(
            Job(
                id=f"J{j}",
                operations=tuple(ops),
                release=draw(st.integers(0, 40)),
                due=draw(st.integers(0, 150)),
                weight=draw(st.integers(1, 5)),
                predecessors=preds,
            )
        )
    return Problem(jobs=tuple(jobs), work_centres=tuple(WorkCentre(f"M{m}") for m in range(n_m)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shops(), st.sampled_from(["makespan", "tardiness"]), st.integers(0, 1000))
def test_results_are_feasible_and_never_worse_than_the_start(p, objective, seed):
    tabu.ready(wait=True)
    fp, builder, start, value = start_from_rule(p, objective)
    arrays = tabu.arrays_from(fp, builder, start)
    best, starts, modes, proven = tabu.search(arrays, 0.0, 1, seed=seed, max_iterations=300)
    makespan, twt = check_sequences(fp, builder, arrays, starts, modes)
    assert best == (makespan if objective == "makespan" else twt)
    assert best <= value
    if proven and objective == "tardiness":
        assert best == 0


def test_flexible_job_shop_reaches_the_optimum_by_changing_work_centres():
    tabu.ready(wait=True)
    # three machines; every operation may run on two of them, at different speeds
    rows = [[(0, 4, 1, 6), (1, 3, 2, 5), (2, 6, 0, 4)], [(1, 5, 2, 3), (0, 6, 2, 7), (2, 2, 1, 5)],
            [(2, 4, 0, 5), (0, 3, 1, 4), (1, 6, 2, 6)], [(0, 5, 1, 3), (2, 4, 1, 6), (1, 3, 0, 3)]]  # fmt: skip
    jobs = tuple(
        Job(
            id=f"J{j}",
            operations=tuple(
                Operation(id=str(k), modes=(Mode(f"M{a}", run=da), Mode(f"M{b}", run=db)))
                for k, (a, da, b, db) in enumerate(r)
            ),
        )
        for j, r in enumerate(rows)
    )
    p = Problem(jobs=jobs, work_centres=tuple(WorkCentre(f"M{m}") for m in range(3)))
    exact = schedule(p, Options(objective="makespan", work_limit=5.0))
    assert exact.status == "OPTIMAL"
    fp, builder, start, value = start_from_rule(p, "makespan")
    assert value > exact.makespan
    arrays = tabu.arrays_from(fp, builder, start)
    best, starts, modes, _ = tabu.search(arrays, 0.0, 1, seed=0, max_iterations=20_000)
    assert best == exact.makespan
    assert check_sequences(fp, builder, arrays, starts, modes)[0] == best
    assert any(m != start.mode[o] for o, m in zip(arrays.ops, modes, strict=True))


def test_engine_uses_it_for_job_shops_and_not_where_the_graph_is_not_exact():
    rows = [[(m, 5 + (3 * j + 7 * m) % 11) for m in ((j + k) % 4 for k in range(4))] for j in range(8)]
    p = job_shop(rows)
    s = schedule(p, Options(objective="makespan", work_limit=1.0))
    check_schedule(p, s)
    assert "tabu" in s.method or s.status == "OPTIMAL"

    # a calendar with breaks and an operation that must not be split: the graph cannot express it
    cal = Calendar.from_intervals([(k * 600, k * 600 + 480) for k in range(200)])
    jobs = list(p.jobs)
    jobs[0] = Job(id="J0", operations=(op("0", wc="M0", run=200, splittable=False),) + jobs[0].operations[1:])
    p2 = Problem(jobs=tuple(jobs), work_centres=tuple(WorkCentre(f"M{m}", calendar=cal) for m in range(4)))
    fp, builder, _, _ = start_from_rule(p2, "makespan")
    assert not tabu.applicable(fp, builder)
    # parallel machines and frozen work are left to CP-SAT as well
    p3 = Problem(jobs=p.jobs, work_centres=(WorkCentre("M0", machines=2),) + p.work_centres[1:])
    fp, builder, _, _ = start_from_rule(p3, "makespan")
    assert not tabu.applicable(fp, builder)
    frozen = Job(id="F", operations=(op("0", wc="M1", run=5, frozen=Frozen(start=0, work_centre="M1")),))
    p4 = Problem(jobs=p.jobs + (frozen,), work_centres=p.work_centres)
    fp, builder, _, _ = start_from_rule(p4, "makespan")
    assert not tabu.applicable(fp, builder)
    # the same job shop with calendars whose operations may be split is exact in working minutes
    p5 = Problem(jobs=p.jobs, work_centres=tuple(WorkCentre(f"M{m}", calendar=cal) for m in range(4)))
    fp, builder, _, _ = start_from_rule(p5, "makespan")
    assert tabu.applicable(fp, builder)
    s5 = schedule(p5, Options(objective="makespan", work_limit=1.0))
    check_schedule(p5, s5)


# an assembly routing: 1 feeds 2 and 3, which both feed 4; 8 and 9 both follow 7 (two last operations)
ASSEMBLY = {2: ("1",), 3: ("1",), 4: ("2", "3"), 8: ("7",), 9: ("7",)}


def larger_tardy_shop(seed: int, assembly: bool = False) -> Problem:
    """15 jobs on 10 machines (150 operations: above tabu.ESTIMATE_ABOVE), due dates tight enough that
    most jobs are late."""
    rng = np.random.default_rng(seed)
    jobs = []
    for j in range(15):
        order = rng.permutation(10)
        runs = rng.integers(1, 40, 10)
        ops = tuple(
            op(str(k), wc=f"M{m}", run=int(d), after=ASSEMBLY.get(k) if assembly else None)
            for k, (m, d) in enumerate(zip(order, runs, strict=True))
        )
        jobs.append(
            Job(id=f"J{j}", operations=ops, due=int(runs.sum() * 1.3), weight=int(rng.integers(1, 5)))
        )
    return Problem(jobs=tuple(jobs), work_centres=tuple(WorkCentre(f"M{m}") for m in range(10)))


class Tails:
    """The tabu kernel's job tails of a larger shop's dispatching schedule (tabu_estimates)."""

    def __init__(self, shop: Problem):
        fp, builder, start, self.value = start_from_rule(shop, "tardiness")
        a = self.a = tabu.arrays_from(fp, builder, start)
        self.n, self.nj = n, nj = len(a.p), len(a.jptr) - 1
        self.g = (a.p, a.lb, a.pptr, a.pidx, a.sptr, a.sidx, a.jptr, a.jsink, a.due, a.weight)
        self.w = tuple(np.zeros(n, np.int64) for _ in range(4)) + (np.zeros(nj, np.int64),)
        self.sinkjob = np.full(n, -1, np.int64)
        for j in range(nj):
            self.sinkjob[a.jsink[a.jptr[j] : a.jptr[j + 1]]] = j
        self.dirty = np.zeros(n, np.int64)

    def evaluate(self, mp, ms) -> int:
        return tabu_kernel.ev(1, self.g, mp, ms, self.w)

    def tails(self, ms, tl=None, stamp=0, after=(-1, -1, -1)) -> np.ndarray:
        """All job tails of the sequences just evaluated, or (after: a, u, v) those after a swap."""
        if tl is None:
            tl = np.zeros((self.n + 2) * self.nj, np.int64)  # two rows more: unreachable, scratch
        a = self.a
        order = self.w[2]
        tabu_kernel.job_tails(
            a.p, a.sptr, a.sidx, ms, order, self.sinkjob, self.nj, tl, self.dirty, stamp, *after
        )
        return tl


@pytest.mark.parametrize(("seed", "assembly"), [(1, False), (2, False), (3, False), (1, True), (2, True)])
def test_tardiness_estimate_of_a_swap_is_exact_or_below(seed, assembly):
    """The estimate (heads and job tails) never exceeds the swap's exact weighted tardiness, and is
    exact where no job's longest path ran through the two operations swapped."""
    tabu.ready(wait=True)
    t = Tails(larger_tardy_shop(seed, assembly))
    a, n, nj = t.a, t.n, t.nj
    assert t.evaluate(a.mp, a.ms) == t.value
    r, cj = t.w[0].copy(), t.w[4].copy()
    tl = t.tails(a.ms)
    exact_count = 0
    for u in range(n):
        v = int(a.ms[u])
        if v < 0:
            continue
        mp, ms = a.mp.copy(), a.ms.copy()
        tabu_kernel.swap(mp, ms, u, v)
        exact = t.evaluate(mp, ms)
        if exact < 0:  # another path from u to v: the swap would close a cycle
            continue
        est = np.zeros(1, np.int64)
        tabu_kernel.estimates_twt(t.g, a.mp, a.ms, r, cj, tl, t.sinkjob, np.array([u]), 1, est)
        assert est[0] <= exact
        through = any(
            (tl[x * nj + j] >= 0 and r[x] + tl[x * nj + j] == cj[j]) for x in (u, v) for j in range(nj)
        )
        if not through:
            assert est[0] == exact
            exact_count += 1
    assert exact_count > 0


@pytest.mark.parametrize("assembly", [False, True])
def test_job_tails_after_a_swap_are_those_computed_afresh(assembly):
    """The tabu search updates the job tails after each swap only where they can have changed: after
    any series of swaps they equal the tails computed from nothing, and fewer rows changed than all."""
    tabu.ready(wait=True)
    t = Tails(larger_tardy_shop(5, assembly))
    mp, ms = t.a.mp.copy(), t.a.ms.copy()
    t.evaluate(mp, ms)
    tl = t.tails(ms)
    rng = np.random.default_rng(7)
    swaps = changed = 0
    for stamp in range(1, 400):
        u = int(rng.integers(t.n))
        v = int(ms[u])
        if v < 0:
            continue
        tabu_kernel.swap(mp, ms, u, v)
        if t.evaluate(mp, ms) < 0:
            tabu_kernel.swap(mp, ms, v, u)
            t.evaluate(mp, ms)
            continue
        t.tails(ms, tl, stamp, (int(mp[v]), u, v))
        assert (tl[: t.n * t.nj] == t.tails(ms)[: t.n * t.nj]).all()
        swaps += 1
        changed += int((t.dirty == stamp).sum())
    assert swaps > 100
    assert 0 < changed < swaps * t.n / 2


def test_estimated_search_on_a_larger_shop_is_feasible_deterministic_and_improves():
    tabu.ready(wait=True)
    fp, builder, start, value = start_from_rule(larger_tardy_shop(4), "tardiness")
    arrays = tabu.arrays_from(fp, builder, start)
    assert len(arrays.p) > tabu.ESTIMATE_ABOVE
    runs = [tabu.search(arrays, 0.0, 1, seed=5, max_iterations=3_000) for _ in range(2)]
    best, starts, modes, _ = runs[0]
    assert runs[1][0] == best and list(runs[1][1]) == list(starts)
    assert check_sequences(fp, builder, arrays, starts, modes)[1] == best
    assert best < value


def test_engine_breeds_schedules_with_estimated_moves_for_tardiness_on_a_larger_shop(monkeypatch):
    # above ESTIMATE_ABOVE operations the memetic search's children are tabu-searched with estimated
    # moves (one exact evaluation a move), after the full search hinted with the short tabu search's
    # schedule, as on smaller shops
    hints = spy_on_solves(monkeypatch)
    exact: list[int] = []
    real_search = tabu.search

    def search(a, *args, **kwargs):
        n, jobs = len(a.p), len(a.jptr) - 1
        exact.append(n <= tabu.ESTIMATE_ABOVE or jobs > tabu.ESTIMATE_MAX_JOBS)
        return real_search(a, *args, **kwargs)

    monkeypatch.setattr(tabu, "search", search)
    p = larger_tardy_shop(6)
    s = schedule(p, Options(objective="tardiness", secondary="none", work_limit=1.0))
    check_schedule(p, s)
    assert "memetic" in s.method
    assert len(exact) > 2 and not any(exact)
    assert hints[0] > 0
    plain = schedule(p, Options(objective="tardiness", secondary="none", use_solver=False))
    assert s.weighted_tardiness < plain.weighted_tardiness
