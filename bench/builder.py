"""Schedule build speed: the Python serial builder against the compiled one, on the generated factory.

    uv run python bench/builder.py [--orders 500] [--seed 1] [--repeat 5] [--json out.json]

Every rule of the dispatcher and every rebuild of the lead-time walks is one serial schedule build,
so this speed bounds how much the engine can try on a large factory in its time limit. For each
dispatching rule, prints the milliseconds per build of both builders (best of ``--repeat``), checks
that they build the same schedule, and the milliseconds of one whole walk step (due dates -> keys ->
compiled build -> evaluation); then the same for the Giffler-Thompson builder (problems up to 3,000
operations) on a smaller shop. The compiled builders' one-time load is done before timing.
"""

from __future__ import annotations

import argparse
import time

from _common import write_json
from factory import make_factory

from gendan.engine.scheduler import fastbuild
from gendan.engine.scheduler.flat import flatten
from gendan.engine.scheduler.rules import rule_keys, statics
from gendan.engine.scheduler.sgs import Sol, build_gt_python, build_python, evaluate

RULES = ("slack", "oatc1", "edd", "atc")


def best_of(repeat: int, fn) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000.0, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    t = time.monotonic()
    fastbuild.ready(wait=True)
    print(
        f"# compiled builder loaded in {time.monotonic() - t:.1f} s (compiled the first time after installation)"
    )
    fp = flatten(make_factory(args.orders, seed=args.seed))
    fastbuild.pack(fp)
    print(f"# factory seed={args.seed}: {args.orders} orders, {len(fp.job_ids)} jobs, {fp.n_ops} operations")
    st = statics(fp)
    rows = []
    for rule in RULES:
        keys = rule_keys(fp, st, rule)
        py_ms, py_sol = best_of(max(1, args.repeat // 2), lambda k=keys: build_python(fp, k))
        c_ms, c_sol = best_of(args.repeat, lambda k=keys: Sol(*fastbuild.build(fp, k)))
        same = py_sol == c_sol
        print(
            f"{rule:6s}  python {py_ms:7.1f} ms   compiled {c_ms:6.1f} ms   x{py_ms / c_ms:5.1f}   same schedule: {same}"
        )
        rows.append({"rule": rule, "python_ms": round(py_ms, 2), "compiled_ms": round(c_ms, 2), "same": same})
    dues = [None if d is None else d - 600 for d in fp.job_due]
    step_ms, _ = best_of(
        args.repeat,
        lambda: evaluate(fp, Sol(*fastbuild.build(fp, rule_keys(fp, statics(fp, dues), "slack")))),
    )
    print(f"walk step (slack: due dates -> keys -> compiled build -> evaluation): {step_ms:.1f} ms")
    rows.append({"rule": "walk-step-slack", "compiled_ms": round(step_ms, 2)})
    # the Giffler-Thompson builder serves problems up to 3,000 operations: a smaller, loaded shop
    fp = flatten(make_factory(60, n_wc=5, seed=4))
    keys = rule_keys(fp, statics(fp), "slack")
    fastbuild.pack(fp)
    py_ms, py_sol = best_of(1, lambda: build_gt_python(fp, keys))
    c_ms, c_sol = best_of(args.repeat, lambda: Sol(*fastbuild.build_gt(fp, keys)))
    same = py_sol == c_sol
    print(
        f"Giffler-Thompson, 60 orders on 5 centres ({fp.n_ops} operations), slack: python {py_ms:7.1f} ms"
        f"   compiled {c_ms:6.1f} ms   x{py_ms / c_ms:5.1f}   same schedule: {same}"
    )
    rows.append(
        {"rule": "gt-slack-60x5", "python_ms": round(py_ms, 2), "compiled_ms": round(c_ms, 2), "same": same}
    )
    if args.json:
        write_json(args.json, rows)
    return 0 if all(r.get("same", True) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
