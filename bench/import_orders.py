"""Benchmark of the Excel order import (R-1.1: a customer's sheet of 10,000 lines in seconds).

    uv run python bench/import_orders.py
    uv run python bench/import_orders.py --lines 20000 --json /tmp/orders.json

Builds the demo factory's customers and products on a fresh SQLite database in a temporary folder
(or on DATABASE_URL if set: use an empty database), then times gendan.orders.imports.ORDER_IMPORT
on a sheet of N lines grouped into orders of 1–10 lines (rows with the same customer and customer
PO make one order). Every imported order goes straight to review, so the time includes the review
checks of every order. Scenarios:

* ``orders_create``   - N lines in about N/5 orders: all imported and reviewed;
* ``orders_bad_row``  - the same sheet with one bad row at the end: rejected, nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ["GENDAN_DATA_DIR"] = data_dir
    os.environ.setdefault("GENDAN_HTTPS", "0")
    os.environ.setdefault("GENDAN_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_sheet(n: int, *, bad_last: bool = False) -> bytes:
    from django.utils import translation
    from openpyxl import Workbook

    from gendan.masterdata.models import Customer, Product
    from gendan.orders.imports import COLUMNS

    customers = list(Customer.objects.values_list("code", flat=True))
    products = list(Product.objects.filter(kind="finished").values_list("code", "spec"))
    rng = random.Random(7)
    today = dt.date.today()
    with translation.override("en"):
        headers = [str(c.label) for c in COLUMNS]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(headers)
    written, order_no = 0, 0
    while written < n:
        order_no += 1
        customer = rng.choice(customers)
        for line in range(1, min(rng.randint(1, 10), n - written) + 1):
            code, spec = rng.choice(products)
            ws.append(
                [
                    customer,
                    f"BENCH-{order_no:06d}",
                    "",
                    "Normal",
                    line,
                    code,
                    spec,
                    rng.choice([100, 200, 500, 1000]),
                    rng.choice([68, 95, 120]),
                    (today + dt.timedelta(days=rng.randint(20, 120))).isoformat(),
                    "AQL 1.0",
                    "纸箱",
                    "",
                ]
            )
            written += 1
    if bad_last:
        ws.append(
            [
                customers[0],
                "BENCH-BAD",
                "",
                "Normal",
                1,
                products[0][0],
                "",
                "many",
                "",
                "2027-13-45",
                "",
                "",
                "",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gendan-bench-") as tmp:
        setup_django(tmp)
        from gendan.core.demo import build_people
        from gendan.masterdata.demo import build_masterdata
        from gendan.orders.imports import ORDER_IMPORT
        from gendan.orders.models import Order, OrderLine
        from gendan.orders.services import review

        users = build_people()
        build_masterdata(users=users)
        actor = users["merchandiser"]
        review.CAPACITY_CHECKS["enabled"] = False  # the engine's check runs per order in the worker
        results = []

        data = build_sheet(args.lines)
        t0 = time.perf_counter()
        result = ORDER_IMPORT.run(data, actor=actor)
        seconds = time.perf_counter() - t0
        assert result.ok, result.errors[:5]
        lines = OrderLine.objects.count()
        results.append(
            {"name": "orders_create", "rows": lines, "orders": result.created, "seconds": round(seconds, 3)}
        )

        bad = build_sheet(args.lines, bad_last=True)
        before = (Order.objects.count(), OrderLine.objects.count())
        t0 = time.perf_counter()
        result = ORDER_IMPORT.run(bad, actor=actor)
        seconds = time.perf_counter() - t0
        assert not result.ok and before == (Order.objects.count(), OrderLine.objects.count())
        results.append(
            {
                "name": "orders_bad_row",
                "rows": args.lines + 1,
                "errors": len(result.errors),
                "seconds": round(seconds, 3),
            }
        )

    print(f"{'scenario':<16} {'rows':>7} {'seconds':>8} {'rows/s':>8}")
    for r in results:
        r["rows_per_s"] = round(r["rows"] / r["seconds"]) if r["seconds"] else None
        print(f"{r['name']:<16} {r['rows']:>7} {r['seconds']:>8.2f} {r['rows_per_s']:>8}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
