"""Lead-time iteration: weighted tardiness on problems too large for CP-SAT in the time given, and
beside CP-SAT on shops the tabu search does not cover (parallel machines, calendars).

A dispatching rule orders operations by due dates; a late order's due date is a poor priority because
the shop is loaded (it waits in queues the rule does not see). Each rebuild pulls the due dates used
for prioritising late orders forward by a share of their weighted tardiness, lets
early orders give some of it back, and keeps the best schedule built.

The walks are chaotic: which one finds the best schedule, and when, differs from shop to shop. So
two kinds run side by side (on threads of their own when there are workers for them: the compiled
builder releases the GIL; else taking turns):
- steady walks, one per rule (the slack rule and the rule that won the dispatch), each going on
  from where it is for the whole time;
- a restarting walk: random steps, and once it has found nothing better for RESTART rebuilds it
  starts again from the beginning, with the rule of the best schedule so far. Most of a walk's gains
  come in its first hundred rebuilds; restarts sample many such beginnings.

Neither kind wins on every shop: on the 500-order factory the restarting walks do better, on a
smaller, more loaded shop the steady ones (figures in bench/README.md).
"""

from __future__ import annotations

import functools
import random
import threading
import time
from dataclasses import dataclass

from .flat import FlatProblem
from .rules import rule_keys, statics
from .sgs import Metrics, Sol, build, build_gt, evaluate
from .threads import beside

# share of its tardiness by which a late order's due date is pulled forward; the step shrinks after
# each rebuild that is not better and starts again at ALPHA_START below ALPHA_MIN (0.3 against 0.5:
# better on most factory seeds, bench/README.md)
ALPHA_START, ALPHA_MIN = 0.3, 0.05
# the restarting walk: each late order's step is the walk's step times a factor drawn from
# [1 - NOISE, 1 + NOISE] (without it, restarts would repeat themselves); it starts again after
# RESTART rebuilds without a better schedule of its own (20 and 40 gave the same on the factory)
NOISE = 0.5
RESTART = 40
WALK_RULES = ("slack", "oatc1", "oatc4", "oatc0.25", "edd", "atc")  # rules that use due dates


@dataclass
class _Walk:
    rule: str
    dues: list[int | None]
    cur: Metrics
    best_key: tuple[int, int]
    rng: random.Random | None = None  # a restarting walk
    alpha: float = ALPHA_START
    stale: int = 0


@dataclass
class Plan:
    """What the walks start from: for each rule to walk with, the metrics of its own schedule (the
    dispatch's winner last), and whether they rebuild with the Giffler-Thompson builder (``first``:
    the seconds one such rebuild took in the dispatch, so that the first one is not started too late)."""

    starts: dict[str, Metrics]
    gt: bool = False
    first: float = 0.0


class _Best:
    """The best schedule of all walks (they may run on several threads) and the rule that built it."""

    def __init__(self, sol: Sol, met: Metrics, secondary: str, rule: str) -> None:
        self.sol, self.met, self.secondary, self.rule = sol, met, secondary, rule
        self.lock = threading.Lock()

    def offer(self, sol: Sol, met: Metrics, rule: str) -> None:
        with self.lock:
            if met.key("tardiness", self.secondary) < self.met.key("tardiness", self.secondary):
                self.sol, self.met, self.rule = sol, met, rule


