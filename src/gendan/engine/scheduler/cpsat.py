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
import random
import threading
import time
from dataclasses import dataclass

from .calendar import Calendar
from .compiled import Compiled
from .sgs import Sol


@dataclass
class Coords:
    exact: bool
    ref: Calendar
    factor: list[float]  # per work centre

    def t(self, real: int) -> int:
        return self.ref.work_before(real)

    def size(self, cp: Compiled, o: int, mi: int) -> int:
        md = cp.op_modes[o][mi]
        if self.exact:
            return md.duration
        return int(math.ceil(md.duration * self.factor[md.wc]))


def make_coords(cp: Compiled) -> Coords:
    used: dict[int, int] = {}
    for o in range(cp.n_ops):
        if cp.op_fixed[o] is None:
            for md in cp.op_modes[o]:
                used[md.wc] = used.get(md.wc, 0) + 1
    cals: dict[Calendar, int] = {}
    for w, cnt in used.items():
        cals[cp.wc_cal[w]] = cals.get(cp.wc_cal[w], 0) + cnt
    if not cals:
        return Coords(True, cp.problem.calendar, [1.0] * len(cp.wc_ids))
    ref = max(cals, key=lambda c: cals[c])
    if len(cals) == 1:
        return Coords(True, ref, [1.0] * len(cp.wc_ids))
    a = cp.now
    factor = []
    for w in range(len(cp.wc_ids)):
        cal = cp.wc_cal[w]
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
    def __init__(self, cp: Compiled, coords: Coords, objective: str, secondary: str) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.cp = cp
        self.coords = coords
        self.objective = objective
        self.secondary = secondary
        m = cp_model.CpModel()
        self.model = m
        n = cp.n_ops
        ct = coords.t
        self.free = [o for o in range(n) if cp.op_fixed[o] is None]
        self.size = [[coords.size(cp, o, mi) for mi in range(len(cp.op_modes[o]))] for o in range(n)]
        self.lb = [0] * n
        fixed_end = 0
        self.fstart = [0] * n
        self.fend = [0] * n
        for o in range(n):
            fx = cp.op_fixed[o]
            if fx is not None:
                self.fstart[o] = ct(fx[2]) if fx[2] >= 0 else fx[2]
                self.fend[o] = max(self.fstart[o], ct(fx[3]) if fx[3] >= 0 else fx[3])
                fixed_end = max(fixed_end, self.fend[o])
        for o in cp.topo:
            if cp.op_fixed[o] is not None:
                continue
            lb = ct(max(cp.now, cp.job_release[cp.op_job[o]]))
            for p in cp.op_preds[o]:
                if cp.op_fixed[p] is not None:
                    lb = max(lb, self.fend[p])
            self.lb[o] = lb
        horizon = max([fixed_end] + [self.lb[o] for o in self.free]) + sum(
            max(self.size[o]) for o in self.free
        )
        self.horizon = horizon
        self.s: list = [None] * n
        self.e: list = [None] * n
        self.p: list[list] = [[] for _ in range(n)]
        intervals: dict[int, list[tuple[object, int]]] = {}  # wc -> (interval, people)
        Domain = cp_model.Domain
        ref = coords.ref
        for o in range(n):
            fx = cp.op_fixed[o]
            if fx is not None:
                w = fx[0]
                iv = m.new_fixed_size_interval_var(self.fstart[o], self.fend[o] - self.fstart[o], f"f{o}")
                mi = next((i for i, md in enumerate(cp.op_modes[o]) if md.wc == w), None)
                people = cp.op_modes[o][mi].people if mi is not None else 1
                intervals.setdefault(w, []).append((iv, people))
                continue
            modes = cp.op_modes[o]
            smin = self.lb[o]
            s = m.new_int_var(smin, horizon, f"s{o}")
            e = m.new_int_var(smin, horizon, f"e{o}")
            self.s[o], self.e[o] = s, e
            if len(modes) == 1:
                sz = self.size[o][0]
                m.add(e == s + sz)
                iv = m.new_interval_var(s, sz, e, f"i{o}")
                intervals.setdefault(modes[0].wc, []).append((iv, modes[0].people))
                if coords.exact and not cp.op_split[o] and sz > 0:
                    m.add_linear_expression_in_domain(s, self._nosplit_domain(ref, sz, Domain))
            else:
                lits = []
                for mi, md in enumerate(modes):
                    lit = m.new_bool_var(f"p{o}_{mi}")
                    sz = self.size[o][mi]
                    iv = m.new_optional_fixed_size_interval_var(s, sz, lit, f"i{o}_{mi}")
                    m.add(e == s + sz).only_enforce_if(lit)
                    intervals.setdefault(md.wc, []).append((iv, md.people))
                    if coords.exact and not cp.op_split[o] and sz > 0:
                        m.add_linear_expression_in_domain(
                            s, self._nosplit_domain(ref, sz, Domain)
                        ).only_enforce_if(lit)
                    lits.append(lit)
                m.add_exactly_one(lits)
                self.p[o] = lits
        for w, items in intervals.items():
            ivs = [iv for iv, _ in items]
            cap = cp.wc_machines[w]
            if cap == 1:
                m.add_no_overlap(ivs)
            else:
                m.add_cumulative(ivs, [1] * len(ivs), cap)
            head = cp.wc_headcount[w]
            if head is not None and head < cap * max(pp for _, pp in items):
                m.add_cumulative(ivs, [pp for _, pp in items], head)
        for o in self.free:
            for p in cp.op_preds[o]:
                if cp.op_fixed[p] is None:
                    m.add(self.e[p] <= self.s[o])
        # objective pieces
        nj = len(cp.job_ids)
        self.tard: list = [None] * nj
        sinks_free = [[o for o in cp.job_sinks[j] if cp.op_fixed[o] is None] for j in range(nj)]
        terms = []
        for j in range(nj):
            d, w = cp.job_due[j], cp.job_weight[j]
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
        for j in range(nj):
            for o in sinks_free[j]:
                m.add(self.cmax >= self.e[o])
        self.wip_var = None
        if secondary == "wip" and objective != "makespan":
            parts = []
            for j in range(nj):
                fr = [o for o in cp.job_ops[j] if cp.op_fixed[o] is None]
                if not fr or not sinks_free[j]:
                    continue
                c = m.new_int_var(0, horizon, f"c{j}")
                st = m.new_int_var(0, horizon, f"st{j}")
                for o in sinks_free[j]:
                    m.add(c >= self.e[o])
                for o in fr:
                    m.add(st <= self.s[o])
                parts.append(c - st)
            if parts:
                self.wip_var = m.new_int_var(-horizon * nj, horizon * nj, "wip")
                m.add(self.wip_var == sum(parts))
        self.primary = self.cmax if objective == "makespan" else self.twt
        self.obj_var = m.new_int_var(0, horizon * max(1, sum(cp.job_weight)), "obj")
        m.add(self.obj_var == self.primary)
        m.minimize(self.obj_var)

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
        cp = self.cp
        n = cp.n_ops
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
                for p in cp.op_preds[o]:
                    t = max(t, en[p] if cp.op_fixed[p] is None else self.fend[p])
                key = (sol.wc[o], sol.machine[o])
                t = max(t, last.get(key, 0))
                st[o] = t
                en[o] = t + self.size[o][sol.mode[o]]
                last[key] = en[o]
        return MSol(st, en, sol.mode[:], obj)

    def add_hint(self, model, ms: MSol) -> None:
        model.clear_hints()
        for o in self.free:
            model.add_hint(self.s[o], ms.start[o])
            model.add_hint(self.e[o], ms.end[o])
            for mi, lit in enumerate(self.p[o]):
                model.add_hint(lit, 1 if mi == ms.mode[o] else 0)

    def add_hint_clone(self, model, ms: MSol) -> None:
        model.clear_hints()
        iv = model.get_int_var_from_proto_index
        bv = model.get_bool_var_from_proto_index
        for o in self.free:
            model.add_hint(iv(self.s[o].index), ms.start[o])
            model.add_hint(iv(self.e[o].index), ms.end[o])
            for mi, lit in enumerate(self.p[o]):
                model.add_hint(bv(lit.index), 1 if mi == ms.mode[o] else 0)

    def read(self, solver) -> MSol:
        n = self.cp.n_ops
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

    def machines_of(self, ms: MSol) -> dict[int, list[list[int]]]:
        """Sequences per machine (greedy interval colouring for multi-machine centres)."""
        cp = self.cp
        by_wc: dict[int, list[int]] = {}
        for o in self.free:
            by_wc.setdefault(cp.op_modes[o][ms.mode[o]].wc, []).append(o)
        out: dict[int, list[list[int]]] = {}
        for w, ops in by_wc.items():
            ops.sort(key=lambda o: (ms.start[o], ms.end[o]))
            k = cp.wc_machines[w]
            if k == 1:
                out[w] = [ops]
                continue
            seqs: list[list[int]] = [[] for _ in range(k)]
            free_at = [-(1 << 62)] * k
            for o in ops:
                i = min(
                    range(k),
                    key=lambda x: (
                        free_at[x] > ms.start[o],
                        -free_at[x] if free_at[x] <= ms.start[o] else free_at[x],
                    ),
                )
                seqs[i].append(o)
                free_at[i] = max(free_at[i], ms.end[o])
            out[w] = seqs
        return out


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
    cp: Compiled,
    builder: CpModelBuilder,
    hint: MSol,
    deadline: float,
    workers: int,
    seed: int,
    deterministic: bool,
    use_lns: bool,
    reserve: float = 0.0,
) -> SolveOutcome:
    """Full solve with the hint, then LNS until ``deadline - reserve``."""
    cp_model = builder.cp_model
    phases: list[str] = []
    best = hint
    bound: int | None = None
    optimal = False
    total = deadline - reserve - time.monotonic()
    if total <= 0.05:
        return SolveOutcome(best, bound, optimal, phases)
    n_free = len(builder.free)
    # Phase A: the whole model, warm-started.
    frac = 0.3 if use_lns else 1.0
    if n_free > 3000:
        frac = 0.2 if use_lns else 1.0
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
        if status == cp_model.OPTIMAL:
            return SolveOutcome(best, best.obj, True, phases)
        if bound >= best.obj:
            return SolveOutcome(best, bound, True, phases)
    elif status == cp_model.INFEASIBLE:
        phases.append("infeasible-model")
        return SolveOutcome(best, bound, optimal, phases)
    if not use_lns:
        return SolveOutcome(best, bound, optimal, phases)
    lns = _Lns(builder, best, deadline - reserve, seed, deterministic, bound)
    threads = 1 if deterministic else max(1, workers)
    if threads == 1:
        lns.run(0)
    else:
        ts = [threading.Thread(target=lns.run, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    phases.append(f"lns:{lns.iterations}it/{lns.improvements}imp")
    best = lns.best
    if bound is not None and best.obj <= bound:
        optimal = True
    return SolveOutcome(best, bound, optimal, phases)


class _Lns:
    def __init__(self, builder: CpModelBuilder, best: MSol, deadline: float, seed: int, det: bool, bound):
        self.b = builder
        self.best = best
        self.deadline = deadline
        self.seed = seed
        self.det = det
        self.bound = bound
        self.lock = threading.Lock()
        self.iterations = 0
        self.improvements = 0
        n = len(builder.free)
        self.frac = min(0.5, max(0.08, 60.0 / max(1, n)))
        self.sub_time = 0.5 if n < 1000 else 2.0
        self.max_iter = None
        if det:
            total = max(0.1, deadline - time.monotonic())
            self.max_iter = max(1, int(total / self.sub_time))

    def run(self, worker: int) -> None:
        rng = random.Random(self.seed * 7919 + worker)
        cp_model = self.b.cp_model
        kinds = ["machines", "window", "jobs"]
        if self.b.objective != "makespan":
            kinds.append("late")
        while True:
            now = time.monotonic()
            left = self.deadline - now
            if left < 0.05:
                return
            with self.lock:
                if self.max_iter is not None and self.iterations >= self.max_iter:
                    return
                if self.bound is not None and self.best.obj <= self.bound:
                    return
                cur = self.best
                frac = self.frac
                self.iterations += 1
            kind = rng.choice(kinds)
            relaxed = self._neighbourhood(kind, cur, frac, rng)
            model = self.b.model.clone()
            seqs = self.b.machines_of(cur)
            for _w, ms in seqs.items():
                for seq in ms:
                    prev = None
                    for o in seq:
                        if o in relaxed:
                            continue
                        if prev is not None:
                            model.add(
                                model.get_int_var_from_proto_index(self.b.e[prev].index)
                                <= model.get_int_var_from_proto_index(self.b.s[o].index)
                            )
                        prev = o
            for o in self.b.free:
                if o not in relaxed and self.b.p[o]:
                    lit = self.b.p[o][cur.mode[o]]
                    model.add(model.get_bool_var_from_proto_index(lit.index) == 1)
            model.add(self._primary(model) <= cur.obj)
            self.b.add_hint_clone(model, cur)
            solver = cp_model.CpSolver()
            t = min(self.sub_time, left)
            _params(solver, t, 1, rng.randrange(1 << 20), self.det)
            status = solver.solve(model)
            with self.lock:
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    ms = self.b.read(solver)
                    if ms.obj < self.best.obj:
                        self.improvements += 1
                    if ms.obj <= self.best.obj:
                        self.best = ms
                    if status == cp_model.OPTIMAL:
                        self.frac = min(0.9, self.frac * 1.15)
                    else:
                        self.frac = max(0.03, self.frac * 0.93)
                else:
                    self.frac = max(0.03, self.frac * 0.9)

    def _primary(self, model):
        return model.get_int_var_from_proto_index(self.b.obj_var.index)

    def _neighbourhood(self, kind: str, cur: MSol, frac: float, rng: random.Random) -> set[int]:
        b = self.b
        cp = b.cp
        free = b.free
        target = max(2, int(frac * len(free)))
        relaxed: set[int] = set()
        if kind == "machines":
            seqs = [seq for ms in b.machines_of(cur).values() for seq in ms if seq]
            rng.shuffle(seqs)
            for seq in seqs:
                if len(relaxed) >= target:
                    break
                relaxed.update(seq)
        elif kind == "window":
            ordered = sorted(free, key=lambda o: cur.start[o])
            i = rng.randrange(max(1, len(ordered) - target + 1))
            relaxed.update(ordered[i : i + target])
        else:
            jobs = list(range(len(cp.job_ids)))
            if kind == "late":
                late = [
                    j
                    for j in jobs
                    if b.tard[j] is not None
                    and any(
                        cur.end[o] > b.coords.t(cp.job_due[j])
                        for o in cp.job_sinks[j]
                        if cp.op_fixed[o] is None
                    )
                ]
                if late:
                    jobs = late + rng.sample(jobs, min(len(jobs), len(late)))
            rng.shuffle(jobs)
            for j in jobs:
                if len(relaxed) >= target:
                    break
                relaxed.update(o for o in cp.job_ops[j] if cp.op_fixed[o] is None)
        return relaxed
