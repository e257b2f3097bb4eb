"""Which searches run on a problem, in which order, and with what share of the time limit.

Every schedule starts from the dispatching rules (:mod:`.rules`); then, by the problem's shape:

* small and mid-sized problems: CP-SAT on the whole model (:mod:`.cpmodel`), warm-started with the
  dispatching schedule (it proves small problems optimal and gives a bound), then the improvement
  phase of :func:`improve`: the tabu search (:mod:`.tabu`), the memetic search (:mod:`.memetic`)
  and CP-SAT's large-neighbourhood search, by shape and objective;
* weighted tardiness on shops the tabu search does not cover (parallel machines, calendars: most
  real factories), with two workers: CP-SAT on one, the lead-time walks (:mod:`.leadtime`) beside it;
* problems too large for CP-SAT in the time given, or where its first phase cannot even confirm the
  dispatching schedule: the lead-time walks for the rest of the time.

The figures behind these shares are in bench/README.md.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from . import fastbuild, searches, tabu
from .cpmodel import CpModelBuilder, ModelSolution, make_coords, solver_parameters
from .flat import FlatProblem
from .leadtime import Plan, iterate_priorities
from .model import Options
from .rules import dispatch
from .searches import Budget
from .sgs import Metrics, Sol, evaluate
from .threads import beside

LARGE_OPS = 5000  # above this CP-SAT is only tried when the time left is long enough to load the model
DISPATCH_SHARE = 0.3  # of the time left, for the dispatching rules (when a solver follows)
PRE_TABU = 0.08  # share of the time for the tabu search before the full search (tardiness)
ROUNDS = 3  # tabu search and CP-SAT's LNS side by side, best shared (3 rounds beat 6)
REBUILDS_PER_UNIT = 100  # lead-time walk rebuilds in a unit of a work budget (Options.work_limit)


@dataclass
class Outcome:
    """The schedule chosen and how: ``status`` OPTIMAL, FEASIBLE or HEURISTIC; ``bound`` a proven lower
    bound of the primary objective when CP-SAT gave one in exact coordinates; ``method`` the phases."""

    sol: Sol
    met: Metrics
    status: str
    bound: int | None
    method: str


def run(fp: FlatProblem, opts: Options, started: float) -> Outcome:
    """The best schedule of ``fp`` the portfolio finds in the time (``started``: ``time.monotonic()``
    when the caller began) or the work the options give."""
    budget = Budget.of(opts, started)
    large = fp.n_ops > LARGE_OPS
    if fp.n_ops >= fastbuild.MIN_OPS and opts.use_solver and (large or opts.objective != "makespan"):
        # the compiled builder makes every schedule build ten times faster (the lead-time walks do
        # thousands): worth a short wait while it loads (the first time after installation it
        # compiles, longer: then we go without). Not taken from the dispatching rules' share below:
        # the Giffler-Thompson builds of mid-sized problems need all of it. A work budget waits for
        # it: the walks' choice of builder must not depend on how far a load has got
        if budget.by_work:
            fastbuild.ready(wait=True)
        else:
            fastbuild.ready(up_to=min(2.0, 0.1 * opts.time_limit))
    dispatch_deadline: float | None = None  # a work budget: every rule, every Giffler-Thompson build
    if budget.deadline is not None:
        now = time.monotonic()
        left = max(0.0, budget.deadline - now)
        dispatch_deadline = budget.deadline if large or not opts.use_solver else now + DISPATCH_SHARE * left
    seen: dict[str, Metrics] = {}
    times: dict[str, float] = {}
    sol, met, rule = dispatch(
        fp,
        opts.objective,
        opts.secondary,
        rules=opts.dispatch_rules,
        deadline=dispatch_deadline,
        gt_deadline=dispatch_deadline,
        seen=seen,
        times=times,
    )
    out = Outcome(sol, met, "HEURISTIC", None, f"dispatch:{rule}")
    # the full CP-SAT model of a very large problem cannot even be loaded usefully in a short time limit
    solver_ok = not large or budget.left() > fp.n_ops / 200.0
    iterate = opts.use_solver and opts.objective != "makespan" and met.twt > 0
    walk = walk_plan(fp, seen, times, rule, None if budget.by_work else budget.left())
    if opts.use_solver and solver_ok and fp.n_ops and budget.left() > 0.05:
        out, gave_up = _solve(fp, opts, out, budget, walk)
        # CP-SAT could not even confirm the dispatching schedule (a model too large for the time
        # given; its LNS then finds nothing either): the lead-time iteration gets the rest of the time
        iterate = iterate and gave_up
    if iterate:
        if budget.deadline is None:
            rebuilds = int(budget.take(budget.left()) * REBUILDS_PER_UNIT)
            found = iterate_priorities(
                fp, out.sol, out.met, opts.secondary, walk, rebuilds=rebuilds, seed=opts.seed
            )
        else:
            found = iterate_priorities(
                fp,
                out.sol,
                out.met,
                opts.secondary,
                walk,
                deadline=budget.deadline - 0.02 * opts.time_limit,
                threads=opts.workers,
                seed=opts.seed,
            )
        sol2, met2, its = found
        if met2.key(opts.objective, opts.secondary) < out.met.key(opts.objective, opts.secondary):
            out.sol, out.met = sol2, met2
            out.method += f" + lead-time iteration ({its} rebuilds)"
    return out


def walk_plan(
    fp: FlatProblem, seen: dict[str, Metrics], times: dict[str, float], rule: str, left: float | None
) -> Plan:
    """Lead-time walks with the slack rule and with the rule that won the dispatch, each from its own
    schedule: the Giffler-Thompson one where the compiled builder makes those cheap enough for twenty
    rebuilds in the time ``left`` (fewer leave the walks too few steps to find anything), else the
    serial one. ``left`` None (a work budget, counted in rebuilds whatever they cost): the
    Giffler-Thompson one wherever the compiled builder serves."""
    rules = [r for r in dict.fromkeys(("slack", rule.removeprefix("gt-"))) if r in seen]
    if rules and fastbuild.serves(fp) and all("gt-" + r in seen for r in rules):
        seconds = max(times["gt-" + r] for r in rules)
        if left is None:
            return Plan({r: seen["gt-" + r] for r in rules}, gt=True)
        if 20 * seconds <= left:
            return Plan({r: seen["gt-" + r] for r in rules}, gt=True, first=seconds)
    return Plan({r: seen[r] for r in rules})


def _solve(
    fp: FlatProblem, opts: Options, start: Outcome, budget: Budget, walk: Plan
) -> tuple[Outcome, bool]:
    """CP-SAT and the searches around it from the dispatching schedule ``start``; (the better of the
    two, whether CP-SAT gave up without confirming even the start)."""
    objective, secondary = opts.objective, opts.secondary
    sol, met, method = start.sol, start.met, start.method
    coords = make_coords(fp)
    builder = CpModelBuilder(fp, coords, objective, secondary)
    hint = builder.from_schedule(sol, 0)
    hint.value = builder.objective_value(hint)
    two_phase = objective != "makespan" and secondary != "none"
    total = budget.left()
    reserve = 0.15 * total if two_phase else 0.0
    # tardiness: when the first CP-SAT phase cannot even confirm the hint, stop there (the caller
    # iterates lead times instead)
    stop = objective != "makespan"
    side = None
    walks_beside = not budget.by_work and opts.workers >= 2 and opts.lns and walk.starts
    if stop and walks_beside and not tabu.applicable(fp, builder):
        found, side = _beside_walks(fp, builder, hint, budget, opts, reserve, sol, met, walk)
    else:
        found = improve(
            fp,
            builder,
            hint,
            budget,
            workers=opts.workers,
            seed=opts.seed,
            use_lns=opts.lns,
            reserve=reserve,
            stop_if_unknown=stop,
        )
        if stop and found.phases == ["full:UNKNOWN"]:
            return Outcome(sol, met, "HEURISTIC", None, method + " (cp-sat full:UNKNOWN)"), True
    best = found.best
    phases = list(found.phases)
    optimal = found.optimal
    if two_phase and best is not None and budget.left() > 0.1:
        better = _secondary(builder, best, budget, opts)
        if better is not None:
            best = better
            phases.append("secondary")
    status = "FEASIBLE"
    bound = found.bound if coords.exact and coords.ref.intervals == ((0, 1 << 40),) else None
    if best is not None:
        cand = builder.rebuild(best)
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
    return Outcome(sol, met, status, bound, method), False


def _beside_walks(
    fp: FlatProblem,
    builder: CpModelBuilder,
    hint: ModelSolution,
    budget: Budget,
    opts: Options,
    reserve: float,
    sol: Sol,
    met: Metrics,
    walk: Plan,
) -> tuple[SolveOutcome, tuple[Sol, Metrics, int]]:
    """Tardiness on a shop the tabu search does not cover (parallel machines, calendars: most real
    factories), on the clock: CP-SAT on all workers but one, the lead-time walks on the Python thread
    beside it (CP-SAT releases the GIL). Returns (CP-SAT's outcome, the walks' (Sol, Metrics,
    rebuilds))."""
    assert budget.deadline is not None  # a work budget runs on one worker
    cp_sat = beside(
        lambda: improve(
            fp, builder, hint, budget, workers=opts.workers - 1, seed=opts.seed, use_lns=True, reserve=reserve
        ),
        "cp-sat",
    )
    side = iterate_priorities(
        fp,
        sol,
        met,
        opts.secondary,
        walk,
        deadline=budget.deadline - reserve - 0.02 * opts.time_limit,
        seed=opts.seed,
    )
    return cp_sat(), side


def _secondary(
    builder: CpModelBuilder, best: ModelSolution, budget: Budget, opts: Options
) -> ModelSolution | None:
    """The secondary objective with the primary one held at ``best``'s value, with what is left."""
    cp_model = builder.cp_model
    model = builder.secondary_model(best)
    solver = cp_model.CpSolver()
    solver_parameters(
        solver,
        seconds=budget.take(max(0.05, budget.left())),
        workers=opts.workers,
        seed=opts.seed,
        deterministic=budget.by_work,
    )
    st = solver.solve(model)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ms = builder.solution(solver)
        ms.value = best.value
        return ms
    return None


