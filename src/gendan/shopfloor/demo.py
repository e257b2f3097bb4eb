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
from .services import report_create

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
            "daily reports": ProductionReport.objects.count(),
        }
    )


def _reports(reporter, reasons) -> None:
    """Each operation planned to start before now reports its planned share, day by day, with a
    little scrap now and then; those planned to end before now are finished."""
    now = timezone.now()
    parts = (
        PlannedOperation.objects.filter(version__plan__in_force=F("version"), start__lt=now, part=1)
        .select_related("operation")
        .order_by("operation__order_line_id", "operation__job_key", "operation__sequence")[:400]
    )
    for n, part in enumerate(parts):
        op = part.operation
        start = max(timezone.localdate(part.start), timezone.localdate(now) - dt.timedelta(days=6))
        end = min(timezone.localdate(part.end), timezone.localdate(now))
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        share = (op.quantity / len(days)).quantize(Decimal(1)) if days else Decimal(0)
        for i, day in enumerate(days):
            last = i == len(days) - 1
            scrap = Decimal(1) if (n + i) % 5 == 0 else Decimal(0)
            try:
                report_create(
                    actor=reporter,
                    channel=ReportChannel.DESKTOP if i % 2 else ReportChannel.PHONE,
                    operation_id=op.pk,
                    work_date=day,
                    good_qty=share,
                    scrap_qty=scrap,
                    scrap_reason_id=reasons[(n + i) % len(reasons)].pk if scrap else None,
                    hours=Decimal(6),
                    people=2,
                    finished=last and part.end <= now,
                )
            except ValidationError:
                break  # the order is not (or no longer) reportable
