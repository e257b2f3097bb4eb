"""The order archive's figures (issue 18): the archive search over 200,000 documents and the dossier
ZIP of an order with 100 documents (SQLite).

    .venv/bin/python bench/archive.py                       # 200,000 documents, 5 requests a search
    .venv/bin/python bench/archive.py --documents 20000 --json /tmp/archive.json

Builds a fresh SQLite database in a temporary folder (migrate), adds a merchandiser (who owns one
order in ten), a manager and a production planner, customers, products and `--documents / 100`
released orders with 100 documents each (a merchandiser follows one in ten, a newcomer one) through `bulk_create` (benchmark data, not the upload
service: kinds, levels, filing dates spread over three years). First a tenth of the documents,
then all: at both sizes each search is requested once to warm it and then `--repeat` times with
Django's test client: median and max time and the SQL queries of the last request (goal: under
300 ms, the same number of queries at both sizes). Searches: the manager's and the merchandiser's
first page, page 10, by order number, by customer, by product, by kind and a date range, by
confidentiality, and the API's first page.

Then the dossier of one of the merchandiser's orders with 100 uploaded documents (PDFs of one or two
pages, one in five confidential and so watermarked; 20 files of other kinds), built through
`dossier_build` as the merchandiser (goal: under 5 s) and as production (confidential ones
withheld): seconds, ZIP size, files included and withheld. ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from po_list_page import setup_django  # noqa: E402  (the same settings for a benchmark run)

PAGE_GOAL_MS = 300
DOSSIER_GOAL_S = 5.0
PER_ORDER = 100


def people():
    from gendan.accounts.choices import DepartmentKind, Role
    from gendan.accounts.models import Department, User

    made = {}
    for name, role, kind in (
        ("merchandiser", Role.MERCHANDISER, DepartmentKind.MERCHANDISING),
        ("manager", Role.MANAGEMENT, DepartmentKind.MANAGEMENT),
        ("planner", Role.PRODUCTION, DepartmentKind.PRODUCTION),
        ("newcomer", Role.MERCHANDISER, DepartmentKind.MERCHANDISING),
    ):
        dep, _ = Department.objects.get_or_create(
            code=kind.upper()[:20], defaults={"name": kind, "kind": kind}
        )
        made[name] = User.objects.create(
            username=name, display_name=f"{name} 测试", role=role, department=dep
        )
    return made


def add_orders(users, start: int, count: int, rng: random.Random) -> None:
    """`count` released orders from number `start`, each with one line and PER_ORDER documents."""
    from django.utils import timezone

    from gendan.archive.models import Document
    from gendan.masterdata.models import Customer, Product
    from gendan.orders.models import Order, OrderLine

    if not Customer.objects.exists():
        Customer.objects.bulk_create(Customer(code=f"C{n:04}", name=f"客户{n:04}") for n in range(200))
        Product.objects.bulk_create(Product(code=f"P{n:05}", name=f"产品{n:05}") for n in range(2000))
    customers = list(Customer.objects.values_list("pk", flat=True))
    products = list(Product.objects.values_list("pk", flat=True))
    now = timezone.now()
    orders = Order.objects.bulk_create(
        Order(
            number=f"SO-B{n:06}",
            customer_id=rng.choice(customers),
            # The newcomer follows one order, the merchandiser one in ten.
            merchandiser=users["newcomer"]
            if n == 1
            else users["merchandiser"]
            if n % 10 == 0
            else users["manager"],
            status="released",
            released_at=now,
        )
        for n in range(start, start + count)
    )
    OrderLine.objects.bulk_create(
        OrderLine(order=o, line_no=1, product_id=rng.choice(products), quantity=10) for o in orders
    )
    kinds = ["drawing", "specification", "contract", "other", "inspection_report", "production_plan"]
    levels = ["public", "internal", "internal", "internal", "confidential", "secret"]
    today = dt.date.today()
    batch = []
    for o in orders:
        for i in range(PER_ORDER):
            level = rng.choice(levels)
            batch.append(
                Document(
                    order=o,
                    customer_id=o.customer_id,
                    kind=rng.choice(kinds),
                    title=f"文件 {i:03}",
                    version=1,
                    filed_on=today - dt.timedelta(days=rng.randrange(0, 3 * 365)),
                    file=f"archive/bench-{o.pk}-{i}.pdf",
                    original_name=f"doc-{i}.pdf",
                    level=level,
                    allowed_roles=["management", "merchandiser"]
                    if level in ("confidential", "secret")
                    else [],
                )
            )
        if len(batch) >= 20000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)


def time_get(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    status, times, queries = response.status_code, [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        status = max(status, response.status_code)
        queries = len(ctx.captured_queries)
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": queries,
        "status": status,
    }


def searches(users) -> list[tuple[str, str, str]]:
    from gendan.masterdata.models import Customer, Product
    from gendan.orders.models import Order

    own = Order.objects.filter(merchandiser=users["merchandiser"]).order_by("pk").first()
    customer = Customer.objects.get(pk=own.customer_id)
    product = Product.objects.get(pk=own.lines.first().product_id)
    since = (dt.date.today() - dt.timedelta(days=90)).isoformat()
    return [
        ("manager, first page", "/archive/", "manager"),
        ("manager, page 10", "/archive/?page=10", "manager"),
        ("merchandiser, first page", "/archive/", "merchandiser"),
        ("planner (released orders)", "/archive/", "planner"),
        ("merchandiser of one order", "/archive/", "newcomer"),
        ("by order number", f"/archive/?order={own.number}", "merchandiser"),
        ("by customer", f"/archive/?customer={customer.code}", "manager"),
        ("by product", f"/archive/?product={product.code}", "manager"),
        ("kind + last 90 days", f"/archive/?kind=drawing&date_from={since}", "manager"),
        ("confidential", "/archive/?level=confidential", "merchandiser"),
        ("title contains", "/archive/?q=099", "manager"),
        ("API first page", "/api/archive-documents/", "manager"),
        ("API by customer", f"/api/archive-documents/?customer={customer.code}", "manager"),
    ]


def dossier_part(users) -> dict:
    from django.core.files.base import ContentFile

    from gendan.archive.dossier import dossier_build
    from gendan.archive.models import AccessLog, Document
    from gendan.core import pdf
    from gendan.orders.models import Order

    order = Order.objects.filter(merchandiser=users["merchandiser"]).order_by("-pk").first()
    Document.objects.filter(order=order).delete()
    one = pdf.render_pdf(title="图纸 Drawing", blocks=[pdf.Paragraph("技术要求 " * 200)])
    two = pdf.render_pdf(
        title="检验报告 Report",
        blocks=[pdf.Paragraph("检验 " * 200), pdf.PageBreak(), pdf.Paragraph("第二页")],
    )
    for i in range(PER_ORDER):
        level = "confidential" if i % 5 == 0 else "internal"
        name, data = (
            (f"doc-{i}.pdf", one if i % 2 else two) if i % 5 != 4 else (f"photo-{i}.txt", b"x" * 50_000)
        )
        doc = Document(
            order=order,
            customer_id=order.customer_id,
            kind="drawing" if level == "confidential" else "specification",
            title=f"文件 {i:03}",
            filed_on=dt.date.today(),
            original_name=name,
            level=level,
            allowed_roles=["management", "merchandiser"] if level == "confidential" else [],
            uploaded_by=users["manager"],
        )
        doc.file.save(name, ContentFile(data), save=False)
        doc.save()
    result = {}
    for who in ("merchandiser", "planner"):
        t0 = time.perf_counter()
        dossier = dossier_build(actor=users[who], order_id=order.pk)
        seconds = time.perf_counter() - t0
        dossier.file.seek(0, 2)
        result[who] = {
            "seconds": round(seconds, 2),
            "zip_bytes": dossier.file.tell(),
            "included": dossier.included,
            "withheld": dossier.withheld,
        }
        dossier.file.close()
    result["logged"] = AccessLog.objects.count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    orders_total = max(args.documents // PER_ORDER, 10)
    with tempfile.TemporaryDirectory(prefix="gendan-bench-archive-") as data_dir:
        setup_django(data_dir)
        from django.test import Client

        from gendan.archive.models import Document

        rng = random.Random(18)
        users = people()
        clients = {}
        for name, user in users.items():
            clients[name] = Client()
            clients[name].force_login(user)
        figures: dict = {"sizes": {}}
        done = 0
        for size in (orders_total // 10, orders_total):
            t0 = time.perf_counter()
            add_orders(users, done, size - done, rng)
            done = size
            count = Document.objects.count()
            print(f"\n{count:,} documents ({time.perf_counter() - t0:.0f} s to add)")
            rows = {}
            for label, url, who in searches(users):
                r = time_get(clients[who], url, args.repeat)
                rows[label] = r
                flag = "" if r["median_ms"] < PAGE_GOAL_MS and r["status"] == 200 else "  <-- over goal"
                print(
                    f"  {label:28} {r['median_ms']:7.1f} ms (max {r['max_ms']:.1f})  {r['queries']:2d} queries  {r['status']}{flag}"
                )
            figures["sizes"][count] = rows
        dossier = dossier_part(users)
        figures["dossier"] = dossier
        print("\nDossier of an order with 100 documents:")
        for who in ("merchandiser", "planner"):
            d = dossier[who]
            flag = "" if d["seconds"] < DOSSIER_GOAL_S else "  <-- over goal"
            print(
                f"  as {who:12} {d['seconds']:5.2f} s  {d['zip_bytes'] / 1e6:.1f} MB  "
                f"{d['included']} files, {d['withheld']} withheld{flag}"
            )
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
