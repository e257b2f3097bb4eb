"""Public entry point: :func:`schedule`."""

from __future__ import annotations

import time

from . import fastbuild, tabu
from .explain import explain
from .flat import FlatProblem, flatten
from .leadtime import Plan, iterate_priorities
from .model import JobResult, Options, Problem, Schedule, ScheduledOperation
from .rules import dispatch
from .sgs import Metrics, Sol, build, evaluate
from .threads import beside

LARGE_OPS = 5000


def schedule(problem: Problem, options: Options | None = None) -> Schedule:
    """Finite-capacity schedule of ``problem``; always returns within ``options.time_limit`` (+ a little
    Python overhead on very large problems). Raises :class:`SchedulingError` on bad or infeasible data."""
    opts = options or Options()
    t0 = time.monotonic()
    deadline = t0 + max(0.0, opts.time_limit)
    fp = flatten(problem)
    large = fp.n_ops > LARGE_OPS
    if fp.n_ops >= fastbuild.MIN_OPS and opts.use_solver and (large or opts.objective != "makespan"):
        # the compiled builder makes every schedule build ten times faster (the lead-time walks do
        # thousands): worth a short wait while it loads (the first time after installation it
        # compiles, longer: then we go without). Not taken from the dispatching rules' share below:
        # the Giffler-Thompson builds of mid-sized problems need it (factory of 60 orders, 10 s: the
        # slack rule's took 1.6 s of its 3 s, for a quarter of its serial build's weighted tardiness)
        fastbuild.ready(up_to=min(2.0, 0.1 * opts.time_limit))
    now = time.monotonic()
    d_deadline = deadline if large or not opts.use_solver else now + 0.3 * max(0.0, deadline - now)
    # the deterministic mode must not depend on the clock: the slow builder then always finishes
    gt_deadline = None if opts.deterministic else d_deadline
    seen: dict = {}
    times: dict = {}
    sol, met, rule = dispatch(
        fp, opts.objective, opts.secondary, opts.dispatch_rules, d_deadline, gt_deadline, seen, times
    )
    method = f"dispatch:{rule}"
    status = "HEURISTIC"
    bound: int | None = None
    # the full CP-SAT model of a very large problem cannot even be loaded usefully in a short time limit
    solver_ok = not large or deadline - time.monotonic() > fp.n_ops / 200.0
    iterate = opts.use_solver and opts.objective != "makespan" and met.twt > 0
    walk = _walks(fp, seen, times, rule, deadline - time.monotonic())
    if opts.use_solver and solver_ok and fp.n_ops and deadline - time.monotonic() > 0.05:
        sol, met, status, bound, method, gave_up = _solve(fp, opts, sol, met, deadline, method, walk)
        # CP-SAT could not even confirm the dispatching schedule (a model too large for the time
        # given; its LNS then finds nothing either): the lead-time iteration gets the rest of the time
        iterate = iterate and gave_up
    if iterate:
        sol2, met2, its = iterate_priorities(
            fp, sol, met, opts.secondary, deadline - 0.02 * opts.time_limit, walk, opts.workers, opts.seed
        )
        if met2.key(opts.objective, opts.secondary) < met.key(opts.objective, opts.secondary):
            sol, met = sol2, met2
            method += f" + lead-time iteration ({its} rebuilds)"
    return to_schedule(fp, sol, met, status, bound, opts.objective, time.monotonic() - t0, method)


def _solve(fp: FlatProblem, opts: Options, sol: Sol, met: Metrics, deadline: float, method: str, walk: Plan):
    from .cpsat import CpModelBuilder, improve, make_coords

    objective, secondary = opts.objective, opts.secondary
    coords = make_coords(fp)
    builder = CpModelBuilder(fp, coords, objective, secondary)
    if opts.deterministic:
        # reproducible: budgets are deterministic time, independent of import and model-building time
        deadline = time.monotonic() + opts.time_limit
    hint = builder.to_msol(sol, 0)
    hint.obj = _model_obj(builder, hint)
    two_phase = objective != "makespan" and secondary != "none"
    total = deadline - time.monotonic()
    reserve = 0.15 * total if two_phase else 0.0
    # tardiness: when the first CP-SAT phase cannot even confirm the hint, stop there (the caller
    # iterates lead times instead); not in the deterministic mode (the iteration runs on the clock)
    stop = objective != "makespan" and not opts.deterministic
    side = None
    if stop and opts.workers >= 2 and opts.lns and walk.starts and not tabu.applicable(fp, builder):
        out, side = _beside_walks(fp, builder, hint, deadline, opts, reserve, sol, met, walk)
    else:
        out = improve(
            fp, builder, hint, deadline, opts.workers, opts.seed, opts.deterministic, opts.lns, reserve, stop
        )
        if stop and out.phases == ["full:UNKNOWN"]:
            return sol, met, "HEURISTIC", None, method + " (cp-sat full:UNKNOWN)", True
    best = out.best
    phases = list(out.phases)
    optimal = out.optimal
    if opts.deterministic:
        deadline = time.monotonic() + reserve
    if two_phase and best is not None and deadline - time.monotonic() > 0.1:
        sec = _secondary(builder, best, deadline, opts)
        if sec is not None:
            best = sec
            phases.append("secondary")
    status = "FEASIBLE"
    bound = out.bound if coords.exact and coords.ref.intervals == ((0, 1 << 40),) else None
    if best is not None:
        key = [(best.start[o], best.end[o], i) for i, o in _topo_pos(fp)]
        cand = build(fp, key, best.mode)
        cm = evaluate(fp, cand)
        if cm.key(objective, secondary) <= met.key(objective, secondary):
            sol, met = cand, cm
            method = "cp-sat " + " ".join(phases)
        else:
            method += " (cp-sat " + " ".join(phases) + " not better)"
    if side is not None and side[1].key(objective, secondary) < met.key(objective, secondary):
        sol, met = side[0], side[1]
        method += f" | lead-time iteration ({side[2]} rebuilds) better"
        optimal = False  # CP-SAT's proof was in rounded model time, if it had one
    primary = met.makespan if objective == "makespan" else met.twt
    if optimal and bound is not None and primary <= bound:
        status = "OPTIMAL"
    if bound is not None and objective != "makespan" and bound > primary:
        bound = primary
    return sol, met, status, bound, method, False


