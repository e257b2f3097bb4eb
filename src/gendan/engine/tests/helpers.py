"""Independent checker of a returned schedule against the exact rules, and small cases with a known
optimum (used by the tests)."""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from gendan.engine.scheduler import Job, Mode, Operation, Problem, Schedule, WorkCentre


def single_machine_tardiness(data: list[tuple[str, int, int, int]]) -> tuple[Problem, int]:
    """Jobs (id, run, due, weight) of one operation each on one machine, and their optimal weighted
    tardiness by brute force over every order."""
    optimum = min(
        sum(
            w * max(0, c - d)
            for (_, p, d, w), c in zip(perm, itertools.accumulate(x[1] for x in perm), strict=True)
        )
        for perm in itertools.permutations(data)
    )
    jobs = tuple(
        Job(id=n, operations=(Operation(id="10", modes=(Mode(work_centre="A", run=p),)),), due=d, weight=w)
        for n, p, d, w in data
    )
    return Problem(jobs=jobs, work_centres=(WorkCentre("A"),)), optimum


def check_schedule(problem: Problem, sched: Schedule) -> None:
    wcs = {w.id: w for w in problem.work_centres}
    cal_of = {w.id: (w.calendar or problem.calendar) for w in problem.work_centres}
    by_key = {(s.job, s.operation): s for s in sched.operations}
    jobs = {j.id: j for j in problem.jobs}
    assert len(by_key) == sum(len(j.operations) for j in problem.jobs)
    for job in problem.jobs:
        for k, op in enumerate(job.operations):
            s = by_key[(job.id, op.id)]
            assert s.end >= s.start
            if op.frozen is not None:
                assert s.start == op.frozen.start and s.work_centre == op.frozen.work_centre
                if op.frozen.end is not None:
                    assert s.end == op.frozen.end
                continue
            assert s.start >= problem.now, (job.id, op.id)
            assert s.start >= job.release, (job.id, op.id, "release")
            mode = op.modes[s.mode]
            assert mode.work_centre == s.work_centre
            assert 0 <= s.machine < wcs[s.work_centre].machines
            cal = cal_of[s.work_centre]
            d = mode.duration
            if d > 0:
                assert cal.is_working(s.start), (job.id, op.id, "starts outside working time")
                assert cal.is_working(s.end - 1), (job.id, op.id, "ends outside working time")
                assert cal.work_between(s.start, s.end) == d, (job.id, op.id, "working minutes")
                if not op.splittable:
                    assert any(a <= s.start and s.end <= b for a, b in cal.intervals), (
                        job.id,
                        op.id,
                        "split",
                    )
            preds = [job.operations[k - 1].id] if op.after is None and k > 0 else list(op.after or ())
            for p in preds:
                assert by_key[(job.id, p)].end <= s.start, (job.id, op.id, "precedence", p)
            for pj in job.predecessors:
                for other in jobs[pj].operations:
                    assert by_key[(pj, other.id)].end <= s.start, (job.id, op.id, "sub-assembly", pj)
    # capacity: no two operations on one machine at once; headcount
    per_machine: dict[tuple[str, int], list[tuple[int, int]]] = {}
    people: dict[str, list[tuple[int, int, int]]] = {}
    for s in sched.operations:
        if s.end > s.start:
            per_machine.setdefault((s.work_centre, s.machine), []).append((s.start, s.end))
            op = next(o for o in jobs[s.job].operations if o.id == s.operation)
            need = op.modes[s.mode].people if s.mode >= 0 else 1
            people.setdefault(s.work_centre, []).append((s.start, s.end, need))
    for key, ivs in per_machine.items():
        ivs.sort()
        for (a1, b1), (a2, _b2) in zip(ivs, ivs[1:], strict=False):
            assert b1 <= a2, (key, "overlap", (a1, b1), a2)
    for wc, items in people.items():
        cap = wcs[wc].headcount
        if cap is None:
            continue
        events = sorted(
            [(a, p) for a, _, p in items] + [(b, -p) for _, b, p in items], key=lambda x: (x[0], x[1])
        )
        load = 0
        for _, d in events:
            load += d
            assert load <= cap, (wc, "headcount")
    # reported job results are consistent
    for jr in sched.jobs:
        ends = [by_key[(jr.job, o.id)].end for o in jobs[jr.job].operations]
        assert jr.completion == max(ends)
        if jr.due is not None:
            assert jr.tardiness == max(0, jr.completion - jr.due)


def spy_on_solves(monkeypatch, answer_first=None):
    """Record how many hinted variables each CP-SAT solve gets; ``answer_first``: the status the first
    solve reports instead of solving (a search that found nothing in its time)."""
    hints: list[int] = []
    real = cp_model.CpSolver.solve

    def solve(self, model, *args, **kwargs):
        hints.append(len(model.proto.solution_hint.vars))
        if answer_first is not None and len(hints) == 1:
            return answer_first
        return real(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", solve)
    return hints
