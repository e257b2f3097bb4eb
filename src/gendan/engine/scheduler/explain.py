"""Why is a job late? Its own chain, a material release, or a work centre it queued at."""

from __future__ import annotations

from .flat import FlatProblem
from .model import Bottleneck
from .sgs import Metrics, Sol


def _ancestors(fp: FlatProblem, jobs: list[int]) -> set[int]:
    seen: set[int] = set()
    stack = [o for j in jobs for o in fp.job_ops[j]]
    while stack:
        o = stack.pop()
        if o in seen:
            continue
        seen.add(o)
        stack.extend(fp.op_preds[o])
    return seen


def alone_finish(fp: FlatProblem, *, only: set[int] | None = None) -> tuple[list[int], list[int], list[int]]:
    """Earliest end of every operation (or of ``only`` and its ancestors) if the factory did nothing
    else (calendars, precedence, frozen work kept), without and with the jobs' material release dates.
    Returns (end per op without releases, end per op with them, binding release job or -1). One walk
    for both: where no release binds they start at the same time and share the calendar fit (a
    50,000-operation factory spent two seconds here, explaining its late orders)."""
    n = fp.n_ops
    free = [0] * n
    end = [0] * n
    cause = [-1] * n
    for o in fp.topo:
        if only is not None and o not in only:
            continue
        fx = fp.op_fixed[o]
        if fx is not None:
            free[o] = end[o] = fx[3]
            continue
        j = fp.op_job[o]
        tf = t = fp.now
        c = -1
        if fp.job_release[j] > t:
            t = fp.job_release[j]
            c = j
        for p in fp.op_preds[o]:
            if free[p] > tf:
                tf = free[p]
            if end[p] > t:
                t = end[p]
                c = cause[p]
        end[o] = _earliest_end(fp, o, t)
        free[o] = end[o] if tf == t else _earliest_end(fp, o, tf)
        cause[o] = c
    return free, end, cause


def _earliest_end(fp: FlatProblem, o: int, t: int) -> int:
    best = None
    for md in fp.op_modes[o]:
        fit = fp.wc_cal[md.wc].fit(t, md.duration, splittable=fp.op_split[o])
        if fit is not None and (best is None or fit[1] < best):
            best = fit[1]
    return best if best is not None else t


def explain(fp: FlatProblem, sol: Sol, met: Metrics, jobs: list[int] | None = None) -> dict[int, Bottleneck]:
    late = [j for j in range(len(fp.job_ids)) if met.tardiness[j] > 0] if jobs is None else jobs
    if not late:
        return {}
    only = _ancestors(fp, late) if len(late) < len(fp.job_ids) // 4 else None
    free_end, rel_end, rel_cause = alone_finish(fp, only=only)
    out: dict[int, Bottleneck] = {}
    for j in late:
        due = fp.job_due[j]
        if due is None:
            continue
        sinks = fp.job_sinks[j]
        chain_c = max(free_end[o] for o in sinks)
        rel_c = max(rel_end[o] for o in sinks)
        if chain_c > due:
            out[j] = Bottleneck(
                kind="chain",
                minutes=chain_c - due,
                job=fp.job_ids[j],
                detail="even alone in the factory, its operations (and sub-assemblies) end after the due date",
            )
            continue
        if rel_c > due:
            last = max(sinks, key=lambda o: rel_end[o])
            rj = rel_cause[last]
            out[j] = Bottleneck(
                kind="material",
                minutes=rel_c - due,
                job=fp.job_ids[rj] if rj >= 0 else fp.job_ids[j],
                detail="material release date leaves too little time before the due date",
            )
            continue
        # queueing along the critical chain of the actual schedule
        waits: dict[int, int] = {}
        worst_op: dict[int, tuple[int, int]] = {}
        o: int | None = max(sinks, key=lambda x: sol.end[x])
        seen = set()
        while o is not None and o not in seen:
            seen.add(o)
            if fp.op_fixed[o] is not None:
                break
            jj = fp.op_job[o]
            est = max(fp.now, fp.job_release[jj])
            pred = None
            for p in fp.op_preds[o]:
                if sol.end[p] > est or (pred is None and sol.end[p] == est and est > fp.now):
                    est = sol.end[p]
                    pred = p
            w = sol.wc[o]
            nxt = fp.wc_cal[w].next_working(est)
            wait = 0 if nxt is None else max(0, sol.start[o] - nxt)
            if wait > 0:
                waits[w] = waits.get(w, 0) + wait
                if wait > worst_op.get(w, (0, -1))[0]:
                    worst_op[w] = (wait, o)
            o = pred
        if waits:
            w = max(waits, key=lambda x: waits[x])
            op = worst_op[w][1]
            out[j] = Bottleneck(
                kind="work_centre",
                minutes=waits[w],
                work_centre=fp.wc_ids[w],
                job=fp.job_ids[fp.op_job[op]],
                operation=fp.op_id[op],
                detail="queued behind other work at this work centre",
            )
        else:
            out[j] = Bottleneck(
                kind="chain",
                minutes=met.tardiness[j],
                job=fp.job_ids[j],
                detail="no queueing on its critical chain; its operations simply take too long",
            )
    return out
