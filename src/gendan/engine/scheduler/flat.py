"""Validation of a :class:`Problem` and its flat, index-based form (:func:`flatten`).

Work centres, operations and jobs become indices 0..n-1 and their attributes plain lists, so that the
builders, rules and searches look things up by index; :func:`csr` and :func:`cached` give them the
numpy arrays they derive from it. Every check of the input data is made here, once, and raises
:class:`SchedulingError` naming the job, operation or work centre at fault."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from .calendar import Calendar
from .model import Problem, SchedulingError


@dataclass
class OpMode:
    """One feasible way to do an operation: work centre index, setup + run minutes, people."""

    wc: int
    duration: int
    people: int
    index: int  # index into Operation.modes


@dataclass
class FlatProblem:
    """A validated :class:`Problem` by index: ``op_*`` per operation, ``job_*`` per job, ``wc_*`` per
    work centre. A job's operations are numbered consecutively; ``topo`` is a topological order."""

    problem: Problem
    now: int
    # work centres
    wc_ids: list[str]
    wc_machines: list[int]
    wc_headcount: list[int | None]
    wc_cal: list[Calendar]
    # operations
    op_job: list[int]
    op_id: list[str]
    op_modes: list[list[OpMode]]
    op_split: list[bool]
    op_preds: list[list[int]]
    op_succs: list[list[int]]
    op_fixed: list[tuple[int, int, int, int] | None]  # (wc, machine, start, end)
    topo: list[int]
    # jobs
    job_ids: list[str]
    job_release: list[int]
    job_due: list[int | None]
    job_weight: list[int]
    job_ops: list[list[int]]
    job_sinks: list[list[int]]
    job_preds: list[list[int]]

    @property
    def n_ops(self) -> int:
        return len(self.op_job)

    def err(self, o: int, message: str, wc: int | None = None) -> SchedulingError:
        return SchedulingError(
            message,
            job=self.job_ids[self.op_job[o]],
            operation=self.op_id[o],
            work_centre=None if wc is None else self.wc_ids[wc],
        )


T = TypeVar("T")


def cached(fp: FlatProblem, name: str, make: Callable[[FlatProblem], T]) -> T:
    """``make(fp)`` once per problem: derived arrays the builders and rules reuse at every rebuild.
    Kept as attributes, not dataclass fields: ``dataclasses.replace`` (capable-to-promise's copy with
    another due date) must not carry over what was derived from the original."""
    value = fp.__dict__.get(name)
    if value is None:
        value = make(fp)
        fp.__dict__[name] = value
    return value


