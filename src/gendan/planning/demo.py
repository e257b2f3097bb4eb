"""Production planning's part of the demo factory: the released orders planned, in every state a
planner meets (in force, waiting for approval, rejected and revised, a draft, still to plan).

The plans in force were made some days ago: their operations are moved back so that the shop floor's
demo (step 45) has daily reports to enter and the board has progress to show."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import F, Min
from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.core.exceptions import WorkflowConflict
from gendan.engine.scheduler import Options
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

from .choices import VersionStatus
from .models import Plan, PlannedOperation, PlanVersion
from .services.adjust import plan_acknowledge_warning
from .services.build import MAX_ORDERS, plan_build
from .services.flow import plan_approve, plan_reject, plan_submit

PLANNED_DAYS_AGO = 3
# The engine's budget per build in the demo: a unit of work, the same plans on any machine.
DEMO_OPTIONS = Options(work_limit=0.3, workers=1)


def build_planning(*, users, **_earlier) -> DemoPart:
    if not Plan.objects.exists():
        _plans(users["planner"])
    return DemoPart(
        counts={
            "production plans": Plan.objects.count(),
            "plans in force": Plan.objects.filter(in_force__isnull=False).count(),
        }
    )


def _submit(planner, version: PlanVersion) -> PlanVersion:
    for index, _warning in enumerate(version.warnings):
        plan_acknowledge_warning(actor=planner, version_id=version.pk, index=index)
    return plan_submit(actor=planner, version_id=version.pk)


def _plans(planner) -> None:
    orders = list(
        Order.objects.filter(status__in=[OrderStatus.IN_PRODUCTION, OrderStatus.RELEASED])
        .select_related("merchandiser")
        .order_by("-status", "released_at", "pk")  # in production first, then by release
    )
    in_force, waiting, rejected, draft = orders[:12], orders[12:15], orders[15:16], orders[16:18]
    # orders[18:] stay "to plan" for the planner's home page.
    for batch in (in_force, waiting + rejected + draft):
        for start in range(0, len(batch), MAX_ORDERS):
            ids = [o.pk for o in batch[start : start + MAX_ORDERS]]
            if ids:
                try:
                    plan_build(actor=planner, order_ids=ids, options=DEMO_OPTIONS)
                except (ValidationError, WorkflowConflict):
                    continue  # an order whose routing cannot be placed stays "to plan"
        if batch is in_force:
            for order in in_force:
                version = _latest(order)
                if version is not None:
                    _submit(planner, version)
                    plan_approve(actor=order.merchandiser, version_id=version.pk)
            _made_days_ago(in_force)
    for order in waiting:
        version = _latest(order)
        if version is not None:
            _submit(planner, version)
    for order in rejected:
        version = _latest(order)
        if version is not None:
            _submit(planner, version)
            plan_reject(
                actor=order.merchandiser,
                version_id=version.pk,
                reason="客户要求提前一周交货，请把装配排在前面 / The customer needs it a week earlier: assemble first",
            )
            plan_build(actor=planner, order_ids=[order.pk], options=DEMO_OPTIONS)  # the revision, a draft


def _latest(order: Order) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(plan__order=order, status=VersionStatus.DRAFT).order_by("-number").first()
    )


def _made_days_ago(orders: list[Order]) -> None:
    """Move the plans in force back so that their first operations started some days ago (the demo's
    orders wait for purchased materials, so their plans start some days from today)."""
    versions = PlanVersion.objects.filter(plan__order__in=orders, plan__in_force=F("pk"))
    first = PlannedOperation.objects.filter(version__in=versions).aggregate(first=Min("start"))["first"]
    if first is None:
        return
    started = timezone.now() - dt.timedelta(days=PLANNED_DAYS_AGO)
    back = max(first - started, dt.timedelta(days=PLANNED_DAYS_AGO))
    PlannedOperation.objects.filter(version__in=versions).update(start=F("start") - back, end=F("end") - back)
    versions.update(
        planned_start=F("planned_start") - back,
        planned_finish=F("planned_finish") - back,
        submitted_at=F("submitted_at") - back,
        decided_at=F("decided_at") - back,
    )
