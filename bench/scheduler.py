"""Benchmark of the Gendan scheduling engine on academic instances.

    uv run python bench/scheduler.py --instances ../shared/benchmarks/jssp --seconds 10 --workers 2
    uv run python bench/scheduler.py --instances ../shared/benchmarks/jsptwt --seconds 10 --json out.json

Every file of the folder is read (standard JSSP, Brandimarte FJSP or JSPTWT, detected from the
bounds.csv ``format`` column or from the file itself). Makespan instances are minimised for makespan,
JSPTWT instances for total weighted tardiness. Three solvers per instance:

* ``engine``   - gendan.engine.scheduler.schedule (dispatching hint, CP-SAT, LNS) with S s and W workers;
* ``cpsat``    - a direct CP-SAT model (interval per operation, NoOverlap per machine, precedence,
                 optional intervals for alternatives), same time and workers, no hint;
* ``dispatch`` - a plain dispatching rule (MWKR for makespan, ATC for tardiness).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

from _common import Instance, best_known, gap, instances, parse, write_json

from gendan.engine.scheduler import Job, Mode, Operation, Options, Problem, WorkCentre, schedule


def to_problem(inst: Instance) -> Problem:
    jobs = []
    for j, ops in enumerate(inst.jobs):
        operations = tuple(
            Operation(id=str(k), modes=tuple(Mode(work_centre=f"M{mc}", run=d) for mc, d in alts))
            for k, alts in enumerate(ops)
        )
        jobs.append(
            Job(
                id=str(j),
                operations=operations,
                due=None if inst.due is None else inst.due[j],
                weight=1 if inst.weight is None else inst.weight[j],
            )
        )
    machines = sorted({mc for ops in inst.jobs for alts in ops for mc, _ in alts})
    return Problem(jobs=tuple(jobs), work_centres=tuple(WorkCentre(id=f"M{m}") for m in machines))


def run_engine(
    inst: Instance, seconds: float, workers: int, seed: int = 0, work: float | None = None
) -> tuple[int, float, str]:
    objective = "makespan" if inst.fmt != "twt" else "tardiness"
    t = time.monotonic()
    s = schedule(
        to_problem(inst),
        Options(
            objective=objective,
            secondary="none",
            time_limit=seconds,
            work_limit=work,
            workers=workers,
            seed=seed,
        ),
    )
    value = s.makespan if objective == "makespan" else s.weighted_tardiness
    return value, time.monotonic() - t, s.status


def run_dispatch(inst: Instance) -> tuple[int, float, str]:
    objective = "makespan" if inst.fmt != "twt" else "tardiness"
    rule = ("mwkr",) if objective == "makespan" else ("atc",)
    t = time.monotonic()
    s = schedule(
        to_problem(inst),
        Options(objective=objective, secondary="none", use_solver=False, dispatch_rules=rule),
    )
    value = s.makespan if objective == "makespan" else s.weighted_tardiness
    return value, time.monotonic() - t, "HEURISTIC"


def run_direct(inst: Instance, seconds: float, workers: int, seed: int = 0) -> tuple[int | None, float, str]:
    """The plain CP-SAT model a practitioner would write first."""
    from ortools.sat.python import cp_model

    t = time.monotonic()
    m = cp_model.CpModel()
    horizon = sum(max(d for _, d in alts) for ops in inst.jobs for alts in ops)
    per_machine: dict[int, list] = {}
    ends = []
    for ops in inst.jobs:
        prev_end = None
        for alts in ops:
            s = m.new_int_var(0, horizon, "")
            e = m.new_int_var(0, horizon, "")
            if len(alts) == 1:
                mc, d = alts[0]
                per_machine.setdefault(mc, []).append(m.new_interval_var(s, d, e, ""))
            else:
                lits = []
                for mc, d in alts:
                    lit = m.new_bool_var("")
                    per_machine.setdefault(mc, []).append(m.new_optional_interval_var(s, d, e, lit, ""))
                    lits.append(lit)
                m.add_exactly_one(lits)
            if prev_end is not None:
                m.add(prev_end <= s)
            prev_end = e
        ends.append(prev_end)
    for ivs in per_machine.values():
        m.add_no_overlap(ivs)
    if inst.fmt == "twt":
        tard = []
        for j, e in enumerate(ends):
            tj = m.new_int_var(0, horizon, "")
            m.add(tj >= e - inst.due[j])
            tard.append(inst.weight[j] * tj)
        m.minimize(sum(tard))
    else:
        cmax = m.new_int_var(0, horizon, "")
        m.add_max_equality(cmax, ends)
        m.minimize(cmax)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    st = solver.solve(m)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, time.monotonic() - t, solver.status_name(st)
    return int(round(solver.objective_value)), time.monotonic() - t, solver.status_name(st)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", required=True, help="folder of instances (with optional bounds.csv)")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--work", type=float, help="engine: this work limit instead of the seconds (one worker, reproducible)"
    )
    ap.add_argument("--json", help="write results as a JSON list to this file")
    ap.add_argument("--only", help="comma-separated instance names (default: all)")
    ap.add_argument("--solvers", default="engine,cpsat,dispatch")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per instance and solver, seeds SEED..SEED+N-1 (min/median/max)",
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the first run (engine and direct CP-SAT)")
    args = ap.parse_args(argv)
    folder = Path(args.instances)
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    only = set(args.only.split(",")) if args.only else None
    rows: list[dict] = []
    # one-time costs of a running server, not of a schedule: the OR-Tools import and loading the tabu
    # search's and the schedule builder's compiled kernels (compiled the first time after installation)
    from ortools.sat.python import cp_model  # noqa: F401

    from gendan.engine.scheduler import fastbuild, tabu

    tabu.ready(wait=True)
    fastbuild.ready(wait=True)
    seeds = list(range(args.seed, args.seed + max(1, args.repeat)))
    print(f"# {folder}  seconds={args.seconds} workers={args.workers} work={args.work} seeds={seeds}")
    hdr = f"{'instance':<14}{'size':>9} {'solver':<9}{'seed':>5}{'value':>9}{'best':>9}{'gap%':>8}{'time s':>8}  status"
    print(hdr, flush=True)
    for path, fmt in instances(folder):
        try:
            inst = parse(path, fmt)
        except Exception as exc:  # noqa: BLE001 - skip unreadable files, keep going
            print(f"{path.name:<14} skipped: {exc}")
            continue
        if only and inst.name not in only:
            continue
        objective = "twt" if inst.fmt == "twt" else "makespan"
        best = best_known(folder, inst.name, objective)
        size = f"{inst.n_jobs}x{inst.n_machines}"
        for seed in seeds:
            for solver in solvers:
                if solver == "engine":
                    value, secs, status = run_engine(
                        inst, args.seconds, args.workers, seed=seed, work=args.work
                    )
                elif solver == "cpsat":
                    value, secs, status = run_direct(inst, args.seconds, args.workers, seed=seed)
                else:
                    value, secs, status = run_dispatch(inst)
                g = gap(value, best)
                rows.append(
                    {
                        "instance": inst.name,
                        "solver": solver,
                        "seed": seed,
                        "objective": objective,
                        "value": value,
                        "best_known": best,
                        "gap_pct": None if g is None else round(g, 3),
                        "seconds": round(secs, 2),
                        "jobs": inst.n_jobs,
                        "machines": inst.n_machines,
                        "status": status,
                    }
                )
                gs = "" if g is None else f"{g:.2f}"
                bs = "" if best is None else str(best)
                print(
                    f"{inst.name:<14}{size:>9} {solver:<9}{seed:>5}{value if value is not None else '-':>9}{bs:>9}"
                    f"{gs:>8}{secs:>8.1f}  {status}",
                    flush=True,
                )
    write_json(args.json, rows)
    if len(seeds) > 1:
        spread(rows, solvers)
    summarise([r for r in rows if r["seed"] == seeds[0]], solvers)
    return 0


def spread(rows: list[dict], solvers: list[str]) -> None:
    """Per instance and solver the min / median / max over the seeds; for weighted tardiness also
    whether the engine's worst run is no worse than the direct model's median run."""
    print()
    print(f"{'instance':<14}" + "".join(f"{s + ' min/med/max':>28}" for s in solvers))
    names = list(dict.fromkeys(r["instance"] for r in rows))
    med: dict[tuple[str, str], float] = {}
    worst: dict[tuple[str, str], float] = {}
    for name in names:
        cells = []
        for solver in solvers:
            vals = [r["value"] for r in rows if r["instance"] == name and r["solver"] == solver]
            vals = [math.inf if v is None else v for v in vals]
            med[name, solver] = statistics.median(vals)
            worst[name, solver] = max(vals)
            cells.append(f"{min(vals):>9g} {statistics.median(vals):>8g} {max(vals):>8g}")
        print(f"{name:<14}" + "".join(f"{c:>28}" for c in cells))
    for solver in solvers:
        print(f"{solver:<9} total of medians={sum(med[n, solver] for n in names):g}")
    if {"engine", "cpsat"} <= set(solvers):
        steady = [n for n in names if worst[n, "engine"] <= med[n, "cpsat"]]
        print(f"engine's worst run no worse than direct CP-SAT's median on {len(steady)} of {len(names)}")
        print(
            f"engine's median <= direct's median on {sum(med[n, 'engine'] <= med[n, 'cpsat'] for n in names)}"
        )
    print()


def summarise(rows: list[dict], solvers: list[str]) -> None:
    print()
    for objective in ("makespan", "twt"):
        sub = [r for r in rows if r["objective"] == objective]
        if not sub:
            continue
        print(f"== {objective}")
        for solver in solvers:
            rs = [r for r in sub if r["solver"] == solver]
            gaps = [r["gap_pct"] for r in rs if r["gap_pct"] is not None]
            at_best = sum(1 for r in rs if r["gap_pct"] is not None and r["gap_pct"] <= 1e-9)
            total = sum(r["value"] for r in rs if r["value"] is not None)
            mean = f"{statistics.mean(gaps):.2f}%" if gaps else "n/a"
            print(
                f"{solver:<9} instances={len(rs):3d} mean gap={mean:>8} at best-known={at_best}/{len(gaps)}"
                f"  total value={total}"
            )
        if objective == "twt" and {"engine", "cpsat"} <= set(solvers):
            names = sorted({r["instance"] for r in sub})
            by = {(r["instance"], r["solver"]): r for r in sub}
            worse = [n for n in names if _v(by, n, "engine") > _v(by, n, "cpsat")]
            open_ = [n for n in names if by.get((n, "cpsat"), {}).get("status") != "OPTIMAL"]
            te = sum(_v(by, n, "engine") for n in open_)
            tc = sum(_v(by, n, "cpsat") for n in open_)
            print(f"engine worse than direct CP-SAT on {len(worse)} instance(s): {', '.join(worse) or '-'}")
            print(
                f"over the {len(open_)} instances direct CP-SAT does not prove optimal: engine {te} vs cpsat {tc}"
            )
        print()


def _v(by: dict, name: str, solver: str) -> float:
    r = by.get((name, solver))
    return math.inf if r is None or r["value"] is None else r["value"]


if __name__ == "__main__":
    raise SystemExit(main())
