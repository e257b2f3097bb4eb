"""The CP-SAT model of a flat problem, its solutions, and the solver's parameters.

The model works in "model coordinates": the working-time minutes of a reference calendar. When every
work centre that still has work shares one calendar (or there is no calendar at all) this is exact:
a splittable operation of d working minutes is an interval of size d, a non-splittable one may only
start where it fits in one working period. With mixed calendars durations are scaled by each centre's
capacity ratio and the model is an approximation; in both cases the solution is turned back into real
time by the exact builder in :mod:`.sgs` (:meth:`CpModelBuilder.rebuild`), which uses the solver's
order and work-centre choices.

Which searches run on the model, and for how long, is decided in :mod:`.portfolio`.

``ortools`` is imported lazily (it is slow to import) so that importing the data classes stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .calendar import Calendar
from .flat import FlatProblem
from .sgs import Sol, build


@dataclass
class Coords:
    """Model coordinates: working minutes of the calendar ``ref``; ``exact`` when every centre with
    work uses it, else each centre's durations are scaled by its ``factor``."""

    exact: bool
    ref: Calendar
    factor: list[float]  # per work centre

    def model_time(self, real: int) -> int:
        """The model minute of the real minute ``real``."""
        return self.ref.work_before(real)

    def size(self, fp: FlatProblem, o: int, mode: int) -> int:
        """Duration of operation ``o`` in its alternative ``mode``, in model minutes."""
        md = fp.op_modes[o][mode]
        if self.exact:
            return md.duration
        return int(math.ceil(md.duration * self.factor[md.wc]))


def make_coords(fp: FlatProblem) -> Coords:
    """The calendar most of the work that is not frozen runs on is the reference."""
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
class ModelSolution:
    """A solution in model coordinates: start, end and alternative (index into ``fp.op_modes[o]``) of
    every operation that is not frozen, and its objective ``value`` in the model."""

    start: list[int]
    end: list[int]
    mode: list[int]
    value: int