def _beside_walks(fp, builder, hint, deadline: float, opts: Options, reserve: float, sol, met, walk: Plan):
    """Tardiness on a shop the tabu search does not cover (parallel machines, calendars: most real
    factories): CP-SAT on all workers but one, the lead-time walks on the Python thread beside it
    (CP-SAT releases the GIL). Returns (CP-SAT's outcome, the walks' (Sol, Metrics, rebuilds))."""
    from .cpsat import improve

    cp_sat = beside(
        lambda: improve(fp, builder, hint, deadline, opts.workers - 1, opts.seed, False, True, reserve),
        "cp-sat",
    )
    side = iterate_priorities(
        fp, sol, met, opts.secondary, deadline - reserve - 0.02 * opts.time_limit, walk, seed=opts.seed
    )
    return cp_sat(), side


def _walks(fp: FlatProblem, seen: dict, times: dict, rule: str, left: float) -> Plan:
    """Lead-time walks with the slack rule and with the rule that won the dispatch, each from its own
    schedule: the Giffler-Thompson one where the compiled builder makes those cheap enough for twenty
    rebuilds in the time ``left`` (60 orders on 5 centres, 1,540 operations, 10 s: walks of serial
    builds found nothing better than the dispatch, walks of Giffler-Thompson builds cut its weighted
    tardiness by 83 %; 90 orders on 6 centres: -4 % and 62 % below EDD), else the serial one (100
    orders on 7 centres: a Giffler-Thompson build takes seconds; two rebuilds gave 20 % below EDD,
    330 serial ones 23 %)."""
    rules = [r for r in dict.fromkeys(("slack", rule.removeprefix("gt-"))) if r in seen]
    if rules and fastbuild.serves(fp) and all("gt-" + r in seen for r in rules):
        seconds = max(times["gt-" + r] for r in rules)
        if 20 * seconds <= left:
            return Plan({r: seen["gt-" + r] for r in rules}, gt=True, first=seconds)
    return Plan({r: seen[r] for r in rules})


def _topo_pos(fp: FlatProblem):
    pos = [0] * fp.n_ops
    for i, o in enumerate(fp.topo):
        pos[o] = i
    return [(pos[o], o) for o in range(fp.n_ops)]


def _model_obj(builder, ms) -> int:
    fp = builder.fp
    if builder.objective == "makespan":
        return max((ms.end[o] for o in builder.free), default=0)
    total = 0
    for j, _t in enumerate(builder.tard):
        if _t is None:
            continue
        d = builder.coords.t(fp.job_due[j])
        c = max(ms.end[o] for o in fp.job_sinks[j] if fp.op_fixed[o] is None)
        total += fp.job_weight[j] * max(0, c - d)
    return total


def _secondary(builder, best, deadline: float, opts: Options):
    from .cpsat import _params

    cp_model = builder.cp_model
    model = builder.model.clone()
    iv = model.get_int_var_from_proto_index
    model.add(iv(builder.obj_var.index) <= best.obj)
    target = builder.wip_var if opts.secondary == "wip" and builder.wip_var is not None else builder.cmax
    model.minimize(iv(target.index))
    builder.add_hint_clone(model, best)
    solver = cp_model.CpSolver()
    _params(solver, max(0.05, deadline - time.monotonic()), opts.workers, opts.seed, opts.deterministic)
    st = solver.solve(model)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ms = builder.read(solver)
        ms.obj = best.obj
        return ms
    return None


def to_schedule(
    fp: FlatProblem,
    sol: Sol,
    met: Metrics,
    status: str,
    bound: int | None,
    objective: str,
    seconds: float,
    method: str,
    explain_jobs: bool = True,
) -> Schedule:
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
