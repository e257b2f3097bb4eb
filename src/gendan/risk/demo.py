"""The delivery risk's part of the demo factory (last, step 95). The customer's sample approval on
one of the merchandiser's orders is past its due date (an open issue of high severity: at risk),
beside his orders without a plan yet and those whose material comes after it is needed (watch), so
his home shows a spread of risk whatever the day the demo is built. Then every open order is
assessed, so the home shows them by risk before the worker's first refresh."""

import datetime as dt

from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.issues.models import Issue
from gendan.issues.services import issue_open
from gendan.orders.models import Order

from .choices import RISK_STATES
from .models import OrderRisk
from .services import risk_refresh

ISSUE_TITLE = "客户样品确认逾期未回复 / The customer's sample approval is overdue"


def build_risk(*, users, **_earlier) -> DemoPart:
    merchandiser = users.get("merchandiser")
    if merchandiser is not None and not Issue.objects.filter(title=ISSUE_TITLE).exists():
        _sample_overdue(merchandiser)
    risk_refresh()
    counts = {
        f"orders at delivery risk level {level}": OrderRisk.objects.filter(level=level).count()
        for level in ("late", "at_risk", "watch", "on_track")
    }
    return DemoPart(counts=counts)


def _sample_overdue(merchandiser) -> None:
    """On his first open order with a plan in force (the first open one without)."""
    mine = Order.objects.filter(merchandiser=merchandiser, status__in=RISK_STATES).order_by("number")
    order = mine.filter(plan__in_force__isnull=False).first() or mine.first()
    if order is None:
        return
    issue_open(
        actor=merchandiser,
        kind="customer",
        severity="high",
        title=ISSUE_TITLE,
        order=order,
        owner=merchandiser,
        responsible_department=merchandiser.department,
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
