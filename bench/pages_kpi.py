"""The merchandiser KPI pages (R-7.1) over a year of records for 20 merchandisers (part of
bench/pages.py, `--kpi-orders`; 0 skips it).

Adds merchandisers up to `--kpi-merchandisers` (default 20) and, with `bulk_create` (benchmark data,
not a workflow), orders spread over the twelve months up to today, each with its review and release
moments, three acknowledgements by the receiving departments, a plan version submitted and decided,
and one issue in two closed or still open; about one step in five late. First a tenth of the
orders, then all of them: at both sizes the KPI overview of the year and of this quarter (as the
manager) computed live (no stored reports: a stopped worker), then the worker's refresh of the
stored reports (kpi/snapshots.py; its time and CPU time), then both overviews reading them and one
merchandiser's page for the year with its drill-down and twelve-month trend (always live), timed
with pages.py's `time_page` (goal: under 300 ms; the query count must not grow with the rows).
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time


def _people(count: int) -> list:
    from gendan.accounts.choices import Role
    from gendan.accounts.models import Department, User

    have = list(User.objects.filter(role=Role.MERCHANDISER, is_active=True).order_by("pk"))
    department = Department.objects.filter(kind="merchandising").first()
    new = []
    for i in range(len(have), count):
        user = User(username=f"kpi-bench-{i:02d}", display_name=f"Bench {i:02d}", role=Role.MERCHANDISER)
        user.department = department
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new)
    return list(User.objects.filter(role=Role.MERCHANDISER, is_active=True).order_by("pk"))[:count]


def add_year(people: list, start: int, count: int, rng: random.Random) -> dict:
    """`count` released orders over the last year, shared out among `people`, with their records."""
    from django.utils import timezone

    from gendan.accounts.models import Department
    from gendan.issues.models import Issue
    from gendan.masterdata.models import Customer
    from gendan.orders.choices import OrderStatus
    from gendan.orders.models import Acknowledgement, Order
    from gendan.planning.choices import VersionStatus
    from gendan.planning.models import Plan, PlanVersion

    t0 = time.perf_counter()
    now = timezone.localtime()
    customer = Customer.objects.order_by("pk").first()
    departments = list(Department.objects.filter(kind__in=["production", "purchasing", "quality"]))
    issue_department = departments[0]

    def hours(late_share=0.2, target=24):
        h = rng.uniform(target, target * 2.5) if rng.random() < late_share else rng.uniform(0.5, target)
        return dt.timedelta(hours=h)

    orders, moments = [], []
    for i in range(start, start + count):
        received = now - dt.timedelta(days=rng.uniform(3, 364))
        reviewed = received + hours()
        released = reviewed + hours()
        orders.append(
            Order(
                number=f"KPI-{i:06d}",
                customer=customer,
                merchandiser=people[i % len(people)],
                status=OrderStatus.RELEASED,
                received_on=received.date(),
                reviewed_at=reviewed,
                released_at=released,
            )
        )
        moments.append((reviewed, released))
    Order.objects.bulk_create(orders, batch_size=1000)
    acks, plans, issues = [], [], []
    for order, (_reviewed, released) in zip(orders, moments, strict=True):
        for department in departments:
            done = released + hours()
            acks.append(
                Acknowledgement(
                    order=order,
                    department=department,
                    requested_at=released,
                    acknowledged_at=done if done < now else None,
                )
            )
        plans.append(Plan(order=order))
    Acknowledgement.objects.bulk_create(acks, batch_size=1000)
    Plan.objects.bulk_create(plans, batch_size=1000)
    versions = []
    for plan, (_reviewed, released) in zip(plans, moments, strict=True):
        submitted = released + dt.timedelta(hours=rng.uniform(2, 30))
        decided = submitted + hours(target=48)
        versions.append(
            PlanVersion(
                plan=plan,
                number=1,
                status=VersionStatus.APPROVED,
                submitted_at=submitted,
                decided_at=decided if decided < now else None,
            )
        )
        opened = released + dt.timedelta(days=rng.uniform(1, 20))
        if opened < now:
            closed = opened + dt.timedelta(days=rng.uniform(0.2, 8))
            issues.append(
                Issue(
                    number=f"KPI-YC-{plan.order.number[4:]}",
                    kind="quality",
                    title="基准测试异常",
                    order=plan.order,
                    responsible_department=issue_department,
                    opened_at=opened,
                    due_date=(opened + dt.timedelta(days=3)).date(),
                    closed_at=closed if closed < now and rng.random() < 0.8 else None,
                    status="closed",
                )
            )
    PlanVersion.objects.bulk_create(versions, batch_size=1000)
    for issue in issues:
        if issue.closed_at is None:
            issue.status = "open"
    Issue.objects.bulk_create(issues, batch_size=1000)
    return {
        "orders": count,
        "acknowledgements": len(acks),
        "plan_versions": len(versions),
        "issues": len(issues),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def kpi_pages(person_pk: int) -> list[tuple[str, str, str]]:
    from django.utils import timezone

    today = timezone.localdate()
    return [
        ("KPI overview, year", f"/kpi/?period={today.year}", "manager"),
        ("KPI overview, qtr", "/kpi/", "manager"),
        ("KPI detail, year", f"/kpi/{person_pk}/?period={today.year}", "manager"),
    ]


def _time_all(people, total, stage, result, clients, time_page, args) -> None:
    for name, url, user in kpi_pages(people[0].pk):
        if stage == "live" and name.startswith("KPI detail"):
            continue  # always live: timed once, with the stored reports
        row = {"page": f"{name} ({stage})", "url": url, "orders": total}
        row |= time_page(clients[user], url, args.repeat)
        result["kpi_pages"].append(row)
        print(f"  {row['page']:<27} {row['median_ms']:>8.1f} ms  {row['queries']:>4} queries", flush=True)


def kpi_part(args, rng: random.Random, result: dict, clients: dict, time_page) -> None:
    from gendan.kpi.models import KpiSnapshot
    from gendan.kpi.refresh import kpi_snapshots_refresh

    people = _people(args.kpi_merchandisers)
    result["kpi_merchandisers"] = len(people)
    done = 0
    for total in (args.kpi_orders // 10, args.kpi_orders):
        print(f"adding {total - done} orders for {len(people)} merchandisers over a year ...", flush=True)
        built = add_year(people, done + 1, total - done, rng)
        done = total
        gc.collect()
        gc.freeze()
        # Without the worker's stored reports (a stopped worker): every figure computed live.
        KpiSnapshot.objects.all().delete()
        _time_all(people, total, "live", result, clients, time_page, args)
        # The worker's refresh (every 5 minutes), then the pages read its reports.
        t0, c0 = time.perf_counter(), time.process_time()
        built["snapshots"] = kpi_snapshots_refresh()
        built["refresh_seconds"] = round(time.perf_counter() - t0, 2)
        built["refresh_cpu_seconds"] = round(time.process_time() - c0, 2)
        result["kpi_build"].append(built | {"orders_total": total})
        print(
            f"  {built['acknowledgements']} acknowledgements, {built['plan_versions']} plan versions, "
            f"{built['issues']} issues in {built['seconds']} s; the worker's refresh stored "
            f"{built['snapshots']} reports in {built['refresh_seconds']} s",
            flush=True,
        )
        _time_all(people, total, "stored", result, clients, time_page, args)


def print_kpi(result: dict, goal_ms: int) -> None:
    for b in result["kpi_build"]:
        print(
            f"worker's refresh at {b['orders_total']} orders: {b['snapshots']} reports, "
            f"{b['refresh_seconds']} s ({b['refresh_cpu_seconds']} s CPU)"
        )
    print(f"\n{'page':<28} {'orders':>7} {'median ms':>10} {'max ms':>8} {'queries':>8} {'CPU ms':>7}  goal")
    for r in result["kpi_pages"]:
        ok = "ok" if r["median_ms"] <= goal_ms else f"OVER {goal_ms} ms"
        if r["status"] != 200:
            ok += f" (HTTP {r['status']})"
        print(
            f"{r['page']:<28} {r['orders']:>7} {r['median_ms']:>10.1f} {r['max_ms']:>8.1f} "
            f"{r['queries']:>8} {r['cpu_median_ms']:>7.1f}  {ok}"
        )
