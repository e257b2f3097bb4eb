"""Page and daily-report times on the demo factory scaled up to N open orders, then the issue
list, the escalation inbox and the quality records at many issues and inspection records (SQLite).

    uv run python bench/pages.py                          # 2,000 orders (and 500), 5 requests a page
    uv run python bench/pages.py --orders 200 --json /tmp/pages.json
    uv run python bench/pages.py --profile                # + a cProfile of each page over its goal
    uv run python bench/pages.py --orders 0 --issues 20000 --records 100000   # the second part only

Builds the demo factory in a temporary folder (fresh SQLite database: migrate, then
`build_demo_factory()`), then adds copies of the demo's planned orders with `bulk_create` (benchmark
data, not a workflow): each new order is one line of an order with a plan in force (the line, its
order operations, a plan with one approved version in force, its planned operations and materials;
lines with fewer operations drawn more often, about 25 operations an order), shifted by 1-16 weeks
so the backlog spreads over about four months, with its operations still to do; one order in ten
gets an issue not yet solved. First N/4 orders, then up to N: at both sizes every page is requested
once to warm it and then `--repeat` times (Django's test client, logged in as the demo's planner or
merchandiser): median and max time, SQL queries of the last request, and the median CPU time of
the process (less disturbed than the wall clock when other work shares the cores). Pages (goal:
under 300 ms): the plan list (/planning/), the Gantt of the schedule in force (/planning/gantt/),
the page of the biggest demo plan version in force with its load chart (/planning/version/<pk>/),
the issue list (/issues/) and the progress board (/board/).

Then at N, `--reports` daily reports (goal: median under 100 ms) through
`gendan.shopfloor.services.report_create`, each on an operation of a different new order (the
first operation of a job, so the step before limits nothing): time, queries, and the time of the
statement that freezes the operation in the version in force (checked afterwards: frozen).
``--json FILE`` writes the same figures. ``--profile`` prints, for each page at N with a request
over the goal, the top functions (cumulative time) of one more request. ``--orders 0`` skips
this part.

The second part (``--issues``, default 20,000, 0 skips it; ``--records``, default 100,000) adds
issues with their escalations and inspection records (a quarter incoming, the rest in-process
and final with their measurements and defects) to the demo with `bulk_create`
(bench/pages_quality.py), first a tenth of each, then all, and times at both sizes (goal: under
300 ms, queries not growing): the issue list (the merchandiser's open issues; every issue for the
manager), the escalation inbox (the manager's open ones; all), and the quality records page with
its X̄-R chart (the inspector; the last three months, and the whole two years the records span).

The third part (``--kpi-orders``, default 6,000 over a year for ``--kpi-merchandisers`` 20; 0 skips
it) times the merchandiser KPI pages (bench/pages_kpi.py) at a tenth of the orders and at all.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from pages_kpi import kpi_part, print_kpi
from pages_quality import print_quality, quality_part

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PAGE_GOAL_MS = 300
REPORT_GOAL_MS = 100
ISSUE_SHARE = 10  # one new order in ten gets an open issue


def setup_django(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "gendan.settings"
    os.environ["GENDAN_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["GENDAN_HTTPS"] = "0"  # no redirect to HTTPS for the test client
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
    # Tasks (notifications...) are queued in the database, as in production, not run in the request.
    os.environ["GENDAN_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
    Path(data_dir, "static").mkdir(exist_ok=True)  # whitenoise warns of a missing STATIC_ROOT
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_demo() -> float:
    from gendan.core.demo import build_demo_factory

    t0 = time.perf_counter()
    build_demo_factory()
    return time.perf_counter() - t0


# --- scaling up -------------------------------------------------------------------------------


def _copy(obj, **changes):
    """A new unsaved instance with obj's field values (not its pk), changed by `changes`."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    for name, value in changes.items():
        values[model._meta.get_field(name).attname if name in _fk_names(model) else name] = value
    return model(**values)


def _fk_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if f.is_relation}


