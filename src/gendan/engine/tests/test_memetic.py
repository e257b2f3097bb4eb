"""The memetic search for weighted tardiness: decoding, crossover, the population, and its use."""

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.engine.scheduler import Job, Mode, Operation, Options, Problem, WorkCentre, schedule, tabu
from gendan.engine.scheduler.memetic import SIZE, crossover, decode
from gendan.engine.scheduler.searches import population

from .helpers import check_schedule, spy_on_solves
from .test_tabu import check_sequences, shops, start_from_rule


def sequences(a: tabu.Arrays, mp: np.ndarray, ms: np.ndarray, cur: np.ndarray) -> dict[int, list[int]]:
    """Machine -> its operations in sequence, walking the successor links from each first one."""
    out: dict[int, list[int]] = {}
    for i in range(len(mp)):
        if mp[i] < 0:
            seq = [i]
            while ms[seq[-1]] >= 0:
                seq.append(int(ms[seq[-1]]))
            out[int(a.am[cur[seq[0]]])] = seq
    return out


def tardy_shop(n_jobs: int, n_machines: int, seed: int) -> Problem:
    """A random job shop whose due dates are tight enough that many jobs are late."""
    rng = np.random.default_rng(seed)
    jobs = []
    for j in range(n_jobs):
        order = rng.permutation(n_machines)
        runs = rng.integers(1, 30, n_machines)
        ops = tuple(
            Operation(id=str(k), modes=(Mode(work_centre=f"M{m}", run=int(d)),))
            for k, (m, d) in enumerate(zip(order, runs, strict=True))
        )
        due = int(runs.sum() * 1.3)
        jobs.append(Job(id=f"J{j}", operations=ops, due=due, weight=int(rng.integers(1, 5))))
    return Problem(jobs=tuple(jobs), work_centres=tuple(WorkCentre(f"M{m}") for m in range(n_machines)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shops(), st.integers(0, 10_000))
def test_decoding_any_priorities_gives_acyclic_sequences_of_every_machines_operations(p, seed):
    tabu.ready(wait=True)
    fp, builder, start, _ = start_from_rule(p, "tardiness")
    a = tabu.arrays_from(fp, builder, start)
    prio = np.random.default_rng(seed).permutation(len(a.p))
    mp, ms = decode(a, prio, a.cur)
    seqs = sequences(a, mp, ms, a.cur)
    for machine, seq in seqs.items():
        assert sorted(seq) == sorted(i for i in range(len(a.p)) if a.am[a.cur[i]] == machine)
    assert sum(len(s) for s in seqs.values()) == len(a.p)
    # acyclic with the precedences: the tabu kernel computes heads, and the result checks out
    res = tabu.search(dataclasses.replace(a, mp=mp, ms=ms), 0.0, 1, seed=seed, max_iterations=1)
    assert res is not None
    check_sequences(fp, builder, a, res[1], res[2])


def test_decoding_follows_the_priorities_when_nothing_precedes():
    p = Problem(
        jobs=tuple(
            Job(id=f"J{j}", operations=(Operation(id="0", modes=(Mode("A", run=5),)),)) for j in range(5)
        ),
        work_centres=(WorkCentre("A"),),
    )
    fp, builder, start, _ = start_from_rule(p, "makespan")
    a = tabu.arrays_from(fp, builder, start)
    prio = np.array([3, 0, 4, 1, 2])
    mp, ms = decode(a, prio, a.cur)
    assert sequences(a, mp, ms, a.cur) == {int(a.am[a.cur[0]]): [1, 3, 4, 0, 2]}


@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 10_000))
def test_crossover_keeps_the_chosen_jobs_in_place_and_the_rest_in_the_other_parents_order(nj, per, seed):
    rng = np.random.default_rng(seed)
    jobs = np.repeat(np.arange(nj), per)
    n = len(jobs)
    s1 = rng.integers(0, 50, n)
    s2 = rng.integers(0, 50, n)
    keep = rng.random(nj) < 0.5
    order = crossover(s1, s2, jobs, keep)
    assert sorted(order.tolist()) == list(range(n))
    o1 = sorted(range(n), key=lambda i: (s1[i], i))
    o2 = sorted(range(n), key=lambda i: (s2[i], i))
    for pos, i in enumerate(o1):
        if keep[jobs[i]]:
            assert order[pos] == i
    assert [i for i in order.tolist() if not keep[jobs[i]]] == [i for i in o2 if not keep[jobs[i]]]


def test_population_improves_a_poor_start_deterministically_and_its_schedules_are_feasible():
    tabu.ready(wait=True)
    p = tardy_shop(8, 5, seed=3)
    fp, builder, start, value = start_from_rule(p, "tardiness")
    results = []
    for _ in range(2):
        pop = population(fp, builder, start, seed=11)
        pop.offer(value, np.array([start.start[o] for o in pop.a.ops]), pop.a.cur)
        pop.evolve(0.0, children=25)
        assert 2 <= len(pop.members) <= SIZE
        assert len({m.value for m in pop.members}) == len(pop.members)  # no two alike
        for m in pop.members:
            modes = (m.cur - pop.a.aptr[:-1]).tolist()
            assert check_sequences(fp, builder, pop.a, m.starts, modes)[1] == m.value
        results.append((pop.best.value, pop.best.starts.tolist()))
    assert results[0] == results[1]
    assert results[0][0] < value


def test_population_reaches_the_optimum_the_exact_search_proves():
    tabu.ready(wait=True)
    p = tardy_shop(6, 4, seed=7)
    exact = schedule(p, Options(objective="tardiness", secondary="none", work_limit=20.0))
    assert exact.status == "OPTIMAL"
    fp, builder, start, value = start_from_rule(p, "tardiness")
    assert value > exact.weighted_tardiness
    pop = population(fp, builder, start, seed=0)
    pop.offer(value, np.array([start.start[o] for o in pop.a.ops]), pop.a.cur)
    pop.evolve(0.0, children=40)
    assert pop.best.value == exact.weighted_tardiness


def test_engine_breeds_schedules_for_tardiness_on_a_job_shop():
    tabu.ready(wait=True)
    p = tardy_shop(10, 10, seed=2)
    s = schedule(p, Options(objective="tardiness", secondary="none", work_limit=1.0))
    check_schedule(p, s)
    assert "memetic" in s.method or s.status == "OPTIMAL"
    # makespan keeps the plain tabu search
    m = schedule(p, Options(objective="makespan", work_limit=1.0))
    assert "memetic" not in m.method


def test_the_full_search_starts_from_the_short_tabu_search(monkeypatch):
    # a 10x10 shop's full search starts from the short tabu search's schedule and proves the small
    # ones
    hints = spy_on_solves(monkeypatch)
    p = tardy_shop(10, 10, seed=2)
    s = schedule(p, Options(objective="tardiness", secondary="none", work_limit=0.5))
    check_schedule(p, s)
    assert hints[0] > 0
