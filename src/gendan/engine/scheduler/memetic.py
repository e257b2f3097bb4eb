"""A small memetic search for weighted tardiness on job-shop-like problems: a population of tabu-
searched schedules, recombined job by job.

One long tabu search follows one valley of the landscape; on the 10x10 JSPTWT instances it stays in
a good but wrong one in many runs. Following the genetic algorithm with tabu search of Gonzalez,
Vela and Varela for this problem, the engine keeps ten schedules instead of one: a child takes the
order of the operations of a random half of the jobs from one parent and fills in the others'
operations in the order of the second parent (job order crossover), and a short tabu search (MOVES
moves) then improves it; it replaces the worst schedule of the population if it is better and its
weighted tardiness is not there yet (a cheap guard against the population collapsing into copies of
one schedule). On the instances where the tabu search alone had been worse than the direct CP-SAT
model it does clearly better (bench/README.md).

A schedule is a topological order of the operations (their order by start time); decoding one back
into machine sequences appends every operation to its machine's sequence in that order, which can
never form a cycle. Plain numpy and the tabu kernel; no Django, no solver.
"""

from __future__ import annotations

import dataclasses
import heapq
import time

import numpy as np

from . import tabu

SIZE = 10  # schedules kept
MOVES = 2_000  # tabu moves per child


@dataclasses.dataclass
class Individual:
    value: int
    starts: np.ndarray  # per local operation (of the tabu arrays)
    cur: np.ndarray  # alternative chosen per local operation (index into Arrays.am / ad)


class Population:
    """Schedules of one problem (as the tabu search sees it: :class:`~.tabu.Arrays`), improved by
    :meth:`evolve` and fed from outside by :meth:`offer` (the best of CP-SAT's search, say)."""

    def __init__(self, a: tabu.Arrays, jobs: np.ndarray, seed: int) -> None:
        self.a = a
        self.jobs = jobs  # job of every local operation, numbered 0..k-1
        self.n_jobs = int(jobs.max()) + 1 if len(jobs) else 0
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.members: list[Individual] = []
        self.children = 0
        self.proven = False  # a schedule without tardiness: nothing left to improve

    @property
    def best(self) -> Individual | None:
        return min(self.members, key=lambda m: m.value, default=None)

    def offer(self, value: int, starts: np.ndarray, cur: np.ndarray) -> None:
        """A schedule found elsewhere: it joins if it is better than the worst (or there is room)."""
        self._admit(Individual(int(value), np.asarray(starts, np.int64), np.asarray(cur, np.int64)))

    def evolve(self, deadline: float, children: int | None = None) -> None:
        """Breed until ``deadline`` (or, given ``children``, that many children). The population is
        first filled up with random schedules, each improved by a tabu search."""
        made = 0
        while not self.proven and (children is None or made < children):
            if children is None and time.monotonic() >= deadline:
                break
            if len(self.members) < SIZE:
                order = self.rng.permutation(len(self.a.p))
                best = self.best
                base = best.cur if best is not None else self.a.cur
                child = self._improve(order, base)
            else:
                i, j = self.rng.choice(len(self.members), 2, replace=False)
                child = self._improve(*self._cross(self.members[i], self.members[j]))
            made += 1
            if child is not None:
                self._admit(child)

    def _admit(self, ind: Individual) -> None:
        if ind.value == 0:
            self.proven = True
        if any(m.value == ind.value for m in self.members):
            return
        if len(self.members) < SIZE:
            self.members.append(ind)
            return
        worst = max(range(len(self.members)), key=lambda k: self.members[k].value)
        if ind.value < self.members[worst].value:
            self.members[worst] = ind

    def _cross(self, p1: Individual, p2: Individual) -> tuple[np.ndarray, np.ndarray]:
        keep = self.rng.random(self.n_jobs) < 0.5
        order = crossover(p1.starts, p2.starts, self.jobs, keep)
        return order, np.where(keep[self.jobs], p1.cur, p2.cur)

    def _improve(self, order: np.ndarray, cur: np.ndarray) -> Individual | None:
        a = self.a
        prio = np.empty(len(order), np.int64)
        prio[order] = np.arange(len(order))
        mp, ms = decode(a, prio, cur)
        self.children += 1
        start = dataclasses.replace(a, mp=mp, ms=ms, cur=cur, p=a.ad[cur])
        res = tabu.search(start, 0.0, 1, self.seed + self.children, MOVES)
        if res is None:
            return None
        value, starts, modes, _ = res
        return Individual(value, starts, a.aptr[:-1] + np.asarray(modes, np.int64))


def crossover(s1: np.ndarray, s2: np.ndarray, jobs: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Job order crossover of two schedules given by their start times: the operations of the jobs
    with ``keep`` keep their places in the order of the first; the other places take the other
    operations in the order of the second. Ties in start time go by operation index."""
    idx = np.arange(len(jobs))
    o1 = np.lexsort((idx, s1))
    o2 = np.lexsort((idx, s2))
    order = o1.copy()
    order[~keep[jobs[o1]]] = o2[~keep[jobs[o2]]]
    return order


def decode(a: tabu.Arrays, prio: np.ndarray, cur: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Machine sequences (predecessor, successor per operation) from priorities: operations are taken
    in precedence order, the ready one of lowest priority first, and appended to their machine."""
    n = len(prio)
    indeg = np.diff(a.pptr).tolist()
    sptr, sidx = a.sptr.tolist(), a.sidx.tolist()
    machine = a.am[cur].tolist()
    pr = prio.tolist()
    heap = [(pr[i], i) for i in range(n) if indeg[i] == 0]
    heapq.heapify(heap)
    mp = [-1] * n
    ms = [-1] * n
    last: dict[int, int] = {}
    while heap:
        _, i = heapq.heappop(heap)
        m = machine[i]
        prev = last.get(m)
        if prev is not None:
            ms[prev] = i
            mp[i] = prev
        last[m] = i
        for k in range(sptr[i], sptr[i + 1]):
            j = sidx[k]
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, (pr[j], j))
    return np.array(mp, np.int64), np.array(ms, np.int64)