class Sources:
    """The demo's order lines planned in a version in force, with everything a copy needs."""

    def __init__(self) -> None:
        from django.db.models import Count, F

        from gendan.orders.models import OrderLine
        from gendan.planning.models import OrderOperation, PlanMaterial, PlannedOperation

        lines = list(
            OrderLine.objects.filter(order__plan__in_force__isnull=False)
            .select_related("order", "order__plan__in_force")
            .annotate(n_ops=Count("operations"))
        )
        if not lines:
            raise SystemExit("the demo factory has no plan in force to copy")
        # About 25 operations an order: lines of up to 45 operations, the smaller ones drawn more often.
        small = [ln for ln in lines if ln.n_ops <= 45] or lines
        self.lines = small
        self.weights = [1 / max(ln.n_ops, 1) for ln in small]
        ids = [ln.pk for ln in small]
        self.ops = {ln.pk: [] for ln in small}
        for op in OrderOperation.objects.filter(order_line_id__in=ids).order_by("pk"):
            self.ops[op.order_line_id].append(op)
        self.planned = {ln.pk: [] for ln in small}
        for part in PlannedOperation.objects.filter(
            version__plan__in_force=F("version"), operation__order_line_id__in=ids
        ).select_related("operation"):
            self.planned[part.operation.order_line_id].append(part)
        self.materials = {ln.pk: [] for ln in small}
        for mat in PlanMaterial.objects.filter(version__plan__in_force=F("version"), order_line_id__in=ids):
            self.materials[mat.order_line_id].append(mat)


def scale_up(sources: Sources, start: int, count: int, rng: random.Random, planner) -> dict:
    """Add `count` new orders (numbers BP-<start>...), each a copy of one planned demo line."""
    from django.db import transaction
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from gendan.issues.models import Issue
    from gendan.orders.models import Order, OrderLine
    from gendan.planning.choices import OperationStatus
    from gendan.planning.models import OrderOperation, Plan, PlanMaterial, PlannedOperation, PlanVersion

    t0 = time.perf_counter()
    picks = rng.choices(sources.lines, weights=sources.weights, k=count)
    shifts = [dt.timedelta(weeks=rng.randint(1, 16)) for _ in range(count)]
    departments = list(
        Issue.objects.exclude(responsible_department=None).values_list("responsible_department_id", flat=True)
    ) or [None]
    today = timezone.localdate()
    with transaction.atomic():
        orders = [
            _copy(line.order, number=f"BP-{start + i:06d}", customer_po=f"BENCH-{start + i}")
            for i, line in enumerate(picks)
        ]
        Order.objects.bulk_create(orders, batch_size=500)
        new_lines = [
            _copy(
                line,
                order=order.pk,
                line_no=1,
                delivery_date=line.delivery_date + shift if line.delivery_date else None,
            )
            for line, order, shift in zip(picks, orders, shifts, strict=True)
        ]
        OrderLine.objects.bulk_create(new_lines, batch_size=500)
        ops, op_src = [], []
        for line, order, new in zip(picks, orders, new_lines, strict=True):
            prefix = f"L{line.pk}"
            for op in sources.ops[line.pk]:
                ops.append(
                    _copy(
                        op,
                        order=order.pk,
                        order_line=new.pk,
                        job_key=f"L{new.pk}{op.job_key[len(prefix) :]}",
                        status=OperationStatus.PENDING,
                        good_qty=Decimal(0),
                        scrap_qty=Decimal(0),
                        hours=Decimal(0),
                        started_at=None,
                        finished_at=None,
                        work_centre=None,
                    )
                )
                op_src.append(op.pk)
        OrderOperation.objects.bulk_create(ops, batch_size=500)
        plans = [Plan(order_id=order.pk) for order in orders]
        Plan.objects.bulk_create(plans, batch_size=500)
        versions = []
        for line, plan, shift in zip(picks, plans, shifts, strict=True):
            src = line.order.plan.in_force
            versions.append(
                _copy(
                    src,
                    plan=plan.pk,
                    number=1,
                    proposal=None,
                    planned_start=src.planned_start + shift if src.planned_start else None,
                    planned_finish=src.planned_finish + shift if src.planned_finish else None,
                )
            )
        PlanVersion.objects.bulk_create(versions, batch_size=500)
        Plan.objects.filter(pk__in=[p.pk for p in plans]).update(
            in_force=Subquery(PlanVersion.objects.filter(plan=OuterRef("pk")).values("pk")[:1])
        )
        new_op = dict(zip(((op_src[i], ops[i].order_line_id) for i in range(len(ops))), ops, strict=True))
        parts, materials = [], []
        for line, new, version, shift in zip(picks, new_lines, versions, shifts, strict=True):
            for part in sources.planned[line.pk]:
                parts.append(
                    _copy(
                        part,
                        version=version.pk,
                        operation=new_op[(part.operation_id, new.pk)].pk,
                        start=part.start + shift,
                        end=part.end + shift,
                        pinned_start=part.pinned_start + shift if part.pinned_start else None,
                        frozen=False,
                    )
                )
            for mat in sources.materials[line.pk]:
                materials.append(
                    _copy(
                        mat,
                        version=version.pk,
                        order_line=new.pk,
                        need_date=mat.need_date + shift,
                        covered_on=mat.covered_on + shift if mat.covered_on else None,
                    )
                )
        PlannedOperation.objects.bulk_create(parts, batch_size=500)
        PlanMaterial.objects.bulk_create(materials, batch_size=500)
        issues = []
        first_op = {}
        for op in ops:
            first_op.setdefault(op.order_id, op)
        for i, order in enumerate(orders):
            if i % ISSUE_SHARE:
                continue
            op = first_op[order.pk]
            issues.append(
                Issue(
                    number=f"BP-I{start + i:06d}",
                    kind="delay",
                    severity=rng.choice(["low", "medium", "high"]),
                    status=rng.choice(["open", "open", "in_progress"]),
                    source="manual",
                    title=f"物料未到 / Material late ({order.number})",
                    order_id=order.pk,
                    operation_id=op.pk,
                    responsible_department_id=rng.choice(departments),
                    opened_by=planner,
                    due_date=today + dt.timedelta(days=rng.randint(1, 14)),
                )
            )
        Issue.objects.bulk_create(issues, batch_size=500)
    return {
        "orders": count,
        "operations": len(ops),
        "planned_operations": len(parts),
        "materials": len(materials),
        "issues": len(issues),
        "seconds": round(time.perf_counter() - t0, 1),
    }


