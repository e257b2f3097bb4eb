"""CP-SAT improvement of a dispatching schedule: full solve with hint, then large-neighbourhood search.

The model works in "model coordinates": the working-time minutes of a reference calendar. When every
work centre that still has work shares one calendar (or there is no calendar at all) this is exact:
a splittable operation of d working minutes is an interval of size d, a non-splittable one may only
start where it fits in one working period. With mixed calendars durations are scaled by each centre's
capacity ratio and the model is an approximation; in both cases the solution is turned back into real
time by the exact builder in :mod:`.sgs`, which uses the solver's order and work-centre choices.

``ortools`` is imported lazily (it is slow to import) so that importing the data classes stays cheap.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from . import tabu
from .calendar import Calendar
from .flat import FlatProblem
from .memetic import MOVES, Population
from .sgs import Sol
from .threads import beside


@dataclass
class Coords:
    exact: bool
    ref: Calendar
    factor: list[float]  # per work centre

    def t(self, real: int) -> int:
        return self.ref.work_before(real)

    def size(self, fp: FlatProblem, o: int, mi: int) -> int:
        md = fp.op_modes[o][mi]
        if self.exact:
            return md.duration
        return int(math.ceil(md.duration * self.factor[md.wc]))


def make_coords(fp: FlatProblem) -> Coords:
    used: dict[int, int] = {}
    for o in range(fp.n_ops):
        if fp.op_fixed[o] is None:
            for md in fp.op_modes[o]:
                used[md.wc] = used.get(md.wc, 0) + 1
    cals: dict[Calendar, int] = {}
    for w, cnt in used.items():
        cals[fp.wc_cal[w]] = cals.get(fp.wc_cal[w], 0) + cnt
    if not cals:
        return Coords(True, fp.problem.calendar, [1.0] * len(fp.wc_ids))
    ref = max(cals, key=lambda c: cals[c])
    if len(cals) == 1:
        return Coords(True, ref, [1.0] * len(fp.wc_ids))
    a = fp.now
    factor = []
    for w in range(len(fp.wc_ids)):
        cal = fp.wc_cal[w]
        b = min(ref.end, cal.end, a + 120 * 1440)
        rw, cw = ref.work_between(a, b), cal.work_between(a, b)
        factor.append(rw / cw if rw > 0 and cw > 0 else 1.0)
    return Coords(False, ref, factor)


@dataclass
class MSol:
    """A solution in model coordinates."""

    start: list[int]
    end: list[int]
    mode: list[int]
    obj: int


class CpModelBuilder:
    def __init__(self, fp: FlatProblem, coords: Coords, objective: str, secondary: str) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.fp = fp
        self.coords = coords
        self.objective = objective
        self.secondary = secondary
        m = cp_model.CpModel()
        self.model = m
        n = fp.n_ops
        ct = coords.t
        self.free = [o for o in range(n) if fp.op_fixed[o] is None]
        self.size = [[coords.size(fp, o, mi) for mi in range(len(fp.op_modes[o]))] for o in range(n)]
        self.lb = [0] * n
        fixed_end = 0
        self.fstart = [0] * n
        self.fend = [0] * n
        for o in range(n):
            fx = fp.op_fixed[o]
            if fx is not None:
                self.fstart[o] = ct(fx[2]) if fx[2] >= 0 else fx[2]
                self.fend[o] = max(self.fstart[o], ct(fx[3]) if fx[3] >= 0 else fx[3])
                fixed_end = max(fixed_end, self.fend[o])
        for o in fp.topo:
            if fp.op_fixed[o] is not None:
                continue
            lb = ct(max(fp.now, fp.job_release[fp.op_job[o]]))
            for p in fp.op_preds[o]:
                if fp.op_fixed[p] is not None:
                    lb = max(lb, self.fend[p])
            self.lb[o] = lb
        horizon = max([fixed_end] + [self.lb[o] for o in self.free]) + sum(
            max(self.size[o]) for o in self.free
        )
        if coords.exact:  # a non-splittable operation may leave unusable time before a period boundary
            horizon += sum(max(self.size[o]) for o in self.free if not fp.op_split[o])
        self.horizon = horizon
        self.s: list = [None] * n
        self.e: list = [None] * n
        self.p: list[list] = [[] for _ in range(n)]
        intervals: dict[int, list[tuple[object, int]]] = {}  # wc -> (interval, people)
        Domain = cp_model.Domain
        ref = coords.ref
        for o in range(n):
            fx = fp.op_fixed[o]
            if fx is not None:
                w = fx[0]
                iv = m.new_fixed_size_interval_var(self.fstart[o], self.fend[o] - self.fstart[o], f"f{o}")
                mi = next((i for i, md in enumerate(fp.op_modes[o]) if md.wc == w), None)
                people = fp.op_modes[o][mi].people if mi is not None else 1
                intervals.setdefault(w, []).append((iv, people))
                continue
            modes = fp.op_modes[o]
            smin = self.lb[o]
            s = m.new_int_var(smin, horizon, f"s{o}")
            e = m.new_int_var(smin, horizon, f"e{o}")
            self.s[o], self.e[o] = s, e
            if len(modes) == 1:
                sz = self.size[o][0]
                iv = m.new_interval_var(s, sz, e, f"i{o}")
                intervals.setdefault(modes[0].wc, []).append((iv, modes[0].people))
                if coords.exact and not fp.op_split[o] and sz > 0:
                    m.add_linear_expression_in_domain(s, self._nosplit_domain(ref, sz, Domain))
            else:
                lits = []
                for mi, md in enumerate(modes):
                    lit = m.new_bool_var(f"p{o}_{mi}")
                    sz = self.size[o][mi]
                    iv = m.new_optional_fixed_size_interval_var(s, sz, lit, f"i{o}_{mi}")
                    m.add(e == s + sz).only_enforce_if(lit)
                    intervals.setdefault(md.wc, []).append((iv, md.people))
                    if coords.exact and not fp.op_split[o] and sz > 0:
                        m.add_linear_expression_in_domain(
                            s, self._nosplit_domain(ref, sz, Domain)
                        ).only_enforce_if(lit)
                    lits.append(lit)
                m.add_exactly_one(lits)
                self.p[o] = lits
        for w, items in intervals.items():
            ivs = [iv for iv, _ in items]
            cap = fp.wc_machines[w]
            if cap == 1:
                m.add_no_overlap(ivs)
            else:
                m.add_cumulative(ivs, [1] * len(ivs), cap)
            head = fp.wc_headcount[w]
            if head is not None and head < cap * max(pp for _, pp in items):
                m.add_cumulative(ivs, [pp for _, pp in items], head)
        for o in self.free:
            for p in fp.op_preds[o]:
                if fp.op_fixed[p] is None:
                    m.add(self.e[p] <= self.s[o])
        # objective pieces
        nj = len(fp.job_ids)
        self.tard: list = [None] * nj
        sinks_free = [[o for o in fp.job_sinks[j] if fp.op_fixed[o] is None] for j in range(nj)]
        terms = []
        for j in range(nj):
            d, w = fp.job_due[j], fp.job_weight[j]
            if d is None or w <= 0 or not sinks_free[j]:
                continue
            dd = ct(d)
            t = m.new_int_var(0, horizon, f"t{j}")
            for o in sinks_free[j]:
                m.add(t >= self.e[o] - dd)
            self.tard[j] = t
            terms.append(w * t)
        self.twt = sum(terms) if terms else 0
        self.cmax = m.new_int_var(0, horizon, "cmax")
        all_sinks = [self.e[o] for j in range(nj) for o in sinks_free[j]]
        if all_sinks:
            m.add_max_equality(self.cmax, all_sinks)
        self.wip_var = None
        self.wip_parts: dict[int, tuple[object, object]] = {}
        if secondary == "wip" and objective != "makespan":
            parts = []
            for j in range(nj):
                fr = [o for o in fp.job_ops[j] if fp.op_fixed[o] is None]
                if not fr or not sinks_free[j]:
                    continue
                c = m.new_int_var(0, horizon, f"c{j}")
                st = m.new_int_var(0, horizon, f"st{j}")
                for o in sinks_free[j]:
                    m.add(c >= self.e[o])
                for o in fr:
                    m.add(st <= self.s[o])
                self.wip_parts[j] = (c, st)
                parts.append(c - st)
            if parts:
                self.wip_var = m.new_int_var(-horizon * nj, horizon * nj, "wip")
                m.add(self.wip_var == sum(parts))
        self.primary = self.cmax if objective == "makespan" else self.twt
        if objective == "makespan":
            self.obj_var = self.cmax
        else:
            self.obj_var = m.new_int_var(0, horizon * max(1, sum(fp.job_weight)), "obj")
            m.add(self.obj_var == self.primary)
        m.minimize(self.primary)

    @staticmethod
    def _nosplit_domain(ref: Calendar, size: int, Domain):
        cum = 0
        ivs = []
        for a, b in ref.intervals:
            ln = b - a
            if ln >= size:
                ivs.append([cum, cum + ln - size])
            cum += ln
        return Domain.from_intervals(ivs)

    # ---------------------------------------------------------------- helpers
    def to_msol(self, sol: Sol, obj: int) -> MSol:
        fp = self.fp
        n = fp.n_ops
        st = [0] * n
        en = [0] * n
        for o in self.free:
            st[o] = max(self.lb[o], self.coords.t(sol.start[o]))
            en[o] = st[o] + self.size[o][sol.mode[o]]
        if not self.coords.exact:
            # make the hint consistent in model coordinates: forward pass keeping machine sequences
            last: dict[tuple[int, int], int] = {}
            for o in sorted(self.free, key=lambda x: (sol.start[x], sol.end[x])):
                t = self.lb[o]
                for p in fp.op_preds[o]:
                    t = max(t, en[p] if fp.op_fixed[p] is None else self.fend[p])
                key = (sol.wc[o], sol.machine[o])
                t = max(t, last.get(key, 0))
                st[o] = t
                en[o] = t + self.size[o][sol.mode[o]]
                last[key] = en[o]
        return MSol(st, en, sol.mode[:], obj)

    def aux_values(self, ms: MSol) -> list[tuple[object, int]]:
        """Values of the objective helper variables implied by a solution (a complete hint matters)."""
        fp = self.fp
        out: list[tuple[object, int]] = []
        cmax = max((ms.end[o] for o in self.free), default=0)
        out.append((self.cmax, cmax))
        twt = 0
        for j, t in enumerate(self.tard):
            if t is None:
                continue
            d = self.coords.t(fp.job_due[j])
            c = max(ms.end[o] for o in fp.job_sinks[j] if fp.op_fixed[o] is None)
            out.append((t, max(0, c - d)))
            twt += fp.job_weight[j] * max(0, c - d)
        if self.obj_var is not self.cmax:
            out.append((self.obj_var, twt))
        for j, (c, st) in self.wip_parts.items():
            out.append((c, max(ms.end[o] for o in fp.job_sinks[j] if fp.op_fixed[o] is None)))
            out.append((st, min(ms.start[o] for o in fp.job_ops[j] if fp.op_fixed[o] is None)))
        if self.wip_var is not None:
            out.append(
                (
                    self.wip_var,
                    sum(v for (var, v) in out[-2 * len(self.wip_parts) :][::2])
                    - sum(v for (var, v) in out[-2 * len(self.wip_parts) :][1::2]),
                )
            )
        return out

    def add_hint(self, model, ms: MSol) -> None:
        model.clear_hints()
        for o in self.free:
            model.add_hint(self.s[o], ms.start[o])
            model.add_hint(self.e[o], ms.end[o])
            for mi, lit in enumerate(self.p[o]):
                model.add_hint(lit, 1 if mi == ms.mode[o] else 0)
        for var, val in self.aux_values(ms):
            model.add_hint(var, val)

    def add_hint_clone(self, model, ms: MSol) -> None:
        model.clear_hints()
        iv = model.get_int_var_from_proto_index
        bv = model.get_bool_var_from_proto_index
        for o in self.free:
            model.add_hint(iv(self.s[o].index), ms.start[o])
            model.add_hint(iv(self.e[o].index), ms.end[o])
            for mi, lit in enumerate(self.p[o]):
                model.add_hint(bv(lit.index), 1 if mi == ms.mode[o] else 0)
        for var, val in self.aux_values(ms):
            model.add_hint(iv(var.index), val)

    def read(self, solver) -> MSol:
        n = self.fp.n_ops
        st = [0] * n
        en = [0] * n
        md = [0] * n
        for o in self.free:
            st[o] = solver.value(self.s[o])
            en[o] = solver.value(self.e[o])
            for mi, lit in enumerate(self.p[o]):
                if solver.boolean_value(lit):
                    md[o] = mi
        return MSol(st, en, md, int(round(solver.objective_value)))


def _params(solver, seconds: float, workers: int, seed: int, deterministic: bool) -> None:
    p = solver.parameters
    p.num_workers = max(1, workers)
    p.random_seed = seed
    p.max_time_in_seconds = max(0.01, seconds)
    if deterministic:
        p.num_workers = 1
        p.max_deterministic_time = max(0.01, seconds)
        p.max_time_in_seconds = max(0.05, seconds * 20)


@dataclass
class SolveOutcome:
    best: MSol | None
    bound: int | None
    optimal: bool
    phases: list[str]


def improve(
    fp: FlatProblem,
    builder: CpModelBuilder,
    hint: MSol,
    deadline: float,
    workers: int,
    seed: int,
    deterministic: bool,
    use_lns: bool,
    reserve: float = 0.0,
    stop_if_unknown: bool = False,
) -> SolveOutcome:
    """Phase A: the whole model, warm-started with the hint (proves small problems optimal and gives a
    bound). Then, until ``deadline - reserve``:

    * job-shop-like problems (:func:`.tabu.applicable`), makespan, one work centre per operation: the
      tabu search of :mod:`.tabu`, one independent search per worker (Taillard 20x20 at 10 s: about
      1 % above the best known, against 4 % for CP-SAT's LNS);
    * job-shop-like, weighted tardiness or alternative work centres: three rounds in which the local
      search and CP-SAT's LNS (one worker each) start from the best solution so far, side by side
      (JSPTWT and Brandimarte: better than either alone; the local search changes work centres too,
      CP-SAT's LNS reaches other parts of the solution space). The local search is the tabu search
      for makespan and the memetic search of :mod:`.memetic` for tardiness, whose population lives
      on from round to round; for tardiness a short tabu search also improves the hint of the full
      search first;
    * all others: CP-SAT's large-neighbourhood search only (``use_lns_only``) from the best solution,
      which on 2 cores clearly beats letting the default portfolio run on (Taillard 20x20: about 5 %
      lower makespan).
    """
    cp_model = builder.cp_model
    phases: list[str] = []
    best = hint
    bound: int | None = None
    total = deadline - reserve - time.monotonic()
    if total <= 0.05:
        return SolveOutcome(best, bound, False, phases)
    local = use_lns and tabu.applicable(fp, builder) and tabu.ready(wait=deterministic)
    pure = builder.objective == "makespan" and all(len(fp.op_modes[o]) == 1 for o in builder.free)
    # small models: long enough a full search to prove optimality; large: CP-SAT's LNS does better
    if not use_lns:
        frac = 1.0
    elif local:
        frac = 0.1 if pure else 0.25
    else:
        frac = 0.25 if len(builder.free) <= 150 else 0.15
    fixed_b = total * (1 - frac)  # deterministic mode: budgets from the limit, not the wall clock
    if local and not pure and builder.objective != "makespan" and not deterministic:
        # tardiness: the full search below gets a better hint from a short tabu search (JSPTWT orb05
        # at 1.5: the optimum, 405, in every run instead of 472 from the dispatching schedule's hint)
        out, _ = _tabu(fp, builder, hint, PRE_TABU * total, workers, seed, False)
        if out is not None and out.obj < hint.obj:
            hint = best = out
        total = deadline - reserve - time.monotonic()
    model = builder.model
    builder.add_hint(model, hint)
    solver = cp_model.CpSolver()
    _params(solver, total * frac, workers, seed, deterministic)
    status = solver.solve(model)
    phases.append(f"full:{solver.status_name(status)}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ms = builder.read(solver)
        if ms.obj <= best.obj:
            best = ms
        bound = int(math.ceil(solver.best_objective_bound - 1e-6))
        if status == cp_model.OPTIMAL or bound >= best.obj:
            return SolveOutcome(best, best.obj, True, phases)
    elif status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        phases.append("model-rejected")
        return SolveOutcome(best, bound, False, phases)
    elif stop_if_unknown:  # not even the hint confirmed: too large for CP-SAT in this time
        return SolveOutcome(best, bound, False, phases)
    if not use_lns:
        return SolveOutcome(best, bound, False, phases)
    left = fixed_b if deterministic else deadline - reserve - time.monotonic()
    if local and pure and left > 0.05:
        out, proven = _tabu(fp, builder, best, left, workers, seed, deterministic)
        phases.append("tabu")
        if out is not None and out.obj < best.obj:
            best = out
        optimal = proven or (bound is not None and best.obj <= bound)
        return SolveOutcome(best, best.obj if optimal else bound, optimal, phases)
    if local and left > 0.05:
        pop = _population(fp, builder, best, seed) if builder.objective != "makespan" else None
        for rnd in range(ROUNDS):
            span = (
                left / ROUNDS if deterministic else (deadline - reserve - time.monotonic()) / (ROUNDS - rnd)
            )
            if span < 0.05:
                break
            best, tag = _round(fp, builder, best, span, workers, seed + rnd, deterministic, pop)
            phases.append(tag)
        optimal = bound is not None and best.obj <= bound
        return SolveOutcome(best, bound, optimal, phases)
    if left > 0.05:
        best = _lns(builder, best, left, workers, seed + 1, deterministic)
        phases.append("lns")
    optimal = bound is not None and best.obj <= bound
    return SolveOutcome(best, bound, optimal, phases)


PRE_TABU = 0.08  # share of the time for the tabu search before the full search (tardiness)
ROUNDS = 3  # tabu search and CP-SAT's LNS side by side, best shared (3 rounds beat 6)


def _lns(builder: CpModelBuilder, best: MSol, seconds: float, workers: int, seed: int, det: bool) -> MSol:
    """CP-SAT's large-neighbourhood search only, warm-started with ``best``; the better of the two."""
    cp_model = builder.cp_model
    builder.add_hint(builder.model, best)
    solver = cp_model.CpSolver()
    _params(solver, seconds, workers, seed, det)
    solver.parameters.use_lns_only = True
    status = solver.solve(builder.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ms = builder.read(solver)
        if ms.obj <= best.obj:
            return ms
    return best


def _round(
    fp: FlatProblem,
    builder: CpModelBuilder,
    best: MSol,
    seconds: float,
    workers: int,
    seed: int,
    det: bool,
    pop: Population | None = None,
) -> tuple[MSol, str]:
    """The local search (tabu search; for tardiness the memetic search on ``pop``) and CP-SAT's LNS
    from ``best``: in two threads when there are two workers (both release the GIL), one after the
    other otherwise (and in the deterministic mode)."""

    def local(span: float) -> MSol | None:
        if pop is None:
            return _tabu(fp, builder, best, span, 1, seed, det)[0]
        return _breed(pop, builder, best, span, det)

    name = "tabu" if pop is None else "memetic"
    if det or workers < 2:
        half = seconds / 2
        out = local(half)
        start = out if out is not None and out.obj < best.obj else best
        lns = _lns(builder, start, half, 1, seed + 1, det)
        return lns, name + "+lns"
    lns = beside(lambda: _lns(builder, best, seconds, 1, seed + 1, False), "cp-sat-lns")
    out = local(seconds)
    found = [m for m in (out, lns()) if m is not None]
    winner = min(found, key=lambda m: m.obj, default=best)
    if winner.obj >= best.obj:
        return best, name + "|lns"
    return winner, f"{name}|lns:" + (name if winner is out else "lns")


def _population(fp: FlatProblem, builder: CpModelBuilder, best: MSol, seed: int) -> Population:
    arrays = tabu.arrays_from(fp, builder, best)
    _, jobs = np.unique([fp.op_job[o] for o in arrays.ops], return_inverse=True)
    return Population(arrays, jobs.astype(np.int64), seed)


def _breed(pop: Population, builder: CpModelBuilder, best: MSol, seconds: float, det: bool) -> MSol | None:
    """The memetic search for ``seconds`` (deterministic mode: as many children as the tabu search's
    moves in that time make), with ``best`` (the round's start) among its schedules."""
    a = pop.a
    cur = np.array([a.aptr[i] + best.mode[o] for i, o in enumerate(a.ops)], np.int64)
    pop.offer(best.obj, np.array([best.start[o] for o in a.ops], np.int64), cur)
    if det:
        pop.evolve(0.0, children=max(1, int(seconds * TABU_ITERATIONS_PER_SECOND / MOVES)))
    else:
        pop.evolve(time.monotonic() + seconds)
    top = pop.best
    if top is None:
        return None
    return _msol(builder, best, a, top.starts, (top.cur - a.aptr[:-1]).tolist(), top.value)


TABU_ITERATIONS_PER_SECOND = 20_000  # deterministic mode: an iteration budget instead of the clock


def _tabu(
    fp: FlatProblem, builder: CpModelBuilder, start: MSol, seconds: float, workers: int, seed: int, det: bool
) -> tuple[MSol | None, bool]:
    """Tabu search from ``start``; (its best solution or None, proven optimal)."""
    arrays = tabu.arrays_from(fp, builder, start)
    if det:
        res = tabu.search(arrays, 0.0, 1, seed, int(seconds * TABU_ITERATIONS_PER_SECOND))
    else:
        res = tabu.search(arrays, time.monotonic() + seconds, workers, seed)
    if res is None:
        return None, False
    value, starts, modes, proven = res
    return _msol(builder, start, arrays, starts, modes, value), proven


def _msol(builder: CpModelBuilder, like: MSol, arrays: tabu.Arrays, starts, modes, value: int) -> MSol:
    """``like`` with the operations of the tabu arrays at ``starts`` in alternatives ``modes``."""
    st = like.start[:]
    en = like.end[:]
    md = like.mode[:]
    for i, o in enumerate(arrays.ops):
        md[o] = int(modes[i])
        st[o] = int(starts[i])
        en[o] = int(starts[i]) + builder.size[o][md[o]]
    return MSol(st, en, md, value)
