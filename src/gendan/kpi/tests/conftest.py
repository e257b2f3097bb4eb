"""Records with the moments a KPI test needs, written straight to the database (the services stamp
"now"; the KPIs judge moments in the past)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from gendan.issues.models import Issue
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Acknowledgement, Order
from gendan.planning.choices import VersionStatus
from gendan.planning.models import Plan, PlanVersion

TZ = timezone.get_fixed_timezone(8 * 60)  # Asia/Shanghai, the settings' zone


def at(day: str, hour: float = 9) -> dt.datetime:
    """A local moment: at("2025-03-03", 9.5) is 09:30 that day."""
    base = dt.datetime.fromisoformat(day).replace(tzinfo=timezone.get_current_timezone())
    return base + dt.timedelta(hours=hour)


class Records:
    def __init__(self, make, departments):
        self.make, self.departments = make, departments
        self._n = itertools.count(1)
        self.customer = None

    def order(self, merchandiser, *, received: str, entered=None, reviewed=None, released=None, status=None):
        self.customer = self.customer or self.make.customer()
        n = next(self._n)
        status = status or (
            OrderStatus.RELEASED if released else OrderStatus.REVIEWED if reviewed else OrderStatus.IN_REVIEW
        )
        order = Order.objects.create(
            number=f"SO-K{n:04}",
            customer=self.customer,
            merchandiser=merchandiser,
            received_on=dt.date.fromisoformat(received),
            status=status,
            reviewed_at=reviewed,
            released_at=released,
        )
        Order.objects.filter(pk=order.pk).update(created_at=entered or at(received, 9))
        order.refresh_from_db()
        return order

    def ack(self, order, *, sent, done=None, kind="production"):
        return Acknowledgement.objects.create(
            order=order, department=self.departments[kind], requested_at=sent, acknowledged_at=done
        )

    def plan_version(self, order, *, submitted, decided=None, status=None):
        plan, _ = Plan.objects.get_or_create(order=order)
        number = plan.versions.count() + 1
        status = status or (VersionStatus.APPROVED if decided else VersionStatus.SUBMITTED)
        return PlanVersion.objects.create(
            plan=plan, number=number, status=status, submitted_at=submitted, decided_at=decided
        )

    def issue(self, order, *, opened, due=None, closed=None):
        n = next(self._n)
        return Issue.objects.create(
            number=f"YC-K{n:04}",
            kind="quality",
            title=f"异常 {n}",
            order=order,
            responsible_department=self.departments["production"],
            opened_at=opened,
            due_date=dt.date.fromisoformat(due) if due else None,
            closed_at=closed,
            status="closed" if closed else "open",
        )


@pytest.fixture
def rec(make, departments):
    return Records(make, departments)


@pytest.fixture
def merch(users):
    return users["merchandiser"]


@pytest.fixture
def merch2(make, departments):
    return make.user(
        role="merchandiser", username="merch2", display_name="陈军", department=departments["merchandising"]
    )
