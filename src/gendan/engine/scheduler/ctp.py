"""Capable-to-promise: can a hypothetical order be delivered by a date, given the schedule in force?"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from .engine import to_schedule
from .explain import explain
from .flat import flatten
from .model import (
    Bottleneck,
    Impact,
    Job,
    Problem,
    PromiseAnswer,
    Schedule,
    ScheduledOperation,
    SchedulingError,
)
from .sgs import Builder, evaluate


def capable_to_promise(
    problem: Problem,
    in_force: Schedule,
    new_jobs: Sequence[Job],
    requested: int,
    *,
    with_schedule: bool = False,
) -> PromiseAnswer:
    """Insert ``new_jobs`` (the order and its sub-assemblies; their ``release`` dates are the material
    dates the caller supplies; the last job, or the one no other new job depends on, is the order)
    into ``in_force`` (the schedule of ``problem``) without moving frozen work.

    Two answers are computed with the exact calendar-aware builder: the earliest completion using only
    the free capacity left by the schedule in force (nobody else moves), and the earliest completion
    when the new order goes first and the existing work (except frozen work) is re-laid behind it in
    its current order; the orders that would then become (more) late are listed as ``impacts``.
    """
    t0 = time.monotonic()
    if not new_jobs:
        raise SchedulingError("no job given for the capable-to-promise question")
    existing = {j.id for j in problem.jobs}
    for nj in new_jobs:
        if nj.id in existing:
            raise SchedulingError("a job with this id already exists in the schedule", job=nj.id)
    fed = {p for nj in new_jobs for p in nj.predecessors}
    roots = [nj for nj in new_jobs if nj.id not in fed] or [new_jobs[-1]]
    new_jobs = [
        dataclasses.replace(nj, due=requested) if nj in roots and nj.due is None else nj for nj in new_jobs
    ]
    combined = dataclasses.replace(problem, jobs=tuple(problem.jobs) + tuple(new_jobs))
    fp = flatten(combined)
    n_old = sum(len(j.operations) for j in problem.jobs)
    root_idx = [fp.job_ids.index(r.id) for r in roots]

    placed = {(s.job, s.operation): s for s in in_force.operations}
    wc_index = {w: i for i, w in enumerate(fp.wc_ids)}
    old_ops = range(n_old)
    # each operation in force: (its scheduled operation, work centre, mode, machine), looked up once
    where: list[tuple[ScheduledOperation, int, int, int] | None] = [None] * n_old
    for o in old_ops:
        if fp.op_fixed[o] is not None:
            continue
        s = placed.get((fp.job_ids[fp.op_job[o]], fp.op_id[o]))
        if s is None:
            raise SchedulingError(
                "operation missing from the schedule in force",
                job=fp.job_ids[fp.op_job[o]],
                operation=fp.op_id[o],
            )
        w = wc_index[s.work_centre]
        mi = next((i for i, md in enumerate(fp.op_modes[o]) if md.wc == w), 0)
        where[o] = (s, w, mi, min(s.machine, fp.wc_machines[w] - 1))

    # 1) free capacity only: everything in force stays where it is
    b = Builder(fp)
    b.place_fixed()
    for o in old_ops:
        at = where[o]
        if at is not None:
            b.commit(o, at[2], at[0].start, at[0].end, at[3])
    for o in fp.topo:
        if o >= n_old and fp.op_fixed[o] is None:
            b.place(o)
    free_sol = b.sol()
    earliest_free = max(free_sol.end[o] for j in root_idx for o in fp.job_ops[j])

    # 2) top priority: the new order first, the rest re-laid in its current order
    pos = [0] * fp.n_ops
    for i, o in enumerate(fp.topo):
        pos[o] = i
    key: list[tuple[int, int, int]] = [(0, 0, 0)] * fp.n_ops
    modes: list[int] = [0] * fp.n_ops
    for o in old_ops:
        at = where[o]
        if at is not None:
            key[o] = (1, at[0].start, pos[o])
            modes[o] = at[2]
    b2 = Builder(fp)
    b2.place_fixed()
    for o in fp.topo:  # new work first, at its earliest (best mode)
        if o >= n_old and fp.op_fixed[o] is None:
            b2.place(o)
    for o in sorted((o for o in old_ops if fp.op_fixed[o] is None), key=lambda x: key[x]):
        at = where[o]
        assert at is not None
        s, w, _, k = at
        # untouched work keeps its slot (cheap); only what the new order displaces is re-laid
        if b2.est(o) <= s.start and b2.slot_free(w, k, s.start, s.end, fp.op_modes[o][modes[o]].people):
            b2.commit(o, modes[o], s.start, s.end, k)
        else:
            b2.place(o, modes[o])
    sq_sol = b2.sol()
    earliest = max(sq_sol.end[o] for j in root_idx for o in fp.job_ops[j])
    earliest = min(earliest, earliest_free)

    free_met = evaluate(fp, free_sol)
    sq_met = evaluate(fp, sq_sol)
    impacts: list[Impact] = []
    if earliest_free > requested:
        for j in range(len(problem.jobs)):
            d = fp.job_due[j]
            if d is None:
                continue
            if sq_met.tardiness[j] > free_met.tardiness[j]:
                impacts.append(
                    Impact(
                        job=fp.job_ids[j],
                        due=d,
                        completion_before=free_met.completion[j],
                        completion_after=sq_met.completion[j],
                        tardiness_before=free_met.tardiness[j],
                        tardiness_after=sq_met.tardiness[j],
                    )
                )
    possible = earliest <= requested
    limits: Bottleneck | None = None
    root = root_idx[0]
    if earliest_free > requested:
        use_sol, use_met = (sq_sol, sq_met) if not possible else (free_sol, free_met)
        due_cp = dataclasses.replace(fp, job_due=list(fp.job_due))
        due_cp.job_due[root] = requested
        use_met.tardiness[root] = max(1, use_met.completion[root] - requested)
        limits = explain(due_cp, use_sol, use_met, jobs=[root]).get(root)
    sched = None
    if with_schedule:
        chosen_sol, chosen_met = (
            (free_sol, free_met) if earliest_free <= requested or not possible else (sq_sol, sq_met)
        )
        sched = to_schedule(
            fp, chosen_sol, chosen_met, "HEURISTIC", None, in_force.objective, 0.0, "ctp", explain_jobs=False
        )
    return PromiseAnswer(
        possible=possible,
        without_delaying_others=earliest_free <= requested,
        requested=requested,
        earliest=earliest,
        earliest_free=earliest_free,
        impacts=tuple(sorted(impacts, key=lambda i: -(i.tardiness_after - i.tardiness_before))),
        limits=limits,
        schedule=sched,
        seconds=round(time.monotonic() - t0, 3),
    )
