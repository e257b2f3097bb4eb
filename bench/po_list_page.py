"""The open PO lines page and the PO list at about 10,000 PO lines (SQLite): time and queries.

    uv run python bench/po_list_page.py                       # 10,000 lines (and 2,500), 5 requests a page
    uv run python bench/po_list_page.py --lines 2000 --json /tmp/po.json

Builds a small buying side in a temporary folder (fresh SQLite database: migrate, then suppliers,
materials, a purchasing user and purchase orders written with `bulk_create` — benchmark data, not a
workflow): POs of 10 lines each to 50 suppliers, sent or confirmed, delivery dates spread over three
months around today, a third of the lines with a supplier confirmation (some partial, some promised
late), some partly received. First N/4 lines, then N: each page is requested once to warm it and
then `--repeat` times (Django's test client, logged in as a purchaser): median and max time and the
SQL queries of the last request. Goal: under 300 ms, and the same number of queries at both sizes.
Pages: the open PO lines (/purchasing/po-lines/), the same filtered to late lines, and the PO list
(/purchasing/po/). ``--json FILE`` writes the same figures."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PAGE_GOAL_MS = 300
LINES_PER_PO = 10
SUPPLIERS = 50
MATERIALS = 500
PAGES = [
    ("open PO lines", "/purchasing/po-lines/"),
    ("open PO lines, late", "/purchasing/po-lines/?late=true"),
    ("PO list", "/purchasing/po/"),
]


def setup_django(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "gendan.settings"
    os.environ["GENDAN_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["GENDAN_HTTPS"] = "0"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
    os.environ["GENDAN_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
    Path(data_dir, "static").mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def base(rng: random.Random):
    from gendan.accounts.choices import Role
    from gendan.accounts.models import User
    from gendan.inventory.models import Warehouse
    from gendan.masterdata.models import Material, Supplier

    user = User(username="purchaser", display_name="采购", role=Role.PURCHASING)
    user.set_password("bench-Password-1")
    user.save()
    Warehouse.objects.create(code="RAW", name="原料仓")
    suppliers = Supplier.objects.bulk_create(
        [Supplier(code=f"S{n:03}", name=f"供应商{n}", email=f"s{n}@example.cn") for n in range(SUPPLIERS)]
    )
    materials = Material.objects.bulk_create(
        [Material(code=f"M{n:04}", name=f"物料{n}", spec=f"规格 {n}", unit="kg") for n in range(MATERIALS)]
    )
    return user, suppliers, materials


def add_lines(n_lines: int, start: int, user, suppliers, materials, rng: random.Random) -> None:
    from django.utils import timezone

    from gendan.purchasing.choices import POLineStatus, POStatus
    from gendan.purchasing.models import POLineConfirmation, PurchaseOrder, PurchaseOrderLine

    today = timezone.localdate()
    year = today.year
    n_pos = n_lines // LINES_PER_PO
    pos = PurchaseOrder.objects.bulk_create(
        [
            PurchaseOrder(
                number=f"PO-{year}-{start + i + 1:05d}",
                supplier=rng.choice(suppliers),
                status=rng.choice([POStatus.SENT, POStatus.SENT, POStatus.CONFIRMED]),
                created_by=user,
                sent_at=timezone.now(),
                sent_to="s@example.cn",
            )
            for i in range(n_pos)
        ],
        batch_size=1000,
    )
    lines = []
    for po in pos:
        for k in range(LINES_PER_PO):
            quantity = Decimal(rng.choice([50, 100, 200, 500, 1000]))
            received = quantity / 2 if rng.random() < 0.1 else Decimal(0)
            lines.append(
                PurchaseOrderLine(
                    order=po,
                    position=10 * (k + 1),
                    material=rng.choice(materials),
                    quantity=quantity,
                    unit_price=Decimal(rng.randint(100, 9999)) / 100,
                    delivery_date=today + dt.timedelta(days=rng.randint(-30, 60)),
                    received_qty=received,
                    status=POLineStatus.PARTLY_RECEIVED if received else POLineStatus.OPEN,
                )
            )
    PurchaseOrderLine.objects.bulk_create(lines, batch_size=2000)
    confirmations = []
    for line in lines[::3]:
        share = line.quantity if rng.random() < 0.6 else line.quantity / 2
        promised = line.delivery_date + dt.timedelta(days=rng.choice([-2, 0, 0, 3, 10]))
        confirmations.append(POLineConfirmation(line=line, quantity=share, promised_date=promised))
        line.expected_date = promised
    POLineConfirmation.objects.bulk_create(confirmations, batch_size=2000)
    PurchaseOrderLine.objects.bulk_update(lines[::3], ["expected_date"], batch_size=2000)


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url
    times = []
    queries = 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
        queries = len(captured)
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="gendan-bench-po-") as data_dir:
        setup_django(data_dir)
        from django.test import Client

        user, suppliers, materials = base(rng)
        client = Client()
        client.force_login(user)
        rows = []
        done = 0
        for size in (args.lines // 4, args.lines):
            add_lines(size - done, done // LINES_PER_PO, user, suppliers, materials, rng)
            done = size
            for name, url in PAGES:
                figures = measure(client, url, args.repeat)
                row = {"page": name, "url": url, "lines": size, **figures, "goal_ms": PAGE_GOAL_MS}
                rows.append(row)
                flag = "" if figures["median_ms"] <= PAGE_GOAL_MS else "  OVER GOAL"
                print(
                    f"{name:22} {size:>6} lines  median {figures['median_ms']:>7.1f} ms  "
                    f"max {figures['max_ms']:>7.1f} ms  {figures['queries']:>3} queries{flag}"
                )
        by_page: dict[str, set[int]] = {}
        for row in rows:
            by_page.setdefault(row["page"], set()).add(row["queries"])
        steady = all(len(counts) == 1 for counts in by_page.values())
        print("queries do not grow with the rows" if steady else "QUERIES GROW WITH THE ROWS")
        if args.json:
            Path(args.json).write_text(json.dumps({"rows": rows, "queries_steady": steady}, indent=2))


if __name__ == "__main__":
    main()
