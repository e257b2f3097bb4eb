"""Dispatching rules: the priority keys the schedule builders place operations by, and the dispatcher
that builds one schedule per rule and keeps the best.

The keys are numpy columns (:class:`.keys.Keys`): the lead-time walks recompute them at every rebuild
of problems with 10,000+ operations, so the due-date dependent part (latest finish times, the due date
of the order each job feeds) is computed level by level on arrays, and what does not depend on due
dates is computed once per problem."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .flat import FlatProblem, cached
from .keys import Keys
from .sgs import INF, Metrics, Sol, build, build_gt, evaluate

FINF = float(INF)


@dataclass
class Statics:
    dur: np.ndarray  # estimated elapsed duration (min over modes, stretched by calendar)
    head: np.ndarray
    tail: np.ndarray  # longest remaining path including the op
    lf: np.ndarray  # latest finish from due dates downstream
    weight: np.ndarray  # heaviest weight of the jobs an operation leads to (with a due date)
    root_due: np.ndarray  # due date of the order the job feeds (EDD as an ERP does it)
    root_weight: np.ndarray
    root_work: np.ndarray  # work of the whole order (all its jobs)
    now: int

    def order_key(self, k: float) -> np.ndarray:
        nj = len(self.root_due)
        pbar = float(self.root_work.sum()) / max(1, nj) or 1.0
        slack = np.maximum(0.0, self.root_due - self.now - self.root_work)
        idx = np.maximum(1, self.root_weight) / np.maximum(1.0, self.root_work) * np.exp(-slack / (k * pbar))
        return np.where(self.root_due >= INF / 2, FINF, -idx)


@dataclass
class _Shape:
    """What the keys need that does not depend on due dates (cached per problem)."""

    dur: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    pos: np.ndarray  # position in the topological order
    job: np.ndarray  # job of each operation
    sink_of: np.ndarray  # the job an operation ends (-1 if it is not one of its job's last)
    levels: list[tuple[np.ndarray, np.ndarray]]  # edges (op, successor) by the op's height
    jobs_down: list[int]  # jobs, those fed by others first
    succ_jobs: list[list[int]]
    root_work: np.ndarray


def shape(fp: FlatProblem) -> _Shape:
    return cached(fp, "_rule_shape", _make_shape)


def _make_shape(fp: FlatProblem) -> _Shape:
    n = fp.n_ops
    stretch = []
    for w in range(len(fp.wc_ids)):
        cal = fp.wc_cal[w]
        span = min(cal.end, 1 << 30) - (cal.intervals[0][0] if cal.intervals else 0)
        stretch.append(max(1.0, span / cal.total_work) if cal.total_work else 1.0)
    dur = [min(m.duration * stretch[m.wc] for m in fp.op_modes[o]) for o in range(n)]
    head = [0.0] * n
    for o in fp.topo:
        h = float(max(fp.now, fp.job_release[fp.op_job[o]]))
        for p in fp.op_preds[o]:
            h = max(h, head[p] + dur[p])
        head[o] = h
    tail = [0.0] * n
    height = [0] * n  # longest number of edges to the end
    for o in reversed(fp.topo):
        tail[o] = max((tail[s] for s in fp.op_succs[o]), default=0.0) + dur[o]
        height[o] = max((height[s] + 1 for s in fp.op_succs[o]), default=0)
    edges: list[tuple[list[int], list[int]]] = [([], []) for _ in range(max(height, default=0) + 1)]
    for o in range(n):
        for s in fp.op_succs[o]:
            edges[height[o]][0].append(o)
            edges[height[o]][1].append(s)
    levels = [(np.array(a, np.int64), np.array(b, np.int64)) for a, b in edges[1:]]
    pos = [0] * n
    for i, o in enumerate(fp.topo):
        pos[o] = i
    sink_of = [-1] * n
    for j, sinks in enumerate(fp.job_sinks):
        for o in sinks:
            sink_of[o] = j
    nj = len(fp.job_ids)
    order = sorted(range(nj), key=lambda j: -min(pos[o] for o in fp.job_ops[j]))
    succ_jobs: list[list[int]] = [[] for _ in range(nj)]
    for j in range(nj):
        for p in fp.job_preds[j]:
            succ_jobs[p].append(j)
    # work of the order a job belongs to: own work plus everything feeding it, taken at the root
    job_work = [sum(dur[o] for o in fp.job_ops[j]) for j in range(nj)]
    acc = job_work[:]
    for j in reversed(order):  # feeders before the jobs they feed
        for p in fp.job_preds[j]:
            acc[j] += acc[p]
    root_work = [0.0] * nj
    for j in order:
        succ = succ_jobs[j]
        root_work[j] = max((root_work[s] for s in succ), default=acc[j]) if succ else acc[j]
    f64 = np.float64
    return _Shape(
        np.array(dur, f64), np.array(head, f64), np.array(tail, f64), np.array(pos, np.int64),
        np.array(fp.op_job, np.int64), np.array(sink_of, np.int64), levels, order, succ_jobs,
        np.array(root_work, f64),
    )  # fmt: skip


def statics(fp: FlatProblem, dues: list[int | None] | None = None) -> Statics:
    sh = shape(fp)
    job_due = fp.job_due if dues is None else dues
    nj = len(fp.job_ids)
    due = np.array([FINF if d is None else float(d) for d in job_due], np.float64)
    jw = np.array([0 if d is None else w for d, w in zip(job_due, fp.job_weight, strict=True)], np.int64)
    # latest finish: the due date at the job's last operations, less the successors' durations
    # downstream; the heaviest weight downstream (operations of a height only lead to lower ones)
    sinks = sh.sink_of >= 0
    lf = np.full(fp.n_ops, FINF)
    wt = np.zeros(fp.n_ops, np.int64)
    lf[sinks] = due[sh.sink_of[sinks]]
    wt[sinks] = jw[sh.sink_of[sinks]]
    for src, dst in sh.levels:
        np.minimum.at(lf, src, lf[dst] - sh.dur[dst])
        np.maximum.at(wt, src, wt[dst])
    root_due = [FINF] * nj
    root_w = [0] * nj
    for j in sh.jobs_down:
        d = float(due[j])
        w = int(jw[j])
        for s in sh.succ_jobs[j]:
            if root_due[s] < d:
                d = root_due[s]
            w = max(w, root_w[s])
        root_due[j] = d
        root_w[j] = w
    return Statics(
        sh.dur, sh.head, sh.tail, lf, wt, np.array(root_due), np.array(root_w, np.int64), sh.root_work, fp.now
    )


def rule_keys(fp: FlatProblem, st: Statics, rule: str) -> Keys:
    n = fp.n_ops
    sh = shape(fp)
    pos, job = sh.pos, sh.job
    if rule == "edd":  # order by order, by due date (an ERP's finite loading)
        return Keys(st.root_due[job], job, pos)
    if rule == "slack":  # operation latest start (due date minus remaining chain)
        return Keys(st.lf - st.dur, -st.tail, pos)
    if rule == "mwkr":  # most work remaining (makespan)
        return Keys(-st.tail, st.head, pos)
    if rule == "lst":  # latest start w.r.t. the critical path bound (makespan)
        lb = float((st.head + st.tail).max()) if n else 0.0
        return Keys(lb - st.tail, -st.tail, pos)
    if rule.startswith("oatc"):  # orders loaded by their ATC index (weight, work, slack), k = rule suffix
        k = float(rule[4:] or 1.0)
        return Keys(st.order_key(k)[job], job, pos)
    if rule == "atc":
        pbar = float(st.dur.sum()) / max(1, n) or 1.0
        ls = np.where(st.lf < INF / 2, st.lf - st.dur, st.head + 1e9)
        slack = np.maximum(0.0, ls - st.head)
        prio = np.maximum(1, st.weight) / np.maximum(1.0, st.dur) * np.exp(-slack / (3.0 * pbar))
        return Keys(-prio, ls, pos)
    raise ValueError(f"unknown rule {rule!r}")


GT_MAX_OPS = 3000
RULES_TARDINESS = ("slack", "oatc1", "oatc4", "oatc0.25", "edd", "atc", "mwkr")
RULES_MAKESPAN = ("mwkr", "lst", "slack")


def dispatch(
    fp: FlatProblem,
    objective: str,
    secondary: str,
    *,
    rules: tuple[str, ...] | None = None,
    deadline: float | None = None,
    gt_deadline: float | None = None,
    seen: dict[str, Metrics] | None = None,
    times: dict[str, float] | None = None,
) -> tuple[Sol, Metrics, str]:
    """Best schedule over a few dispatching rules (stops trying rules at ``deadline``, after the first).
    Each rule is built serially (always finishes, fast) and Giffler-Thompson style (usually better;
    given up at ``gt_deadline``; wins ties). Returns (Sol, Metrics, rule); ``seen`` gets the metrics of
    every build by name (the rule, "gt-" + rule for a Giffler-Thompson one), ``times`` its seconds."""
    st = statics(fp)
    if rules is None:
        rules = RULES_MAKESPAN if objective == "makespan" else RULES_TARDINESS
    best = None
    gt = fp.n_ops <= GT_MAX_OPS
    last = 0.0
    for r in rules:
        if best is not None:
            if deadline is not None and time.monotonic() + last > deadline:
                break
            if objective != "makespan" and best[1].twt == 0 and secondary == "none":
                break
        keys = rule_keys(fp, st, r)
        t0 = time.monotonic()
        built = [("", build(fp, keys))]
        t1 = time.monotonic()
        if gt and (gt_deadline is None or t1 < gt_deadline):
            sol = build_gt(fp, keys, gt_deadline)
            if sol is not None:
                built.insert(0, ("gt-", sol))
        last = time.monotonic() - t0
        if times is not None:
            times[r], times["gt-" + r] = t1 - t0, time.monotonic() - t1
        for name, sol in built:
            m = evaluate(fp, sol)
            if seen is not None:
                seen[name + r] = m
            if best is None or m.key(objective, secondary) < best[1].key(objective, secondary):
                best = (sol, m, name + r)
    assert best is not None
    return best
