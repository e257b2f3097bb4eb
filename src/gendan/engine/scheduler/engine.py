"""Public entry point: :func:`schedule`, and the translation of the engine's result into a :class:`Schedule`."""

from __future__ import annotations

import time

from . import portfolio
from .explain import explain
from .flat import FlatProblem, flatten
from .model import JobResult, Options, Problem, Schedule, ScheduledOperation
from .sgs import Metrics, Sol


def schedule(problem: Problem, options: Options | None = None) -> Schedule:
    """Finite-capacity schedule of ``problem``; always returns within ``options.time_limit`` (+ a little
    Python overhead on very large problems), or, given a ``work_limit``, after that much work (the same
    schedule on any machine). Raises :class:`SchedulingError` on bad or infeasible data. Which searches
    run, and for how long, is decided in :mod:`.portfolio`."""
    opts = options or Options()
    t0 = time.monotonic()
    fp = flatten(problem)
    out = portfolio.run(fp, opts, t0)
    return to_schedule(
        fp, out.sol, out.met, out.status, out.bound, opts.objective, time.monotonic() - t0, out.method
    )


def to_schedule(
    fp: FlatProblem,
    sol: Sol,
    met: Metrics,
    status: str,
    bound: int | None,
    objective: str,
    seconds: float,
    method: str,
    *,
    explain_jobs: bool = True,
) -> Schedule:
    """The schedule ``sol`` as the engine's answer; ``explain_jobs``: say why each late job is late."""
    ops = []
    for j, oplist in enumerate(fp.job_ops):
        for o in oplist:
            md = fp.op_modes[o][sol.mode[o]]
            ops.append(
                ScheduledOperation(
                    job=fp.job_ids[j],
                    operation=fp.op_id[o],
                    work_centre=fp.wc_ids[sol.wc[o]],
                    machine=sol.machine[o],
                    start=sol.start[o],
                    end=sol.end[o],
                    mode=md.index if md.wc == sol.wc[o] else -1,
                    frozen=fp.op_fixed[o] is not None,
                )
            )
    reasons = explain(fp, sol, met) if explain_jobs else {}
    jobs = []
    for j in range(len(fp.job_ids)):
        d = fp.job_due[j]
        c = met.completion[j]
        jobs.append(
            JobResult(
                job=fp.job_ids[j],
                start=met.job_start[j],
                completion=c,
                due=d,
                weight=fp.job_weight[j],
                lateness=None if d is None else c - d,
                tardiness=met.tardiness[j],
                bottleneck=reasons.get(j),
            )
        )
    return Schedule(
        operations=tuple(ops),
        jobs=tuple(jobs),
        status=status,
        objective=objective,
        weighted_tardiness=met.twt,
        makespan=met.makespan,
        wip=met.wip,
        bound=bound,
        seconds=round(seconds, 3),
        method=method,
    )
