"""Benchmark data for bench/pages.py's second part: the issue list, the escalation inbox and the
quality records page at many issues and inspection records (SQLite, `bulk_create`: benchmark
data, not a workflow; no audit entries, no notifications).

On the demo factory (its orders, departments, users, the standard escalation ladder, its receipts
and incoming inspections, its inspection plans and in-process and final inspections):

- issues: on the demo's orders (one in five without an order), every kind and severity, 35 % open,
  20 % being solved, 10 % solved, 35 % closed, opened over the last two years, due a few days to
  a month after opening; one in five escalated (live for an open issue, closed or passed up
  otherwise), each escalation telling its level's people (the managers), one in three the demo's
  manager himself;
- inspection records: a quarter incoming (a goods receipt copied from the demo's and its inspection:
  lot, sample, nonconforming, accepted or rejected, a defect on one lot in six), three quarters
  in-process and final (copies of the demo's decided ones, one per inspection plan: the plan's
  measured characteristics measured on five units in process, two in final inspection, around
  their nominal with the spread of a good process and one lot in forty shifted; its pass/fail
  items judged on one unit; a defect counted on one lot in twelve; passed or failed by the
  template's Ac), completed over the last two years."""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from decimal import Decimal

YEARS_DAYS = 730
ESCALATED_SHARE = 5  # one issue in five
ISSUE_STATUS = [("open", 35), ("in_progress", 20), ("resolved", 10), ("closed", 35)]
INCOMING_SHARE = 4  # one record in four is an incoming inspection


def _copy(obj, **changes):
    """A new unsaved instance with obj's field values (not its pk), changed by `changes`."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return model(**values)


class QualitySources:
    """What the copies are made of, read once from the demo."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from gendan.accounts.models import Department
        from gendan.escalations.models import Ladder
        from gendan.orders.models import Order
        from gendan.quality.models import DefectCode, Inspection, InspectionPlanItem, ProcessInspection

        User = get_user_model()
        self.orders = list(Order.objects.filter(number__startswith="SO-").values_list("pk", flat=True))
        self.departments = list(Department.objects.filter(is_archived=False).values_list("pk", flat=True))
        self.users = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
        self.manager = User.objects.get(username="manager")
        managers = Department.objects.filter(manager__isnull=False).values_list("manager_id", flat=True)
        self.managers = sorted(set(managers) | {self.manager.pk})
        ladder = Ladder.objects.get(is_default=True)
        self.ladder = ladder
        self.levels = list(ladder.levels.filter(is_archived=False).order_by("position"))
        self.codes = list(DefectCode.objects.values_list("pk", flat=True))
        incoming = Inspection.objects.filter(status="done").select_related("receipt").order_by("pk").first()
        if incoming is None:
            raise SystemExit("the demo factory has no incoming inspection to copy")
        self.incoming = incoming
        self.templates = []  # one decided in-process or final inspection per plan
        seen: set[int] = set()
        for inspection in ProcessInspection.objects.filter(status__in=["passed", "failed"]).order_by("pk"):
            if inspection.plan_id not in seen:
                seen.add(inspection.plan_id)
                self.templates.append(inspection)
        if not self.templates:
            raise SystemExit("the demo factory has no in-process inspection to copy")
        self.items = {
            t.plan_id: list(InspectionPlanItem.objects.filter(plan_id=t.plan_id, is_archived=False))
            for t in self.templates
        }


