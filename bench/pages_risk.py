"""The delivery risk's part of bench/pages.py (issue 18 item 7), at each size of the orders part:
the merchandiser's home with every open order assessed on the spot (nothing stored yet, as before
the worker's first refresh), the periodic refresh of every open order (`risk_refresh`), then the
home, the order list sorted by risk and /api/delivery-risk/ reading the stored assessments.
Goal: pages under 300 ms, with a query count that does not grow with the orders."""

from __future__ import annotations

import time


def risk_part(clients: dict, size: int, repeat: int, time_page) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gendan.orders.models import Order
    from gendan.risk.choices import RISK_STATES
    from gendan.risk.models import OrderRisk
    from gendan.risk.services import risk_refresh

    rows = []
    open_orders = Order.objects.filter(status__in=RISK_STATES)
    mine = open_orders.filter(merchandiser__username="merchandiser").count()
    OrderRisk.objects.all().delete()
    live = time_page(clients["merchandiser"], "/", repeat)
    rows.append({"page": "home (live)", "orders": size, "open": mine} | live)
    with CaptureQueriesContext(connection) as ctx:
        t0, c0 = time.perf_counter(), time.process_time()
        assessed = risk_refresh()
        ms = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000
    rows.append(
        {"page": "risk refresh", "orders": size, "open": assessed, "median_ms": round(ms, 1)}
        | {
            "max_ms": round(ms, 1),
            "queries": len(ctx.captured_queries),
            "status": 200,
            "cpu_median_ms": round(cpu, 1),
        }
    )
    for name, url, user, n in (
        ("home (stored)", "/", "merchandiser", mine),
        ("orders by risk", "/orders/order/?sort=-risk__score", "merchandiser", mine),
        ("risk API", "/api/delivery-risk/", "manager", open_orders.count()),
    ):
        rows.append({"page": name, "orders": size, "open": n} | time_page(clients[user], url, repeat))
    for row in rows:
        print(
            f"  {row['page']:<15} {row['median_ms']:>8.1f} ms (CPU {row['cpu_median_ms']:.1f})"
            f"  {row['queries']:>4} queries  ({row['open']} open orders)",
            flush=True,
        )
    return rows


def print_risk(result: dict, goal_ms: int) -> None:
    print(
        f"\n{'delivery risk':<16} {'orders':>7} {'open':>6} {'median ms':>10} {'max ms':>8} {'queries':>8}"
        f" {'CPU ms':>7}  goal"
    )
    for r in result.get("risk_pages", []):
        ok = "ok" if r["page"] == "risk refresh" or r["median_ms"] <= goal_ms else f"OVER {goal_ms} ms"
        if r["status"] != 200:
            ok += f" (HTTP {r['status']})"
        print(
            f"{r['page']:<16} {r['orders']:>7} {r['open']:>6} {r['median_ms']:>10.1f} {r['max_ms']:>8.1f}"
            f" {r['queries']:>8} {r['cpu_median_ms']:>7.1f}  {ok}"
        )