def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Lists of indices as (pointers, flat indices): list i is idx[ptr[i]:ptr[i + 1]]."""
    ptr = np.zeros(len(lists) + 1, np.int64)
    for i, xs in enumerate(lists):
        ptr[i + 1] = ptr[i] + len(xs)
    idx = np.array([x for xs in lists for x in xs], dtype=np.int64) if ptr[-1] else np.zeros(1, np.int64)
    return ptr, idx


def _check_int(value: object, what: str, job: str, op: str | None = None, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SchedulingError(
            f"{what} must be an integer number of minutes, got {value!r}", job=job, operation=op
        )
    if value < minimum:
        raise SchedulingError(f"{what} must be >= {minimum}, got {value}", job=job, operation=op)
    return value


def flatten(problem: Problem) -> FlatProblem:
    """Check ``problem`` and give it in flat form; :class:`SchedulingError` names what is wrong (a
    duplicate id, a negative time, an operation no work centre can do, a precedence cycle, frozen work
    overlapping beyond a centre's machines...)."""
    wc_index: dict[str, int] = {}
    wc_ids: list[str] = []
    wc_machines: list[int] = []
    wc_head: list[int | None] = []
    wc_cal: list[Calendar] = []
    for wc in problem.work_centres:
        if wc.id in wc_index:
            raise SchedulingError("work centre defined twice", work_centre=wc.id)
        wc_index[wc.id] = len(wc_ids)
        wc_ids.append(wc.id)
        wc_machines.append(int(wc.machines))
        wc_head.append(None if wc.headcount is None else int(wc.headcount))
        wc_cal.append(wc.calendar if wc.calendar is not None else problem.calendar)

    fp = FlatProblem(
        problem=problem,
        now=int(problem.now),
        wc_ids=wc_ids,
        wc_machines=wc_machines,
        wc_headcount=wc_head,
        wc_cal=wc_cal,
        op_job=[],
        op_id=[],
        op_modes=[],
        op_split=[],
        op_preds=[],
        op_succs=[],
        op_fixed=[],
        topo=[],
        job_ids=[],
        job_release=[],
        job_due=[],
        job_weight=[],
        job_ops=[],
        job_sinks=[],
        job_preds=[],
    )
    job_index: dict[str, int] = {}
    for job in problem.jobs:
        if job.id in job_index:
            raise SchedulingError("job defined twice", job=job.id)
        j = len(fp.job_ids)
        job_index[job.id] = j
        fp.job_ids.append(job.id)
        fp.job_release.append(_check_int(job.release, "release date", job.id))
        fp.job_due.append(None if job.due is None else _check_int(job.due, "due date", job.id))
        fp.job_weight.append(_check_int(job.weight, "weight", job.id))
        if not job.operations:
            raise SchedulingError("job has no operations", job=job.id)
        local: dict[str, int] = {}
        ops: list[int] = []
        for op in job.operations:
            if op.id in local:
                raise SchedulingError("operation defined twice in the job", job=job.id, operation=op.id)
            o = len(fp.op_job)
            local[op.id] = o
            ops.append(o)
            fp.op_job.append(j)
            fp.op_id.append(op.id)
            fp.op_split.append(bool(op.splittable))
            fp.op_preds.append([])
            fp.op_succs.append([])
            modes: list[OpMode] = []
            reasons: list[str] = []
            for mi, m in enumerate(op.modes):
                run = _check_int(m.run, "run time", job.id, op.id)
                setup = _check_int(m.setup, "setup time", job.id, op.id)
                people = _check_int(m.people, "people needed", job.id, op.id)
                w = wc_index.get(m.work_centre)
                if w is None:
                    reasons.append(f"unknown work centre {m.work_centre!r}")
                    continue
                if wc_machines[w] <= 0:
                    reasons.append(f"work centre {m.work_centre!r} has no machine")
                    continue
                head = wc_head[w]
                if head is not None and people > head:
                    reasons.append(f"needs {people} people, work centre {m.work_centre!r} has {head}")
                    continue
                cal = wc_cal[w]
                if cal.total_work <= 0:
                    reasons.append(f"work centre {m.work_centre!r} has no working time in its calendar")
                    continue
                if not op.splittable and run + setup > cal.longest_interval:
                    reasons.append(
                        f"not splittable and {run + setup} min does not fit in any working period of "
                        f"{m.work_centre!r} (longest {cal.longest_interval} min)"
                    )
                    continue
                modes.append(OpMode(w, run + setup, people, mi))
            fixed = None
            if op.frozen is not None:
                fz = op.frozen
                w = wc_index.get(fz.work_centre)
                if w is None:
                    raise SchedulingError(
                        f"frozen on unknown work centre {fz.work_centre!r}", job=job.id, operation=op.id
                    )
                start = _check_int(fz.start, "frozen start", job.id, op.id, minimum=-(1 << 40))
                mode_i = next((mm for mm in modes if mm.wc == w), None)
                if fz.end is not None:
                    end = _check_int(fz.end, "frozen end", job.id, op.id, minimum=-(1 << 40))
                    if end < start:
                        raise SchedulingError("frozen end before its start", job=job.id, operation=op.id)
                else:
                    dur = mode_i.duration if mode_i else (op.modes[0].duration if op.modes else 0)
                    fit = wc_cal[w].fit(start, dur, splittable=True)
                    if fit is None:
                        raise SchedulingError(
                            "frozen operation runs past the end of the calendar", job=job.id, operation=op.id
                        )
                    end = fit[1]
                machine = fz.machine if fz.machine is not None else -1
                if machine >= wc_machines[w]:
                    raise SchedulingError(
                        f"frozen on machine {machine} but the centre has {wc_machines[w]}",
                        job=job.id,
                        operation=op.id,
                        work_centre=fz.work_centre,
                    )
                fixed = (w, machine, start, end)
                if not modes:
                    modes = [OpMode(w, max(0, end - start), 1, -1)]
            if not modes:
                why = "; ".join(reasons) if reasons else "no mode given"
                raise SchedulingError(
                    f"no work centre can do this operation ({why})", job=job.id, operation=op.id
                )
            fp.op_modes.append(modes)
            fp.op_fixed.append(fixed)
        # precedence inside the job
        for k, op in enumerate(job.operations):
            o = ops[k]
            if op.after is None:
                preds = [ops[k - 1]] if k > 0 else []
            else:
                preds = []
                for name in op.after:
                    if name not in local:
                        raise SchedulingError(
                            f"depends on unknown operation {name!r}", job=job.id, operation=op.id
                        )
                    preds.append(local[name])
            for p in preds:
                if p == o:
                    raise SchedulingError("operation depends on itself", job=job.id, operation=op.id)
                fp.op_preds[o].append(p)
                fp.op_succs[p].append(o)
        has_succ = {p for o in ops for p in fp.op_preds[o]}
        fp.job_ops.append(ops)
        fp.job_sinks.append([o for o in ops if o not in has_succ])
        fp.job_preds.append([])

    # precedence between jobs (sub-assemblies)
    for job in problem.jobs:
        j = job_index[job.id]
        for name in job.predecessors:
            if name not in job_index:
                raise SchedulingError(f"depends on unknown job {name!r}", job=job.id)
            pj = job_index[name]
            if pj == j:
                raise SchedulingError("job depends on itself", job=job.id)
            fp.job_preds[j].append(pj)
            own = set(fp.job_ops[j])
            # sources, and operations whose own predecessors are all frozen (those do not carry the wait)
            sources = [
                o
                for o in fp.job_ops[j]
                if not any(p in own and fp.op_fixed[p] is None for p in fp.op_preds[o])
            ]
            for o in sources:
                for s in fp.job_sinks[pj]:
                    fp.op_preds[o].append(s)
                    fp.op_succs[s].append(o)

    # topological order, cycle detection
    n = fp.n_ops
    indeg = [len(p) for p in fp.op_preds]
    queue = deque(o for o in range(n) if indeg[o] == 0)
    topo: list[int] = []
    while queue:
        o = queue.popleft()
        topo.append(o)
        for s in fp.op_succs[o]:
            indeg[s] -= 1
            if indeg[s] == 0:
                queue.append(s)
    if len(topo) < n:
        bad = next(o for o in range(n) if indeg[o] > 0)
        # walk back along unresolved predecessors to land on the cycle itself
        seen: set[int] = set()
        while bad not in seen:
            seen.add(bad)
            bad = next(p for p in fp.op_preds[bad] if indeg[p] > 0)
        raise fp.err(bad, "precedence cycle (the operation indirectly depends on itself)")
    fp.topo = topo

    # frozen operations must fit their work centre's capacity
    by_wc: dict[int, list[tuple[int, int, int]]] = {}  # wc -> (start, end, operation)
    for o, fx in enumerate(fp.op_fixed):
        if fx is not None:
            by_wc.setdefault(fx[0], []).append((fx[2], fx[3], o))
    for w, frozen in by_wc.items():
        events = sorted(frozen)
        running: list[tuple[int, int]] = []
        for s, e, o in events:
            if e <= s:
                continue
            running = [(ee, oo) for ee, oo in running if ee > s]
            running.append((e, o))
            if len(running) > fp.wc_machines[w]:
                raise fp.err(o, "frozen operations overlap beyond the centre's machines", w)
    return fp
