"""The shop floor's demo: the scrap reasons a Chinese workshop uses, and daily reports for the
operations the plans in force placed before today (planning's demo comes first)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from gendan.core.demo import DemoPart, DemoSeeder
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