def iterate_priorities(
    fp: FlatProblem,
    sol: Sol,
    met: Metrics,
    secondary: str,
    plan: Plan,
    *,
    deadline: float | None = None,
    rebuilds: int | None = None,
    threads: int = 1,
    seed: int = 0,
) -> tuple[Sol, Metrics, int]:
    """Improve ``sol`` by lead-time iteration until ``deadline`` (``time.monotonic()``) or for
    ``rebuilds`` rebuilds in all, whichever comes first: a number of rebuilds is the same work on a
    fast or a loaded machine, and on one thread the same schedule.

    ``plan.starts``: for each rule to walk with, the metrics of its own schedule (from the dispatch),
    the dispatch's winner last. A walk's first steps correct its own rule's late orders (starting from
    another rule's lateness instead did clearly worse). With
    ``threads`` > 1 the steady walks run on one thread and restarting walks on the others (each with
    its share of the ``rebuilds``). Returns (Sol, Metrics, rebuilds)."""
    if deadline is None and rebuilds is None:
        raise ValueError("a deadline or a number of rebuilds is needed")
    starts = plan.starts
    rules = [r for r in starts if r in WALK_RULES]
    if not rules:
        return sol, met, 0

    def walk(rule: str, rng: random.Random | None = None) -> _Walk:
        return _Walk(rule, list(fp.job_due), starts[rule], starts[rule].key("tardiness", secondary), rng)

    steady = [walk(r) for r in rules]
    restarting = [walk(rules[-1], random.Random(seed * 1000 + i)) for i in range(max(1, threads - 1))]
    best = _Best(sol, met, secondary, rules[-1])
    if threads < 2:
        its = _run(fp, steady + restarting, best, plan, deadline=deadline, rebuilds=rebuilds)
        return best.sol, best.met, its
    share = None if rebuilds is None else rebuilds // threads
    others = [
        beside(
            functools.partial(_run, fp, [w], best, plan, deadline=deadline, rebuilds=share),
            f"lead-time-walk-{i}",
        )
        for i, w in enumerate(restarting)
    ]
    rest = None if rebuilds is None or share is None else rebuilds - share * len(restarting)
    its = _run(fp, steady, best, plan, deadline=deadline, rebuilds=rest)
    its += sum(join() for join in others)
    return best.sol, best.met, its


def _run(
    fp: FlatProblem,
    walks: list[_Walk],
    best: _Best,
    plan: Plan,
    *,
    deadline: float | None = None,
    rebuilds: int | None = None,
) -> int:
    """The given walks in turn until the deadline or for ``rebuilds`` rebuilds; returns the number
    of rebuilds."""
    wmax = max(fp.job_weight, default=0) or 1
    it = 0
    last = plan.first
    while (
        (deadline is None or time.monotonic() + last < deadline)
        and (rebuilds is None or it < rebuilds)
        and best.met.twt > 0
    ):
        t0 = time.monotonic()
        w = walks[it % len(walks)]
        it += 1
        _pull(fp, w, wmax)
        keys = rule_keys(fp, statics(fp, w.dues), w.rule)
        cand = build_gt(fp, keys) if plan.gt else build(fp, keys)
        w.cur = evaluate(fp, cand)
        best.offer(cand, w.cur, w.rule)
        key = w.cur.key("tardiness", best.secondary)
        if key < w.best_key:
            w.best_key, w.stale = key, 0
        else:
            w.stale += 1
            w.alpha *= 0.7
            if w.alpha < ALPHA_MIN:
                # steps this small change nothing: start pulling again from where the walk is (not
                # from the best; on loaded factories the walk then finds clearly better schedules)
                w.alpha = ALPHA_START
            if w.rng is not None and w.stale >= RESTART:
                w.rule = best.rule
                w.dues, w.cur = list(fp.job_due), plan.starts[w.rule]
                w.best_key, w.alpha, w.stale = w.cur.key("tardiness", best.secondary), ALPHA_START, 0
        last = time.monotonic() - t0
    return it


def _pull(fp: FlatProblem, w: _Walk, wmax: int) -> None:
    """One step of a walk: late orders' due dates forward, in proportion to their tardiness and their
    weight (an overloaded shop must let light orders wait for heavy ones: a factor of w / wmax, not
    0.5 + 0.5 w / wmax), early orders' back towards their own."""
    dues, cur, alpha = w.dues, w.cur, w.alpha
    for j, d in enumerate(dues):
        if d is None:
            continue
        if cur.tardiness[j] > 0:
            u = 1.0 if w.rng is None else 1.0 + NOISE * (2.0 * w.rng.random() - 1.0)
            dues[j] = int(d - u * alpha * cur.tardiness[j] * fp.job_weight[j] / wmax)
        elif (own := fp.job_due[j]) is not None and cur.completion[j] < own:
            # early orders give back what they were pulled forward (never beyond their due date)
            dues[j] = min(own, int(d + 0.5 * alpha * (own - cur.completion[j])))