def _weighted(rng: random.Random, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _back(rng: random.Random, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=rng.uniform(0, YEARS_DAYS * 86400))


def add_issues(src: QualitySources, start: int, count: int, rng: random.Random) -> dict:
    """`count` issues numbered BQ-I<start>…, one in five escalated."""
    from django.db import transaction
    from django.utils import timezone

    from gendan.escalations.models import Escalation
    from gendan.issues.models import Issue

    t0 = time.perf_counter()
    now = timezone.now()
    kinds = ["delay", "quality", "material", "equipment", "customer", "other"]
    with transaction.atomic():
        issues = []
        for i in range(count):
            status = _weighted(rng, ISSUE_STATUS)
            opened = _back(rng, now)
            issues.append(
                Issue(
                    number=f"BQ-I{start + i:07d}",
                    kind=rng.choice(kinds),
                    severity=rng.choice(["low", "medium", "medium", "high", "critical"]),
                    status=status,
                    source="manual",
                    title=f"来料延误 / Material late ({start + i})",
                    order_id=rng.choice(src.orders) if rng.random() > 0.2 else None,
                    responsible_department_id=rng.choice(src.departments),
                    owner_id=rng.choice(src.users) if rng.random() > 0.3 else None,
                    opened_by_id=rng.choice(src.users),
                    opened_at=opened,
                    due_date=(opened + dt.timedelta(days=rng.randint(3, 30))).date(),
                    solution="已处理 / done" if status in ("resolved", "closed") else "",
                    resolved_at=opened + dt.timedelta(days=2) if status in ("resolved", "closed") else None,
                    closed_at=opened + dt.timedelta(days=3) if status == "closed" else None,
                )
            )
        Issue.objects.bulk_create(issues, batch_size=1000)
        escalations = []
        for issue in issues[::ESCALATED_SHARE]:
            level = rng.choice(src.levels)
            live = issue.status in ("open", "in_progress")
            status = rng.choice(["open", "acknowledged"]) if live else rng.choice(["closed", "climbed"])
            at = issue.opened_at + dt.timedelta(days=rng.randint(1, 10))
            escalations.append(
                Escalation(
                    issue_id=issue.pk,
                    ladder_id=src.ladder.pk,
                    level_id=level.pk,
                    role=level.role,
                    status=status,
                    reason_kind=rng.choice(["rule", "hand"]),
                    reason="逾期未解决 / overdue",
                    created_at=at,
                    climbs_at=at + dt.timedelta(hours=level.climb_hours) if status == "open" else None,
                    acknowledged_by_id=src.manager.pk if status == "acknowledged" else None,
                    acknowledged_at=at + dt.timedelta(hours=1) if status == "acknowledged" else None,
                    closed_at=at + dt.timedelta(days=3) if status == "closed" else None,
                )
            )
        Escalation.objects.bulk_create(escalations, batch_size=1000)
        told = Escalation.notified.through
        rows = []
        for n, escalation in enumerate(escalations):
            people = {rng.choice(src.managers)} | ({src.manager.pk} if n % 3 == 0 else set())
            rows.extend(told(escalation_id=escalation.pk, user_id=pk) for pk in people)
        told.objects.bulk_create(rows, batch_size=2000)
    return {"issues": count, "escalations": len(escalations), "seconds": round(time.perf_counter() - t0, 1)}


def add_records(src: QualitySources, start: int, count: int, rng: random.Random) -> dict:
    """`count` inspection records: a quarter incoming, the rest in-process and final."""
    from django.db import transaction

    t0 = time.perf_counter()
    incoming = count // INCOMING_SHARE
    with transaction.atomic():
        made_in = _incoming(src, start, incoming, rng)
        made_process = _process(src, count - incoming, rng)
    return {
        "records": count,
        "incoming": incoming,
        "process": count - incoming,
        **made_in,
        **made_process,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _incoming(src: QualitySources, start: int, count: int, rng: random.Random) -> dict:
    from django.utils import timezone

    from gendan.purchasing.models import Receipt
    from gendan.quality.models import Inspection, InspectionDefect

    now = timezone.now()
    model = src.incoming
    receipts, inspections = [], []
    for i in range(count):
        at = _back(rng, now)
        receipts.append(
            _copy(model.receipt, number=f"BQ-R{start + i:07d}", received_at=at, inspected_at=at, case_id=None)
        )
    Receipt.objects.bulk_create(receipts, batch_size=1000)
    for receipt in receipts:
        bad = rng.choices([0, 1, 2, 4], weights=[80, 12, 5, 3])[0]
        rejected = bad > model.accept_number
        inspections.append(
            _copy(
                model,
                receipt_id=receipt.pk,
                nonconforming=bad,
                result="rejected" if rejected else "accepted",
                verdict="rejected" if rejected else "accepted",
                completed_at=receipt.received_at + dt.timedelta(hours=2),
            )
        )
    Inspection.objects.bulk_create(inspections, batch_size=1000)
    defects = [
        InspectionDefect(
            inspection_id=inspection.pk,
            code_id=rng.choice(src.codes),
            count=max(1, inspection.nonconforming),
            recorded_by_id=model.inspector_id,
        )
        for n, inspection in enumerate(inspections)
        if inspection.nonconforming or n % 6 == 0
    ]
    InspectionDefect.objects.bulk_create(defects, batch_size=2000)
    return {"incoming_defects": len(defects)}


def _process(src: QualitySources, count: int, rng: random.Random) -> dict:
    from django.utils import timezone

    from gendan.quality.models import ProcessDefect, ProcessInspection, ProcessMeasurement

    now = timezone.now()
    inspections, found = [], []
    for n in range(count):
        template = rng.choice(src.templates)
        at = _back(rng, now)
        values, bad_units = _measure(src, template, rng, shift=rng.gauss(0, 1) if n % 40 == 0 else 0.0)
        counted = rng.randint(1, 3) if n % 12 == 0 else 0
        defective = len(bad_units) + counted
        inspections.append(
            _copy(
                template,
                created_at=at - dt.timedelta(hours=1),
                started_at=at - dt.timedelta(minutes=30),
                completed_at=at,
                note="",
                nonconforming=defective,
                status="passed" if defective <= template.accept_number else "failed",
            )
        )
        found.append((values, counted, template.inspector_id))
    ProcessInspection.objects.bulk_create(inspections, batch_size=1000)
    measurements, defects = [], []
    for inspection, (values, counted, inspector) in zip(inspections, found, strict=True):
        measurements.extend(
            ProcessMeasurement(
                inspection_id=inspection.pk,
                item_id=item,
                unit_no=unit,
                value=value,
                ok=ok,
                recorded_by_id=inspector,
            )
            for item, unit, value, ok in values
        )
        if counted:
            defects.append(
                ProcessDefect(
                    inspection_id=inspection.pk,
                    code_id=rng.choice(src.codes),
                    count=counted,
                    recorded_by_id=inspector,
                )
            )
    ProcessMeasurement.objects.bulk_create(measurements, batch_size=5000)
    ProcessDefect.objects.bulk_create(defects, batch_size=2000)
    return {"measurements": len(measurements), "process_defects": len(defects)}


def _measure(src: QualitySources, template, rng: random.Random, shift: float):
    """(item, unit, value, ok) of one inspection, and the units found defective: measured
    characteristics on five units in process (two in final inspection), around the nominal with a
    twelfth of the tolerance as sigma (moved by `shift` quarters of it); pass/fail items on unit 1."""
    units = 5 if template.kind == "in_process" else 2
    values, bad_units = [], set()
    for item in src.items[template.plan_id]:
        if item.kind != "measured":
            ok = rng.random() > 0.02
            values.append((item.pk, 1, None, ok))
            if not ok:
                bad_units.add(1)
            continue
        band = float(item.upper_limit - item.lower_limit)
        for unit in range(1, units + 1):
            value = Decimal(f"{float(item.nominal) + band * (shift / 4 + rng.gauss(0, 1) / 12):.4f}")
            ok = item.lower_limit <= value <= item.upper_limit
            values.append((item.pk, unit, value, ok))
            if not ok:
                bad_units.add(unit)
    return values, bad_units


# --- the pages ---------------------------------------------------------------------------------


def quality_pages(today: dt.date) -> list[tuple[str, str, str]]:
    """(name, URL, user) of the pages timed at many issues and inspection records."""
    two_years = f"period=custom&start={today - dt.timedelta(days=729):%Y-%m-%d}&end={today:%Y-%m-%d}"
    return [
        ("issue list", "/issues/", "merchandiser"),
        ("issue list, all", "/issues/?state=all", "manager"),
        ("escalation inbox", "/escalations/", "manager"),
        ("escalations, all", "/escalations/?state=all&mine=all", "manager"),
        ("quality records", "/quality/records/", "inspector"),
        ("records, 2 years", f"/quality/records/?{two_years}", "inspector"),
    ]


def quality_part(args, rng: random.Random, result: dict, clients: dict, time_page) -> None:
    """The issues and inspection records at a tenth of their number and at all of it, each time
    every page of `quality_pages` timed (with pages.py's `time_page`)."""
    from django.utils import timezone

    sources = QualitySources()
    done_issues = done_records = 0
    for issues, records in ((args.issues // 10, args.records // 10), (args.issues, args.records)):
        print(
            f"adding {issues - done_issues} issues and {records - done_records} inspection records ...",
            flush=True,
        )
        built = add_issues(sources, done_issues + 1, issues - done_issues, rng)
        built |= add_records(sources, done_records + 1, records - done_records, rng)
        done_issues, done_records = issues, records
        result["quality_build"].append(built | {"issues_total": issues, "records_total": records})
        print(
            f"  {built['escalations']} escalations, {built['incoming']} incoming and {built['process']} "
            f"in-process inspections ({built['measurements']} measurements) in {built['seconds']} s",
            flush=True,
        )
        gc.collect()
        gc.freeze()
        for name, url, user in quality_pages(timezone.localdate()):
            row = {"page": name, "url": url, "issues": issues, "records": records}
            row |= time_page(clients[user], url, args.repeat)
            result["quality_pages"].append(row)
            print(f"  {name:<17} {row['median_ms']:>8.1f} ms  {row['queries']:>4} queries", flush=True)


def print_quality(result: dict, goal_ms: int) -> None:
    print(
        f"\n{'page':<18} {'issues':>7} {'records':>8} {'median ms':>10} {'max ms':>8} {'queries':>8} {'CPU ms':>7}  goal"
    )
    for r in result["quality_pages"]:
        ok = "ok" if r["median_ms"] <= goal_ms else f"OVER {goal_ms} ms"
        if r["status"] != 200:
            ok += f" (HTTP {r['status']})"
        print(
            f"{r['page']:<18} {r['issues']:>7} {r['records']:>8} {r['median_ms']:>10.1f} {r['max_ms']:>8.1f} "
            f"{r['queries']:>8} {r['cpu_median_ms']:>7.1f}  {ok}"
        )