# --- pages ------------------------------------------------------------------------------------


def pages(version_pk: int) -> list[tuple[str, str, str]]:
    """(name, URL, user) of every page timed."""
    return [
        ("plan list", "/planning/", "planner"),
        ("gantt", "/planning/gantt/", "planner"),
        ("plan version", f"/planning/version/{version_pk}/", "planner"),
        ("issue list", "/issues/", "merchandiser"),
        ("board", "/board/", "planner"),
    ]


def time_page(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm
    status = response.status_code
    times, cpu, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        status = max(status, response.status_code)
        queries = len(ctx.captured_queries)
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "status": status,
        "bytes": len(response.content),
    }


def profile_page(client, url: str, top: int = 15) -> str:
    """The application's functions by cumulative time (past the middleware), then all by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(
        r"src/gendan/(?!.*middleware|core/operations|accounts/address)", top
    )
    stats.sort_stats("tottime").print_stats(top)
    text = out.getvalue().replace(str(ROOT / "src") + "/", "").replace(str(ROOT / ".venv/lib/"), "")
    return "\n".join(line for line in text.splitlines() if line.strip() and "Ordered by" not in line)


# --- daily reports ----------------------------------------------------------------------------


class _FreezeTimer:
    """Times the statements that freeze planned operations (connection.execute_wrapper)."""

    def __init__(self, seconds: list[float]):
        self.seconds = seconds

    def __call__(self, execute, sql, params, many, context):
        if not (sql.startswith('UPDATE "planning_plannedoperation"') and '"frozen"' in sql):
            return execute(sql, params, many, context)
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds.append(time.perf_counter() - t0)


def time_reports(count: int, rng: random.Random, planner) -> dict:
    """`count` reports, each on the first operation of a job of a different new order."""
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from gendan.planning.models import OrderOperation, PlannedOperation
    from gendan.shopfloor.services import passed_on, report_create

    candidates = []
    seen: set[int] = set()
    ops = OrderOperation.objects.filter(order__number__startswith="BP-", status="pending").select_related(
        "order"
    )
    order_ids = list(ops.values_list("order_id", flat=True).distinct())
    rng.shuffle(order_ids)
    for order_id in order_ids[: 4 * (count + 1)]:
        for op in ops.filter(order_id=order_id).order_by("sequence", "pk"):
            if op.order_id not in seen and passed_on(op) > 0:
                candidates.append(op)
                seen.add(op.order_id)
                break
        if len(candidates) > count:
            break
    if len(candidates) <= count:
        raise SystemExit(f"only {len(candidates)} operations to report on")
    warm, chosen = candidates[0], candidates[1 : count + 1]
    report_create(actor=planner, operation_id=warm.pk, good_qty="1", hours="1")
    rows = []
    for op in chosen:
        good = min(Decimal(10), passed_on(op))
        status = op.order.status
        freeze: list[float] = []
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(_FreezeTimer(freeze)):
            t0 = time.perf_counter()
            c0 = time.process_time()
            report_create(actor=planner, operation_id=op.pk, good_qty=good, hours="2", people=1)
            ms = (time.perf_counter() - t0) * 1000
            cpu_ms = (time.process_time() - c0) * 1000
        frozen = PlannedOperation.objects.filter(
            version__plan__in_force=F("version"), operation=op, frozen=True
        ).exists()
        rows.append(
            {
                "operation": op.pk,
                "order_status": status,
                "ms": round(ms, 2),
                "cpu_ms": round(cpu_ms, 2),
                "queries": len(ctx.captured_queries),
                "freeze_ms": round(sum(freeze) * 1000, 3),
                "frozen": frozen,
            }
        )
    ms = [r["ms"] for r in rows]
    freeze_ms = [r["freeze_ms"] for r in rows]
    return {
        "reports": len(rows),
        "median_ms": round(statistics.median(ms), 1),
        "max_ms": round(max(ms), 1),
        "cpu_median_ms": round(statistics.median(r["cpu_ms"] for r in rows), 1),
        "median_queries": statistics.median(r["queries"] for r in rows),
        "freeze_median_ms": round(statistics.median(freeze_ms), 3),
        "freeze_max_ms": round(max(freeze_ms), 3),
        "freeze_statements": sum(1 for r in rows if r["freeze_ms"] > 0),
        "all_frozen": all(r["frozen"] for r in rows),
        "first_of_order": sum(r["order_status"] == "released" for r in rows),
        "rows": rows,
    }


# --- main -------------------------------------------------------------------------------------


def orders_part(args, rng: random.Random, result: dict, clients: dict, users: dict) -> None:
    from django.db.models import Count

    from gendan.planning.models import PlanVersion

    sources = Sources()
    version = (
        PlanVersion.objects.filter(plan__in_force__isnull=False, plan__order__number__startswith="SO-")
        .annotate(n=Count("operations"))
        .order_by("-n", "pk")
        .first()
    )
    result["version"] = version.pk
    quarter = max(args.orders // 4, 1)
    done = 0
    for size in (quarter, args.orders):
        print(f"adding {size - done} orders ...", flush=True)
        built = scale_up(sources, done + 1, size - done, rng, users["planner"])
        done = size
        result["build"].append(built | {"size": size})
        print(
            f"  {built['operations']} operations, {built['planned_operations']} planned, "
            f"{built['materials']} materials, {built['issues']} issues in {built['seconds']} s",
            flush=True,
        )
        # As the server does once at start (gendan/wsgi.py): what lives as long as the process
        # is left out of the collector's full passes.
        gc.collect()
        gc.freeze()
        for name, url, user in pages(version.pk):
            row = {"page": name, "url": url, "orders": size} | time_page(clients[user], url, args.repeat)
            result["pages"].append(row)
            print(f"  {name:<13} {row['median_ms']:>8.1f} ms  {row['queries']:>4} queries", flush=True)
    result["report"] = time_reports(args.reports, rng, users["planner"])
    slow = [r for r in result["pages"] if r["orders"] == args.orders and r["max_ms"] > PAGE_GOAL_MS]
    if args.profile:
        for row in slow:
            user = next(u for n, _url, u in pages(version.pk) if n == row["page"])
            print(f"\n--- cProfile of one request of {row['page']} ({row['url']}) ---")
            print(profile_page(clients[user], row["url"]))


def print_orders(result: dict) -> None:
    print(
        f"\ndemo factory built in {result['demo_seconds']} s; version page: the demo's version {result['version']}"
    )
    print(f"\n{'page':<14} {'orders':>7} {'median ms':>10} {'max ms':>8} {'queries':>8} {'CPU ms':>7}  goal")
    for r in result["pages"]:
        ok = "ok" if r["median_ms"] <= PAGE_GOAL_MS else f"OVER {PAGE_GOAL_MS} ms"
        if r["status"] != 200:
            ok += f" (HTTP {r['status']})"
        print(
            f"{r['page']:<14} {r['orders']:>7} {r['median_ms']:>10.1f} {r['max_ms']:>8.1f} {r['queries']:>8} "
            f"{r['cpu_median_ms']:>7.1f}  {ok}"
        )
    rep = result["report"]
    ok = "ok" if rep["median_ms"] <= REPORT_GOAL_MS else f"OVER {REPORT_GOAL_MS} ms"
    print(
        f"\ndaily reports ({rep['reports']}, {rep['first_of_order']} the first of a released order): "
        f"median {rep['median_ms']} ms (CPU {rep['cpu_median_ms']} ms), max {rep['max_ms']} ms, "
        f"{rep['median_queries']} queries (median)  {ok}"
    )
    print(
        f"freezing the operation in the version in force: median {rep['freeze_median_ms']} ms, "
        f"max {rep['freeze_max_ms']} ms ({rep['freeze_statements']} of {rep['reports']} reports ran it); "
        f"all frozen afterwards: {rep['all_frozen']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=2000, help="new open orders (default 2,000; 0: skip)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (after one to warm)")
    parser.add_argument("--reports", type=int, default=20, help="daily reports timed")
    parser.add_argument(
        "--issues", type=int, default=20000, help="issues of the second part (default 20,000; 0: skip it)"
    )
    parser.add_argument(
        "--records", type=int, default=100000, help="inspection records of the second part (default 100,000)"
    )
    parser.add_argument(
        "--kpi-orders",
        type=int,
        default=6000,
        help="orders of the KPI part over a year (default 6,000; 0: skip it)",
    )
    parser.add_argument("--kpi-merchandisers", type=int, default=20, help="merchandisers of the KPI part")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one request of each page over its goal"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    result: dict = {
        "orders": args.orders,
        "issues": args.issues,
        "records": args.records,
        "repeat": args.repeat,
        "pages": [],
        "build": [],
        "quality_pages": [],
        "quality_build": [],
        "kpi_pages": [],
        "kpi_build": [],
    }
    with tempfile.TemporaryDirectory(prefix="gendan-pages-") as tmp:
        setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.test import Client

        print("building the demo factory ...", flush=True)
        result["demo_seconds"] = round(build_demo(), 1)
        names = ["planner", "merchandiser", "manager", "inspector"]
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        clients = {}
        for name, user in users.items():
            clients[name] = Client()
            clients[name].force_login(user)
        if args.orders > 0:
            orders_part(args, rng, result, clients, users)
        if args.issues > 0:
            quality_part(args, rng, result, clients, time_page)
        if args.kpi_orders > 0:
            kpi_part(args, rng, result, clients, time_page)

    if args.orders > 0:
        print_orders(result)
    if args.issues > 0:
        print_quality(result, PAGE_GOAL_MS)
    if args.kpi_orders > 0:
        print_kpi(result, PAGE_GOAL_MS)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