class CpModelBuilder:
    """The CP-SAT model of ``fp``: an interval per operation (an optional one per alternative work
    centre), no overlap or cumulative per work centre (and per headcount), precedence, and the
    objective (weighted tardiness or makespan; for the secondary phase the makespan or the work in
    progress too)."""

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
        to_model = coords.model_time
        #: the operations the model places (not frozen)
        self.free_ops = [o for o in range(n) if fp.op_fixed[o] is None]
        #: duration of every operation in each of its alternatives, in model minutes
        self.sizes = [[coords.size(fp, o, mi) for mi in range(len(fp.op_modes[o]))] for o in range(n)]
        #: earliest start of every free operation (now, its job's release, frozen predecessors)
        self.earliest = [0] * n
        #: where frozen operations are, in model minutes
        self.frozen_start = [0] * n
        self.frozen_end = [0] * n
        fixed_end = 0
        for o in range(n):
            fx = fp.op_fixed[o]
            if fx is not None:
                self.frozen_start[o] = to_model(fx[2]) if fx[2] >= 0 else fx[2]
                self.frozen_end[o] = max(self.frozen_start[o], to_model(fx[3]) if fx[3] >= 0 else fx[3])
                fixed_end = max(fixed_end, self.frozen_end[o])
        for o in fp.topo:
            if fp.op_fixed[o] is not None:
                continue
            earliest = to_model(max(fp.now, fp.job_release[fp.op_job[o]]))
            for p in fp.op_preds[o]:
                if fp.op_fixed[p] is not None:
                    earliest = max(earliest, self.frozen_end[p])
            self.earliest[o] = earliest
        horizon = max([fixed_end] + [self.earliest[o] for o in self.free_ops]) + sum(
            max(self.sizes[o]) for o in self.free_ops
        )
        if coords.exact:  # a non-splittable operation may leave unusable time before a period boundary
            horizon += sum(max(self.sizes[o]) for o in self.free_ops if not fp.op_split[o])
        self.horizon = horizon
        self.start_vars: list[Any] = [None] * n
        self.end_vars: list[Any] = [None] * n
        #: per operation with alternatives: the literal "runs in alternative k" for each k
        self.mode_lits: list[list[Any]] = [[] for _ in range(n)]
        intervals: dict[int, list[tuple[Any, int]]] = {}  # wc -> (interval, people)
        ref = coords.ref
        for o in range(n):
            fx = fp.op_fixed[o]
            if fx is not None:
                w = fx[0]
                iv = m.new_fixed_size_interval_var(
                    self.frozen_start[o], self.frozen_end[o] - self.frozen_start[o], f"f{o}"
                )
                mi = next((i for i, md in enumerate(fp.op_modes[o]) if md.wc == w), None)
                people = fp.op_modes[o][mi].people if mi is not None else 1
                intervals.setdefault(w, []).append((iv, people))
                continue
            modes = fp.op_modes[o]
            earliest = self.earliest[o]
            start = m.new_int_var(earliest, horizon, f"s{o}")
            end = m.new_int_var(earliest, horizon, f"e{o}")
            self.start_vars[o], self.end_vars[o] = start, end
            if len(modes) == 1:
                size = self.sizes[o][0]
                iv = m.new_interval_var(start, size, end, f"i{o}")
                intervals.setdefault(modes[0].wc, []).append((iv, modes[0].people))
                if coords.exact and not fp.op_split[o] and size > 0:
                    m.add_linear_expression_in_domain(start, self._starts_within_periods(ref, size))
            else:
                lits = []
                for mi, md in enumerate(modes):
                    lit = m.new_bool_var(f"p{o}_{mi}")
                    size = self.sizes[o][mi]
                    iv = m.new_optional_fixed_size_interval_var(start, size, lit, f"i{o}_{mi}")
                    m.add(end == start + size).only_enforce_if(lit)
                    intervals.setdefault(md.wc, []).append((iv, md.people))
                    if coords.exact and not fp.op_split[o] and size > 0:
                        m.add_linear_expression_in_domain(
                            start, self._starts_within_periods(ref, size)
                        ).only_enforce_if(lit)
                    lits.append(lit)
                m.add_exactly_one(lits)
                self.mode_lits[o] = lits
        for w, items in intervals.items():
            ivs = [iv for iv, _ in items]
            machines = fp.wc_machines[w]
            if machines == 1:
                m.add_no_overlap(ivs)
            else:
                m.add_cumulative(ivs, [1] * len(ivs), machines)
            head = fp.wc_headcount[w]
            if head is not None and head < machines * max(pp for _, pp in items):
                m.add_cumulative(ivs, [pp for _, pp in items], head)
        for o in self.free_ops:
            for p in fp.op_preds[o]:
                if fp.op_fixed[p] is None:
                    m.add(self.end_vars[p] <= self.start_vars[o])
        # objective pieces
        nj = len(fp.job_ids)
        #: per job with a due date, a weight and free work: its tardiness and due date in model minutes
        self.tardiness_vars: dict[int, Any] = {}
        self.model_due: dict[int, int] = {}
        free_sinks = [[o for o in fp.job_sinks[j] if fp.op_fixed[o] is None] for j in range(nj)]
        terms = []
        for j in range(nj):
            d, w = fp.job_due[j], fp.job_weight[j]
            if d is None or w <= 0 or not free_sinks[j]:
                continue
            due = to_model(d)
            tardiness = m.new_int_var(0, horizon, f"t{j}")
            for o in free_sinks[j]:
                m.add(tardiness >= self.end_vars[o] - due)
            self.tardiness_vars[j] = tardiness
            self.model_due[j] = due
            terms.append(w * tardiness)
        self.weighted_tardiness: Any = sum(terms) if terms else 0
        self.makespan_var = m.new_int_var(0, horizon, "cmax")
        all_sinks = [self.end_vars[o] for j in range(nj) for o in free_sinks[j]]
        if all_sinks:
            m.add_max_equality(self.makespan_var, all_sinks)
        #: work in progress (the secondary objective "wip"): the sum over jobs of completion - start
        self.wip_var: Any = None
        self.job_span_vars: dict[int, tuple[Any, Any]] = {}  # job -> (completion, first start)
        if secondary == "wip" and objective != "makespan":
            parts = []
            for j in range(nj):
                free = [o for o in fp.job_ops[j] if fp.op_fixed[o] is None]
                if not free or not free_sinks[j]:
                    continue
                completion = m.new_int_var(0, horizon, f"c{j}")
                first_start = m.new_int_var(0, horizon, f"st{j}")
                for o in free_sinks[j]:
                    m.add(completion >= self.end_vars[o])
                for o in free:
                    m.add(first_start <= self.start_vars[o])
                self.job_span_vars[j] = (completion, first_start)
                parts.append(completion - first_start)
            if parts:
                self.wip_var = m.new_int_var(-horizon * nj, horizon * nj, "wip")
                m.add(self.wip_var == sum(parts))
        primary = self.makespan_var if objective == "makespan" else self.weighted_tardiness
        #: the primary objective as one variable (the secondary phase bounds it)
        if objective == "makespan":
            self.objective_var = self.makespan_var
        else:
            self.objective_var = m.new_int_var(0, horizon * max(1, sum(fp.job_weight)), "obj")
            m.add(self.objective_var == primary)
        m.minimize(primary)

    def _starts_within_periods(self, ref: Calendar, size: int) -> Any:
        """The model minutes at which an operation of ``size`` fits in one working period of ``ref``."""
        cum = 0
        ivs = []
        for a, b in ref.intervals:
            ln = b - a
            if ln >= size:
                ivs.append([cum, cum + ln - size])
            cum += ln
        return self.cp_model.Domain.from_intervals(ivs)

    # ---------------------------------------------------------------- solutions
    def from_schedule(self, sol: Sol, value: int) -> ModelSolution:
        """A schedule in real time (a dispatching rule's, say) in model coordinates, as a hint."""
        fp = self.fp
        n = fp.n_ops
        start = [0] * n
        end = [0] * n
        for o in self.free_ops:
            start[o] = max(self.earliest[o], self.coords.model_time(sol.start[o]))
            end[o] = start[o] + self.sizes[o][sol.mode[o]]
        if not self.coords.exact:
            # make the hint consistent in model coordinates: forward pass keeping machine sequences
            last: dict[tuple[int, int], int] = {}
            for o in sorted(self.free_ops, key=lambda x: (sol.start[x], sol.end[x])):
                t = self.earliest[o]
                for p in fp.op_preds[o]:
                    t = max(t, end[p] if fp.op_fixed[p] is None else self.frozen_end[p])
                key = (sol.wc[o], sol.machine[o])
                t = max(t, last.get(key, 0))
                start[o] = t
                end[o] = t + self.sizes[o][sol.mode[o]]
                last[key] = end[o]
        return ModelSolution(start, end, sol.mode[:], value)

    def rebuild(self, ms: ModelSolution) -> Sol:
        """The exact schedule in real time that follows ``ms``: its operations placed by the calendar-aware
        builder in the order of their model start times, each in its alternative."""
        fp = self.fp
        pos = [0] * fp.n_ops
        for i, o in enumerate(fp.topo):
            pos[o] = i
        key = [(ms.start[o], ms.end[o], pos[o]) for o in range(fp.n_ops)]
        return build(fp, key, ms.mode)

    def _completion(self, ms: ModelSolution, j: int) -> int:
        return max(ms.end[o] for o in self.fp.job_sinks[j] if self.fp.op_fixed[o] is None)

    def objective_value(self, ms: ModelSolution) -> int:
        """The model's primary objective for ``ms``."""
        fp = self.fp
        if self.objective == "makespan":
            return max((ms.end[o] for o in self.free_ops), default=0)
        return sum(
            fp.job_weight[j] * max(0, self._completion(ms, j) - due) for j, due in self.model_due.items()
        )

    def helper_values(self, ms: ModelSolution) -> list[tuple[Any, int]]:
        """Values of the objective's helper variables implied by a solution (a complete hint matters)."""
        fp = self.fp
        out: list[tuple[Any, int]] = []
        makespan = max((ms.end[o] for o in self.free_ops), default=0)
        out.append((self.makespan_var, makespan))
        weighted = 0
        for j, tardiness in self.tardiness_vars.items():
            late = max(0, self._completion(ms, j) - self.model_due[j])
            out.append((tardiness, late))
            weighted += fp.job_weight[j] * late
        if self.objective_var is not self.makespan_var:
            out.append((self.objective_var, weighted))
        wip = 0
        for j, (completion, first_start) in self.job_span_vars.items():
            c = self._completion(ms, j)
            s = min(ms.start[o] for o in fp.job_ops[j] if fp.op_fixed[o] is None)
            out.append((completion, c))
            out.append((first_start, s))
            wip += c - s
        if self.wip_var is not None:
            out.append((self.wip_var, wip))
        return out

    def set_hint(self, model: Any, ms: ModelSolution) -> None:
        """``ms`` as the hint of ``model``: the builder's own model or a clone of it."""
        model.clear_hints()
        int_var = model.get_int_var_from_proto_index
        bool_var = model.get_bool_var_from_proto_index
        for o in self.free_ops:
            model.add_hint(int_var(self.start_vars[o].index), ms.start[o])
            model.add_hint(int_var(self.end_vars[o].index), ms.end[o])
            for mi, lit in enumerate(self.mode_lits[o]):
                model.add_hint(bool_var(lit.index), 1 if mi == ms.mode[o] else 0)
        for var, val in self.helper_values(ms):
            model.add_hint(int_var(var.index), val)

    def secondary_model(self, best: ModelSolution) -> Any:
        """A copy of the model for the secondary phase: the primary objective at most ``best``'s, the
        secondary one (work in progress, else the makespan) minimised, ``best`` as the hint."""
        model = self.model.clone()
        int_var = model.get_int_var_from_proto_index
        model.add(int_var(self.objective_var.index) <= best.value)
        target = self.wip_var if self.secondary == "wip" and self.wip_var is not None else self.makespan_var
        model.minimize(int_var(target.index))
        self.set_hint(model, best)
        return model

    def solution(self, solver: Any) -> ModelSolution:
        """The solution ``solver`` found."""
        n = self.fp.n_ops
        start = [0] * n
        end = [0] * n
        mode = [0] * n
        for o in self.free_ops:
            start[o] = solver.value(self.start_vars[o])
            end[o] = solver.value(self.end_vars[o])
            for mi, lit in enumerate(self.mode_lits[o]):
                if solver.boolean_value(lit):
                    mode[o] = mi
        return ModelSolution(start, end, mode, int(round(solver.objective_value)))


DETERMINISTIC_SAFETY_SECONDS = 60.0  # at least, for a search limited by deterministic time


def solver_parameters(solver: Any, *, seconds: float, workers: int, seed: int, deterministic: bool) -> None:
    """Set ``solver``'s time limit, workers and seed. ``deterministic``: one worker and a limit in
    CP-SAT's deterministic time (its measure of work done, the same on a fast or a loaded machine),
    with a wall-clock limit only as a safety net, far above what that work takes even on a loaded
    machine (a short search can take twenty times its deterministic time in seconds there)."""
    p = solver.parameters
    p.num_workers = max(1, workers)
    p.random_seed = seed
    p.max_time_in_seconds = max(0.01, seconds)
    if deterministic:
        p.num_workers = 1
        p.max_deterministic_time = max(0.01, seconds)
        p.max_time_in_seconds = max(DETERMINISTIC_SAFETY_SECONDS, seconds * 100)
