"""The shop floor's demo: the scrap reasons a Chinese workshop uses, daily reports for the
operations the plans in force placed before today (planning's demo comes first), and two orders
finished whole (the delivery demo ships them)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from gendan.core.demo import DemoPart, DemoSeeder
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.planning.models import PlannedOperation

from .choices import ReportChannel
from .models import ProductionReport, ScrapReason
from .services import passed_on, report_create

SCRAP_REASONS = [
    ("SR01", "尺寸超差", "Out of tolerance"),
    ("SR02", "外观划伤", "Scratched surface"),
    ("SR03", "焊接不良", "Poor weld"),
    ("SR04", "材料缺陷", "Material defect"),
    ("SR05", "装配错误", "Assembly error"),
    ("SR06", "设备故障", "Machine fault"),
    ("SR07", "调机损耗", "Set-up loss"),
]


def build_shopfloor(*, users, **_earlier) -> DemoPart:
    seeder = DemoSeeder(users["admin"])
    rows = [{"code": c, "name": n, "name_en": en} for c, n, en in SCRAP_REASONS]
    reasons = list(seeder.ensure(ScrapReason, ("code",), rows).values())
    if not ProductionReport.objects.exists():
        _reports(users["planner"], reasons)
        _finish_production(users["planner"], 2)
    return DemoPart(
        counts={
            "scrap reasons": ScrapReason.objects.count(),
            # What people reported (not the units quality set back later, in the quality step).
            "daily reports": ProductionReport.objects.exclude(channel=ReportChannel.QUALITY).count(),
        }
    )


def _reports(reporter, reasons) -> None:
    """Operations planned to start before now report day by day, in the order the shop runs
    them (a sub-assembly before its parent), what the step before passed on, with a little scrap
    now and then; those planned to end before now are finished, except a few left behind (the
    delays the deviation scan then reports)."""
    now = timezone.now()
    parts = (
        PlannedOperation.objects.filter(version__plan__in_force=F("version"), start__lt=now, part=1)
        .select_related("operation")
        .order_by("start", "operation__sequence", "pk")[:400]
    )
    for n, part in enumerate(parts):
        op = part.operation
        behind = n % 40 == 7  # about one in forty falls behind its plan
        start = max(timezone.localdate(part.start), timezone.localdate(now) - dt.timedelta(days=6))
        end = min(timezone.localdate(part.end), timezone.localdate(now))
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        share = (op.quantity / len(days)).quantize(Decimal(1)) if days else Decimal(0)
        for i, day in enumerate(days):
            finished = i == len(days) - 1 and part.end <= now and not behind
            op.refresh_from_db(fields=["good_qty", "quantity"])
            left = max(passed_on(op) - op.good_qty, Decimal(0))
            good = left if finished else min(share, left)
            if day == timezone.localdate(now) and not finished:
                good = (good / 2).quantize(Decimal(1))  # today is not over yet
            if behind:
                good = (good * Decimal("0.6")).quantize(Decimal(1))
            scrap = Decimal(1) if (n + i) % 5 == 0 else Decimal(0)
            try:
                report_create(
                    actor=reporter,
                    channel=ReportChannel.DESKTOP if i % 2 else ReportChannel.PHONE,
                    operation_id=op.pk,
                    work_date=day,
                    good_qty=good,
                    scrap_qty=scrap,
                    scrap_reason_id=reasons[(n + i) % len(reasons)].pk if scrap else None,
                    hours=Decimal(6),
                    people=2,
                    finished=finished,
                    # Reported at the end of that day, as the team leader did: the checks for
                    # delays see the plan as it stood then.
                    at=timezone.make_aware(dt.datetime.combine(day, dt.time(17, 30))),
                )
            except ValidationError:
                break  # the order is not (or no longer) reportable


def _finish_production(reporter, count: int) -> None:
    """`count` released orders nobody has reported on yet finished: every planned operation reported
    whole, in the order the plan in force runs them, over the last days (the delivery demo ships
    them)."""
    today = timezone.localdate()
    done = 0
    orders = Order.objects.filter(
        status=OrderStatus.RELEASED, plan__in_force__isnull=False, merchandiser__isnull=False
    ).order_by("number")
    for order in orders:
        if done == count:
            return
        lines = list(order.lines.filter(is_cancelled=False))
        if not lines:
            continue
        parts = list(
            PlannedOperation.objects.filter(version=order.plan.in_force, part=1)
            .select_related("operation")
            .order_by("start", "operation__sequence", "pk")
        )
        try:
            for i, part in enumerate(parts):
                op = part.operation
                op.refresh_from_db(fields=["good_qty", "quantity"])
                report_create(
                    actor=reporter,
                    operation_id=op.pk,
                    work_date=today - dt.timedelta(days=6 - 4 * i // max(len(parts), 1)),
                    good_qty=max(passed_on(op) - op.good_qty, Decimal(0)),
                    scrap_qty=Decimal(0),
                    hours=Decimal(6),
                    people=2,
                    finished=True,
                )
        except ValidationError:
            continue  # not reportable after all (the next order is tried; this one stays part-done)
        done += 1