# ------------------------------------------------------------------------ the improvement phase


@dataclass
class SolveOutcome:
    """What :func:`improve` found: the best solution, CP-SAT's bound, whether it is proven optimal,
    and the phases run (for :attr:`.Schedule.method`)."""

    best: ModelSolution | None
    bound: int | None
    optimal: bool
    phases: list[str]


def improve(
    fp: FlatProblem,
    builder: CpModelBuilder,
    hint: ModelSolution,
    budget: Budget,
    *,
    workers: int,
    seed: int,
    use_lns: bool,
    reserve: float = 0.0,
    stop_if_unknown: bool = False,
) -> SolveOutcome:
    """Phase A: the whole model, warm-started with the hint (proves small problems optimal and gives a
    bound). Then, with what is left of the ``budget`` but ``reserve``:

    * job-shop-like problems (:func:`.tabu.applicable`), makespan, one work centre per operation: the
      tabu search of :mod:`.tabu`, one independent search per worker;
    * job-shop-like, weighted tardiness or alternative work centres: three rounds in which the local
      search and CP-SAT's LNS (one worker each) start from the best solution so far, side by side
      (better than either alone: the local search changes work centres too, CP-SAT's LNS reaches
      other parts of the solution space). The local search is the tabu search for makespan and the
      memetic search of :mod:`.memetic` for tardiness, whose population lives on from round to round;
      for tardiness a short tabu search also improves the hint of the full search first. The same on
      15x15 and 20x10 shops: with the tabu moves estimated (:mod:`.tabu_estimates`) the memetic
      rounds beat turns of the tabu search and CP-SAT's full search there too (bench/README.md);
    * all others: CP-SAT's large-neighbourhood search only (``use_lns_only``) from the best solution,
      which on 2 cores clearly beats letting the default portfolio run on.
    """
    phases: list[str] = []
    best = hint
    bound: int | None = None
    by_work = budget.by_work
    total = budget.left(reserve)
    if total <= 0.05:
        return SolveOutcome(best, bound, False, phases)
    local = use_lns and tabu.applicable(fp, builder) and tabu.ready(wait=by_work)
    pure = builder.objective == "makespan" and all(len(fp.op_modes[o]) == 1 for o in builder.free_ops)
    # small models: long enough a full search to prove optimality; large: CP-SAT's LNS does better
    if not use_lns:
        frac = 1.0
    elif local:
        frac = 0.1 if pure else 0.25
    else:
        frac = 0.25 if len(builder.free_ops) <= 150 else 0.15
    if local and not pure and builder.objective != "makespan":
        # tardiness: the full search below gets a better hint from a short tabu search
        span = budget.take(PRE_TABU * total)
        out, _ = searches.tabu_search(
            fp, builder, hint, span, workers=workers, seed=seed, deterministic=by_work
        )
        if out is not None and out.value < hint.value:
            hint = best = out
        total = budget.left(reserve)
    builder.set_hint(builder.model, hint)
    seconds = budget.take(total * frac)
    best, bound, status = _full_search(builder, best, seconds, workers=workers, seed=seed, by_work=by_work)
    phases.append(f"full:{status}")
    if status == "OPTIMAL" or (bound is not None and bound >= best.value):
        return SolveOutcome(best, best.value, True, phases)
    if status in ("INFEASIBLE", "MODEL_INVALID"):
        phases.append("model-rejected")
        return SolveOutcome(best, bound, False, phases)
    if stop_if_unknown and status == "UNKNOWN":  # not even the hint confirmed: too large for CP-SAT now
        return SolveOutcome(best, bound, False, phases)
    if not use_lns:
        return SolveOutcome(best, bound, False, phases)
    left = budget.left(reserve)
    if local and pure and left > 0.05:
        span = budget.take(left)
        out, proven = searches.tabu_search(
            fp, builder, best, span, workers=workers, seed=seed, deterministic=by_work
        )
        phases.append("tabu")
        if out is not None and out.value < best.value:
            best = out
        optimal = proven or (bound is not None and best.value <= bound)
        return SolveOutcome(best, best.value if optimal else bound, optimal, phases)
    if local and left > 0.05:
        pop = searches.population(fp, builder, best, seed) if builder.objective != "makespan" else None
        for rnd in range(ROUNDS):
            span = budget.left(reserve) / (ROUNDS - rnd)
            if span < 0.05:
                break
            best, tag = searches.rounds_step(
                fp,
                builder,
                best,
                budget.take(span),
                workers=workers,
                seed=seed + rnd,
                deterministic=by_work,
                pop=pop,
            )
            phases.append(tag)
        optimal = bound is not None and best.value <= bound
        return SolveOutcome(best, bound, optimal, phases)
    if left > 0.05:
        best = searches.lns(
            builder, best, budget.take(left), workers=workers, seed=seed + 1, deterministic=by_work
        )
        phases.append("lns")
    optimal = bound is not None and best.value <= bound
    return SolveOutcome(best, bound, optimal, phases)


def _full_search(
    builder: CpModelBuilder, best: ModelSolution, seconds: float, *, workers: int, seed: int, by_work: bool
) -> tuple[ModelSolution, int | None, str]:
    """CP-SAT's full search of the whole model (with the hint it holds, if any) for ``seconds`` (or
    that much deterministic time): (its solution if no worse than ``best``, else ``best``; its bound
    when it found a solution; the status's name)."""
    cp_model = builder.cp_model
    solver = cp_model.CpSolver()
    solver_parameters(solver, seconds=seconds, workers=workers, seed=seed, deterministic=by_work)
    status = solver.solve(builder.model)
    bound: int | None = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ms = builder.solution(solver)
        if ms.value <= best.value:
            best = ms
        bound = int(math.ceil(solver.best_objective_bound - 1e-6))
    return best, bound, solver.status_name(status)
