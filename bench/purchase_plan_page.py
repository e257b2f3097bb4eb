"""Purchase plan pages at size (SQLite): a plan of N lines and the plan list.

    uv run python bench/purchase_plan_page.py                      # 2,000 lines (and 500), 5 requests a page
    uv run python bench/purchase_plan_page.py --lines 200 --json /tmp/plan.json

Builds the demo factory in a temporary folder (fresh SQLite database: migrate, then
`build_demo_factory()`, which drafts and decides the demo's purchase plan), then adds with
`bulk_create` (benchmark data, not a workflow) a submitted plan of N/4 and then N lines, each on a
demo material with an approved supplier, pegged to one to three demo orders, with a decision row
per merchandiser of those orders, and 200 more plans for the list. At both sizes every page is
requested once to warm it and then `--repeat` times (Django's test client, as the demo's purchaser
and merchandiser): median and max time, SQL queries of the last request, median CPU time. Pages
(goal: under 300 ms, queries not growing with the lines): the plan list (/purchasing/plans/), the
plan's first page of lines (100 a page) for the purchaser and for the merchandiser (his part), the
merchandiser's lines awaiting his decision, and the plan's Excel export (every line; no goal).
``--json FILE`` writes the same figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import build_demo, setup_django  # noqa: E402  (bench/pages.py)

PAGE_GOAL_MS = 300
EXTRA_PLANS = 200


def time_page(client, url: str, repeat: int) -> dict:
    """As bench/pages.py, reading a streamed answer (the export) to its end inside the timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, len(body)

    status, size = get()  # warm
    times, cpu, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0, c0 = time.perf_counter(), time.process_time()
            code, size = get()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        status = max(status, code)
        queries = len(ctx.captured_queries)
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "status": status,
        "bytes": size,
    }


def add_lines(plan, start: int, count: int, rng: random.Random) -> None:
    from gendan.masterdata.models import SupplierMaterial
    from gendan.orders.models import Order
    from gendan.purchasing.models import PlanLineDecision, PlanLinePeg, PurchasePlanLine

    offers = list(
        SupplierMaterial.objects.filter(is_archived=False).values_list(
            "material_id", "supplier_id", "unit_price"
        )
    )
    orders = list(Order.objects.filter(merchandiser__isnull=False).values_list("pk", "merchandiser_id"))
    today = dt.date.today()
    lines = []
    for i in range(start, start + count):
        material, supplier, price = rng.choice(offers)
        need = today + dt.timedelta(days=rng.randint(10, 120))
        lines.append(
            PurchasePlanLine(
                plan=plan,
                position=i * 10,
                material_id=material,
                quantity=Decimal(rng.randint(10, 5000)),
                order_by=need - dt.timedelta(days=14),
                need_date=need,
                supplier_id=supplier,
                suggested_supplier_id=supplier,
                suggestion_reason="in_time,preferred",
                unit_price=price,
                last_price=(price * Decimal(rng.choice(["0.9", "1", "0.95", "1.08"]))).quantize(
                    Decimal("0.0001")
                ),
            )
        )
    PurchasePlanLine.objects.bulk_create(lines, batch_size=500)
    pegs, decisions = [], []
    for line in lines:
        served = rng.sample(orders, k=min(len(orders), rng.randint(1, 3)))
        for order, _m in served:
            pegs.append(PlanLinePeg(line=line, order_id=order, quantity=Decimal(rng.randint(1, 100))))
        for merchandiser in sorted({m for _o, m in served}):
            decisions.append(PlanLineDecision(line=line, merchandiser_id=merchandiser))
    PlanLinePeg.objects.bulk_create(pegs, batch_size=1000)
    PlanLineDecision.objects.bulk_create(decisions, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=2000, help="lines of the plan (default 2,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (after one to warm)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    result: dict = {"lines": args.lines, "repeat": args.repeat, "pages": []}
    with tempfile.TemporaryDirectory(prefix="gendan-plan-") as tmp:
        setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.utils import timezone

        from gendan.purchasing.models import PurchasePlan

        print("building the demo factory ...", flush=True)
        result["demo_seconds"] = round(build_demo(), 1)
        users = {
            u.username: u for u in get_user_model().objects.filter(username__in=["purchaser", "merchandiser"])
        }
        clients = {}
        for name, user in users.items():
            clients[name] = Client()
            clients[name].force_login(user)
        purchaser = users["purchaser"]
        plan = PurchasePlan.objects.create(
            number="CG-BENCH-0001",
            status="submitted",
            created_by=purchaser,
            submitted_by=purchaser,
            submitted_at=timezone.now(),
        )
        PurchasePlan.objects.bulk_create(
            [PurchasePlan(number=f"CG-BENCH-{n:04}", created_by=purchaser) for n in range(2, EXTRA_PLANS + 2)]
        )
        done = 0
        for size in (max(args.lines // 4, 1), args.lines):
            t0 = time.perf_counter()
            add_lines(plan, done + 1, size - done, rng)
            done = size
            print(f"{size} lines ({time.perf_counter() - t0:.1f} s to add)", flush=True)
            gc.collect()
            gc.freeze()
            pages = [
                ("plan list", "/purchasing/plans/", "purchaser"),
                ("plan (purchaser)", f"/purchasing/plans/{plan.pk}/", "purchaser"),
                ("plan (merchandiser)", f"/purchasing/plans/{plan.pk}/", "merchandiser"),
                ("awaiting my decision", "/purchasing/plans/pending/", "merchandiser"),
                ("Excel export", f"/purchasing/plans/{plan.pk}/export/", "purchaser"),
            ]
            for name, url, user in pages:
                row = {"page": name, "url": url, "lines": size} | time_page(clients[user], url, args.repeat)
                goal = (
                    "" if name == "Excel export" else (" ok" if row["median_ms"] < PAGE_GOAL_MS else " OVER")
                )
                print(
                    f"  {name:22} median {row['median_ms']:7.1f} ms  max {row['max_ms']:7.1f} ms  "
                    f"cpu {row['cpu_median_ms']:7.1f} ms  {row['queries']:3} queries  [{row['status']}]{goal}",
                    flush=True,
                )
                result["pages"].append(row)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
