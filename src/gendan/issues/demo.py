"""The issue register's part of the demo factory (after the plans, step 40, and the week of daily
reports, step 45): the deviations the system finds, an issue followed up and closed, one being
solved, a breakdown with its repair record."""

import datetime as dt

from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.core.services import record_create
from gendan.masterdata.models import WorkCentre
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

from .choices import IssueKind, IssueSource, MaintenanceKind, Severity
from .deviations import deviations_scan
from .models import Issue, MaintenanceRecord
from .services.register import (
    issue_accept,
    issue_close,
    issue_note_add,
    issue_open,
    issue_resolve,
    issue_update,
)


def build_issues(*, users, **_earlier) -> DemoPart:
    # The daily reports (step 45) may already have opened deviation issues; the demo's own are by hand.
    if not Issue.objects.filter(source=IssueSource.MANUAL).exists():
        _issues(users)
    # Other steps open issues too (deviations found by daily reports and by a quality disposition's
    # set-back, rejected lots, meetings' actions): counted here are this step's own, by hand, so a
    # second build reports the same.
    own = Issue.objects.filter(source=IssueSource.MANUAL)
    return DemoPart(
        counts={
            "issues": own.count(),
            "open issues": own.exclude(status="closed").count(),
            "maintenance records": MaintenanceRecord.objects.count(),
        }
    )


def _issues(users) -> None:
    planner, purchaser = users["planner"], users["purchaser"]
    today = timezone.localdate()
    deviations_scan()  # operations of the plans in force behind plan, scrap over allowance
    orders = list(
        Order.objects.filter(status__in=[OrderStatus.IN_PRODUCTION, OrderStatus.RELEASED])
        .select_related("merchandiser")
        .order_by("pk")[:3]
    )
    if len(orders) >= 2:
        # A shortage followed up and closed: cause, solution, notes, the merchandiser confirms.
        closed = issue_open(
            actor=planner,
            kind=IssueKind.MATERIAL,
            title="电机外壳来料延迟 / Motor housings arrive late",
            severity=Severity.HIGH,
            order=orders[0],
            responsible_department=purchaser.department,
            owner=purchaser,
            due_date=today - dt.timedelta(days=2),
            description="供应商通知外壳推迟 3 天到货。/ The supplier delays the housings by 3 days.",
        )
        issue_accept(actor=purchaser, issue_id=closed.pk)
        issue_update(
            actor=purchaser,
            issue_id=closed.pk,
            data={
                "cause": "供应商压铸模具维修。/ The supplier's die-casting mould was under repair.",
                "solution": "改由二号供应商补足 500 件，已到货。/ 500 pieces from the second supplier, received.",
            },
        )
        issue_note_add(actor=purchaser, issue_id=closed.pk, text="已确认到货并入库。/ Received and stocked.")
        issue_resolve(actor=purchaser, issue_id=closed.pk)
        issue_close(actor=orders[0].merchandiser, issue_id=closed.pk, note="已跟进，生产恢复。/ Followed up.")
        # One being solved, due tomorrow.
        working = issue_open(
            actor=orders[1].merchandiser,
            kind=IssueKind.CUSTOMER,
            title="客户要求更换包装箱唛头 / The customer wants new carton marks",
            order=orders[1],
            responsible_department=planner.department,
            due_date=today + dt.timedelta(days=1),
        )
        issue_accept(actor=planner, issue_id=working.pk)
    centre = WorkCentre.objects.filter(is_archived=False).order_by("code").first()
    if centre is not None:
        # A breakdown, repaired the same day (a breakdown with days down blocks its centre's calendar).
        breakdown = issue_open(
            actor=planner,
            kind=IssueKind.EQUIPMENT,
            title="主轴异响停机 / Spindle noise, machine stopped",
            severity=Severity.HIGH,
            work_centre=centre,
            responsible_department=planner.department,
            due_date=today + dt.timedelta(days=2),
        )
        service = {
            "work_centre": centre,
            "kind": MaintenanceKind.PREVENTIVE,
            "date": today - dt.timedelta(days=20),
            "description": "季度保养：润滑、皮带检查。/ Quarterly service: lubrication, belts.",
            "downtime_hours": 4,
            "performed_by": "设备科 / Maintenance",
            "next_due": today + dt.timedelta(days=70),
            "recorded_by": planner,
        }
        record_create(actor=planner, model=MaintenanceRecord, data=service)
        repair = {
            "work_centre": centre,
            "kind": MaintenanceKind.REPAIR,
            "date": today,
            "description": "更换主轴轴承。/ Spindle bearing replaced.",
            "downtime_hours": 6,
            "performed_by": "设备科 / Maintenance",
            "issue": breakdown,
            "recorded_by": planner,
        }
        record_create(actor=planner, model=MaintenanceRecord, data=repair)
