"""The searches the improvement phase of :mod:`.portfolio` runs from the best schedule so far: the tabu
search, the memetic search's breeding, CP-SAT's large-neighbourhood search and their rounds side by
side; and the budget they spend (seconds on the clock or units of work)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import tabu
from .cpmodel import CpModelBuilder, ModelSolution, solver_parameters
from .flat import FlatProblem
from .memetic import MOVES, Population
from .model import Options
from .threads import beside

# a unit of a work budget (Options.work_limit) in the measures of the searches that do not count in
# CP-SAT's deterministic time: tabu moves (the memetic search: children of MOVES moves each)
TABU_MOVES_PER_UNIT = 20_000


@dataclass
class Budget:
    """What the searches may still spend: seconds on the clock until ``deadline``, or, without one,
    ``units`` of work (:attr:`.Options.work_limit`). A search given a share of a work budget counts it
    in a measure of its own that does not depend on the machine's speed or load (CP-SAT's
    deterministic time, tabu moves, memetic children, lead-time rebuilds) and runs on one worker, so
    that the same problem gives the same schedule on a fast or a loaded machine."""

    deadline: float | None
    units: float = 0.0

    @classmethod
    def of(cls, opts: Options, started: float) -> Budget:
        if opts.work_limit is not None:
            return cls(None, max(0.0, opts.work_limit))
        if opts.deterministic:
            return cls(None, max(0.0, opts.time_limit))
        return cls(started + max(0.0, opts.time_limit))

    @property
    def by_work(self) -> bool:
        return self.deadline is None

    def left(self, reserve: float = 0.0) -> float:
        """Seconds (or units of work) left, less ``reserve``."""
        if self.deadline is None:
            return self.units - reserve
        return self.deadline - reserve - time.monotonic()

    def take(self, amount: float) -> float:
        """``amount`` for one search: a work budget spends it now (the clock spends itself)."""
        if self.deadline is None:
            self.units -= amount
        return amount


def lns(
    builder: CpModelBuilder,
    best: ModelSolution,
    seconds: float,
    *,
    workers: int,
    seed: int,
    deterministic: bool,
) -> ModelSolution:
    """CP-SAT's large-neighbourhood search only, warm-started with ``best``, for ``seconds`` (or, with
    ``deterministic``, that much deterministic time); the better of the two."""
    cp_model = builder.cp_model
    builder.set_hint(builder.model, best)
    solver = cp_model.CpSolver()
    solver_parameters(solver, seconds=seconds, workers=workers, seed=seed, deterministic=deterministic)
    solver.parameters.use_lns_only = True
    status = solver.solve(builder.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ms = builder.solution(solver)
        if ms.value <= best.value:
            return ms
    return best


def rounds_step(
    fp: FlatProblem,
    builder: CpModelBuilder,
    best: ModelSolution,
    seconds: float,
    *,
    workers: int,
    seed: int,
    deterministic: bool,
    pop: Population | None = None,
) -> tuple[ModelSolution, str]:
    """The local search (tabu search; for tardiness the memetic search on ``pop``) and CP-SAT's LNS
    from ``best``: in two threads when there are two workers (both release the GIL), one after the
    other otherwise (and with a work budget, ``deterministic``: ``seconds`` are then units of work)."""

    def local(span: float) -> ModelSolution | None:
        if pop is None:
            return tabu_search(fp, builder, best, span, workers=1, seed=seed, deterministic=deterministic)[0]
        return breed(pop, builder, best, span, deterministic=deterministic)

    name = "tabu" if pop is None else "memetic"
    if deterministic or workers < 2:
        half = seconds / 2
        out = local(half)
        start = out if out is not None and out.value < best.value else best
        return lns(builder, start, half, workers=1, seed=seed + 1, deterministic=deterministic), name + "+lns"
    lns_found = beside(
        lambda: lns(builder, best, seconds, workers=1, seed=seed + 1, deterministic=False), "cp-sat-lns"
    )
    out = local(seconds)
    found = [m for m in (out, lns_found()) if m is not None]
    winner = min(found, key=lambda m: m.value, default=best)
    if winner.value >= best.value:
        return best, name + "|lns"
    return winner, f"{name}|lns:" + (name if winner is out else "lns")


def population(fp: FlatProblem, builder: CpModelBuilder, best: ModelSolution, seed: int) -> Population:
    """A memetic search's population for the job-shop view of ``fp`` taken from ``best``."""
    arrays = tabu.arrays_from(fp, builder, best)
    _, jobs = np.unique([fp.op_job[o] for o in arrays.ops], return_inverse=True)
    return Population(arrays, jobs.astype(np.int64), seed)


def breed(
    pop: Population, builder: CpModelBuilder, best: ModelSolution, seconds: float, *, deterministic: bool
) -> ModelSolution | None:
    """The memetic search for ``seconds`` (``deterministic``: that many units of work, as many
    children as the tabu search's moves in them make), with ``best`` (the round's start) among its
    schedules."""
    a = pop.a
    cur = np.array([a.aptr[i] + best.mode[o] for i, o in enumerate(a.ops)], np.int64)
    pop.offer(best.value, np.array([best.start[o] for o in a.ops], np.int64), cur)
    if deterministic:
        pop.evolve(0.0, children=max(1, int(seconds * TABU_MOVES_PER_UNIT / MOVES)))
    else:
        pop.evolve(time.monotonic() + seconds)
    top = pop.best
    if top is None:
        return None
    return from_arrays(builder, best, a, top.starts, (top.cur - a.aptr[:-1]).tolist(), top.value)


def tabu_search(
    fp: FlatProblem,
    builder: CpModelBuilder,
    start: ModelSolution,
    seconds: float,
    *,
    workers: int,
    seed: int,
    deterministic: bool,
) -> tuple[ModelSolution | None, bool]:
    """Tabu search from ``start`` for ``seconds`` on ``workers`` threads (``deterministic``: that
    many units of work in moves, on one); (its best solution or None, proven optimal)."""
    arrays = tabu.arrays_from(fp, builder, start)
    if deterministic:
        res = tabu.search(arrays, 0.0, 1, seed, int(seconds * TABU_MOVES_PER_UNIT))
    else:
        res = tabu.search(arrays, time.monotonic() + seconds, workers, seed)
    if res is None:
        return None, False
    value, starts, modes, proven = res
    return from_arrays(builder, start, arrays, starts, modes, value), proven


def from_arrays(
    builder: CpModelBuilder,
    like: ModelSolution,
    arrays: tabu.Arrays,
    starts: np.ndarray,
    modes: Sequence[int],
    value: int,
) -> ModelSolution:
    """``like`` with the operations of the tabu arrays at ``starts`` in alternatives ``modes``."""
    start = like.start[:]
    end = like.end[:]
    mode = like.mode[:]
    for i, o in enumerate(arrays.ops):
        mode[o] = int(modes[i])
        start[o] = int(starts[i])
        end[o] = int(starts[i]) + builder.sizes[o][mode[o]]
    return ModelSolution(start, end, mode, value)
