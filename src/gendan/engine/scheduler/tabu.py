"""Tabu search on machine sequences (the N5 neighbourhood of Nowicki and Smutnicki) for makespan and
for total weighted tardiness.

For a job-shop-like problem (every operation on one single-machine work centre, no calendar gaps in
model coordinates, no frozen work) the best known short-time method is not a MIP/CP search but a
local search on the disjunctive graph: find a critical path, split it into blocks of operations that
follow each other on one machine, and swap the first two or the last two operations of a block. Such
a swap never creates a cycle, and its effect on the makespan can be estimated in constant time from
heads and tails. CP-SAT's generic large-neighbourhood search cannot make such moves at anything like
the rate of this kernel, compiled with numba (moves per second in bench/README.md).

For weighted tardiness the moves are the swaps of every pair of operations adjacent on one machine
along the critical path of every late job, each evaluated exactly (heads recomputed, a few
microseconds on a hundred operations), as in the tardiness local searches of the literature
(Kuhpfahl and Bierwirth). Above ESTIMATE_ABOVE operations every swap is first estimated from the
heads and each job's tails (:mod:`.tabu_estimates`; the tails updated after a move only where they
changed) and only the best estimate is evaluated exactly.

The engine runs it after a short CP-SAT full search (which proves small problems optimal and gives
a bound), on the work-centre choices of the best solution so far; for weighted tardiness also before
that search (a better hint) and, in short runs of a few thousand moves, inside the memetic search of
:mod:`.memetic`. One independent search runs per worker thread (numba releases the GIL), each with
its own seed. The kernel works on plain integer arrays; :func:`arrays_from` turns a
:class:`~.cpmodel.ModelSolution` into sequences (and :mod:`.portfolio` the result back).

numba is imported lazily and the kernel is compiled once per installation (a few seconds; numba's
cache then loads it in a fraction of a second). Until it is loaded in a process the engine goes on
without it, see :func:`ready`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .flat import FlatProblem, csr
from .threads import Loader

if TYPE_CHECKING:
    from .cpmodel import CpModelBuilder, ModelSolution

TABU_SLOTS = 64  # = tabu_kernel.SLOTS
MAKESPAN, TARDINESS = 0, 1
# state vector layout (int64), = tabu_kernel's
IT, BEST, NOIMP, CUR, TPTR, DONE, BASE, MAXNOIMP, KIND, FLEX, EXACT = range(11)
CHUNK = 2000  # iterations per kernel call between clock checks
# tardiness on more operations than ESTIMATE_ABOVE: every swap is estimated from heads and job tails
# and only the EXACT_EVALUATIONS best estimates are evaluated exactly. On 15x15 and 20x10 shops twice
# the moves per second for no worse a value in as many moves (1, 2, 4 or 8 best: the same within the
# noise); with the job tails updated after each move only where they changed, twice that again (70,000
# moves a second on 20x10), and 20x5 (ft20) and 10x10 shops gain too (bench/README.md). The job
# tails cost operations x jobs per move (an exact evaluation: about twice the operations), hence the
# cap on jobs
ESTIMATE_ABOVE = 90
ESTIMATE_MAX_JOBS = 60
EXACT_EVALUATIONS = 1


@dataclass
class Arrays:
    """A job-shop view of the problem in model coordinates (local indices 0..n-1)."""

    ops: list[int]  # local -> global operation index
    kind: int  # MAKESPAN | TARDINESS
    p: np.ndarray
    lb: np.ndarray
    pptr: np.ndarray
    pidx: np.ndarray
    sptr: np.ndarray
    sidx: np.ndarray
    mp: np.ndarray  # machine predecessor (-1: first)
    ms: np.ndarray  # machine successor (-1: last)
    jptr: np.ndarray  # tardiness: the last operations of job j are jsink[jptr[j]:jptr[j+1]]
    jsink: np.ndarray
    due: np.ndarray
    weight: np.ndarray
    base_tenure: int
    # alternatives: operation i may run as alternative k in aptr[i]:aptr[i+1] (work centre am[k],
    # duration ad[k]); cur[i] is the one of the start (global index into am/ad)
    aptr: np.ndarray
    am: np.ndarray
    ad: np.ndarray
    cur: np.ndarray

    @property
    def flexible(self) -> bool:
        return bool((np.diff(self.aptr) > 1).any())


def applicable(fp: FlatProblem, builder: CpModelBuilder) -> bool:
    """Job-shop-like in model coordinates: single machines, exact coordinates, nothing frozen, and no
    operation that must fit inside one working period (that needs the calendar, which the graph lacks).
    """
    tardiness = builder.objective != "makespan"
    if tardiness and (builder.wip_var is not None or not builder.tardiness_vars):
        return False
    if not builder.coords.exact or len(builder.free_ops) < 2:
        return False
    if any(fx is not None for fx in fp.op_fixed):
        return False
    continuous = len(builder.coords.ref.intervals) == 1
    for o in builder.free_ops:
        if not continuous and not fp.op_split[o]:
            return False
        for md in fp.op_modes[o]:
            if fp.wc_machines[md.wc] != 1:
                return False
            head = fp.wc_headcount[md.wc]
            if head is not None and head < md.people:
                return False
    return True


def arrays_from(fp: FlatProblem, builder: CpModelBuilder, ms: ModelSolution) -> Arrays:
    """Sequences of the solution ``ms`` (its work centres fixed) as linked lists per machine."""
    ops = list(builder.free_ops)
    loc = {o: i for i, o in enumerate(ops)}
    n = len(ops)
    aptr, am = csr([[md.wc for md in fp.op_modes[o]] for o in ops])
    _, ad = csr([builder.sizes[o] for o in ops])
    cur = np.array([aptr[i] + ms.mode[o] for i, o in enumerate(ops)], np.int64)
    p = ad[cur]
    lb = np.array([builder.earliest[o] for o in ops], np.int64)
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, o in enumerate(ops):
        for q in fp.op_preds[o]:
            if q in loc:
                preds[i].append(loc[q])
                succs[loc[q]].append(i)
    pptr, pidx = csr(preds)
    sptr, sidx = csr(succs)
    mp = np.full(n, -1, np.int64)
    msu = np.full(n, -1, np.int64)
    by_machine: dict[int, list[int]] = {}
    for i in range(n):
        by_machine.setdefault(int(am[cur[i]]), []).append(i)
    for seq in by_machine.values():
        seq.sort(key=lambda i: (ms.start[ops[i]], ms.end[ops[i]], ops[i]))
        for a, b in zip(seq, seq[1:], strict=False):
            msu[a] = b
            mp[b] = a
    sinks: list[list[int]] = []
    due: list[int] = []
    weight: list[int] = []
    kind = MAKESPAN if builder.objective == "makespan" else TARDINESS
    if kind == TARDINESS:
        for j, d in builder.model_due.items():
            sinks.append([loc[o] for o in fp.job_sinks[j] if o in loc])
            due.append(d)
            weight.append(fp.job_weight[j])
    jptr, jsink = csr(sinks)
    jobs = len({fp.op_job[o] for o in ops})
    base = 10 + jobs // max(1, len(by_machine))
    return Arrays(
        ops, kind, p, lb, pptr, pidx, sptr, sidx, mp, msu, jptr, jsink,
        np.array(due or [0], np.int64), np.array(weight or [0], np.int64), base, aptr, am, ad, cur,
    )  # fmt: skip


def search(
    a: Arrays, deadline: float, workers: int, seed: int, max_iterations: int | None = None
) -> tuple[int, np.ndarray, list[int], bool] | None:
    """Run ``workers`` independent searches until ``deadline`` (or ``max_iterations`` each, for the
    deterministic mode). Returns (objective, start per local operation, mode per local operation,
    proven optimal) of the best, or None when the sequences given are not acyclic."""
    kernel, _ = _kernels()
    results: list[tuple[int, np.ndarray, list[int], bool] | None] = [None] * max(1, workers)
    n = len(a.p)
    n_jobs = len(a.jptr) - 1
    flexible = a.flexible

    def run(k: int) -> None:
        mp, ms, p, cur = a.mp.copy(), a.ms.copy(), a.p.copy(), a.cur.copy()
        bmp, bms, bp, bcur = mp.copy(), ms.copy(), p.copy(), cur.copy()
        st = np.zeros(11, np.int64)
        st[BASE] = a.base_tenure
        st[KIND] = a.kind
        st[FLEX] = flexible
        # restart from the best after this many non-improving moves: for makespan 200 n (fewer
        # restart too soon, none is slightly worse), for tardiness 1,000 n (bench/README.md)
        st[MAXNOIMP] = max(10_000, (200 if a.kind == MAKESPAN else 1000) * n)
        rng = np.array([np.uint64(0x9E3779B97F4A7C15 ^ (seed * 7919 + k * 104729 + 1))], dtype=np.uint64)
        estimate = a.kind == TARDINESS and n > ESTIMATE_ABOVE and n_jobs <= ESTIMATE_MAX_JOBS
        st[EXACT] = EXACT_EVALUATIONS if estimate else 0
        tails = n + (n + 2) * n_jobs if estimate else 0  # marks and job tails (tabu_estimates)
        work = np.zeros(10 * n + 2 * len(a.am) + 3 * TABU_SLOTS + n_jobs + 1 + 3 * n + tails, np.int64)
        done = 0
        g = (p, a.lb, a.pptr, a.pidx, a.sptr, a.sidx, a.jptr, a.jsink, a.due, a.weight)
        alt = (a.aptr, a.am, a.ad)
        while True:
            chunk = CHUNK if max_iterations is None else min(CHUNK, max_iterations - done)
            if chunk <= 0:
                break
            kernel(g, alt, mp, ms, cur, bmp, bms, bp, bcur, st, rng, work, chunk)
            done += chunk
            if st[DONE] or (max_iterations is None and time.monotonic() >= deadline):
                break
        if st[DONE] < 0:
            return
        starts = _starts(a, bp, bmp, bms)
        if starts is not None:
            modes = [int(bcur[i] - a.aptr[i]) for i in range(n)]
            results[k] = (int(st[BEST]), starts, modes, bool(st[DONE] == 1))

    if workers <= 1:
        run(0)
    else:
        threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    found = [r for r in results if r is not None]
    return min(found, key=lambda r: r[0]) if found else None


def _starts(a: Arrays, p: np.ndarray, mp: np.ndarray, ms: np.ndarray) -> np.ndarray | None:
    heads = _kernels()[1]
    n = len(p)
    r = np.zeros(n, np.int64)
    q = np.zeros(n, np.int64)
    order = np.zeros(n, np.int64)
    indeg = np.zeros(n, np.int64)
    cmax = heads(p, a.lb, a.pptr, a.pidx, a.sptr, a.sidx, mp, ms, r, q, order, indeg, False)
    return None if cmax < 0 else r


def warm_up() -> None:
    """Load (or, the first time after installation, compile: a few seconds) the kernel."""
    one = np.zeros(1, np.int64)
    a = Arrays(
        [0, 1], MAKESPAN, np.ones(2, np.int64), np.zeros(2, np.int64), np.zeros(3, np.int64), one,
        np.zeros(3, np.int64), one, np.array([-1, 0]), np.array([1, -1]), np.zeros(1, np.int64), one,
        one, one, 10, np.array([0, 1, 2]), np.zeros(2, np.int64), np.ones(2, np.int64), np.array([0, 1]),
    )  # fmt: skip
    search(a, 0.0, 1, 0, 1)


def ready(*, wait: bool = False) -> bool:
    """Whether the kernel is loaded. If not, ``wait`` loads it now; otherwise it is loaded in the
    background and the caller goes without it this time (a time limit is a promise; compiling after a
    fresh installation takes longer than many limits)."""
    return _KERNEL.ready(wait=wait)


_KERNEL = Loader(warm_up, "tabu-warm-up")


def _kernels() -> tuple[Callable[..., Any], Callable[..., Any]]:
    from . import tabu_kernel  # imports numba: on first use only (the import lock serialises threads)

    return tabu_kernel.kernel, tabu_kernel.heads_tails
