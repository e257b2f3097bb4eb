"""The KPIs' part of the demo factory (late: after the orders, plans and issues). The demo orders
were all reviewed, released and acknowledged a moment ago, which would give every merchandiser a
review that took as long as the order's age and a release in no time. This part sets their
moments the way a quarter of real work would have them: each order entered on its day of receipt,
reviewed a few hours to two days later, released, acknowledged and its plan decided within hours,
a few of each late. Moments follow from each record's id (building again gives the same) and stay
before now; the records without a review, and the acknowledgements still missing (the escalation
demo's), are left as they were. It adds no record, so no other area's counts change."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.orders.models import Acknowledgement, Order
from gendan.planning.models import PlanVersion

REVIEW_HOURS = [2, 4, 6, 9, 15, 20, 22, 30, 40]  # the 24 h target: two of nine late
RELEASE_HOURS = [1, 2, 3, 5, 8, 12, 20, 28]
ACK_HOURS = [1, 2, 4, 6, 10, 18, 30]
PLAN_HOURS = [3, 6, 12, 20, 30, 44, 60]


def _h(rng: random.Random, choices: list[int]) -> dt.timedelta:
    return dt.timedelta(hours=rng.choice(choices), minutes=rng.randint(0, 59))


def _order_moments(order: Order, now: dt.datetime) -> dict:
    """The order's entry, review and release, or {} where they would reach past now."""
    rng = random.Random(f"kpi-order-{order.pk}")
    tz = timezone.get_current_timezone()
    entered = dt.datetime.combine(order.received_on, dt.time(8, 30), tzinfo=tz) + dt.timedelta(
        minutes=rng.randint(0, 300)
    )
    reviewed = entered + _h(rng, REVIEW_HOURS)
    released = reviewed + _h(rng, RELEASE_HOURS) if order.released_at else None
    if (released or reviewed) >= now:
        return {}
    moments = {"created_at": entered, "reviewed_at": reviewed}
    if released:
        moments["released_at"] = released
    return moments


def build_kpi(*, users, **_earlier) -> DemoPart:
    now = timezone.now()
    today = timezone.localdate()
    people = [users[name] for name in ("merchandiser", "merchandiser2") if name in users]
    orders = Order.objects.filter(merchandiser__in=people, reviewed_at__isnull=False, received_on__lt=today)
    moved = 0
    for order in orders:
        moments = _order_moments(order, now)
        if not moments:
            continue
        Order.objects.filter(pk=order.pk).update(**moments)
        moved += 1
        released = moments.get("released_at")
        if released is None:
            continue
        for ack in Acknowledgement.objects.filter(order=order, acknowledged_at__isnull=False):
            done = released + _h(random.Random(f"kpi-ack-{ack.pk}"), ACK_HOURS)
            if done < now:
                Acknowledgement.objects.filter(pk=ack.pk).update(requested_at=released, acknowledged_at=done)
        for version in PlanVersion.objects.filter(plan__order=order, submitted_at__isnull=False):
            rng = random.Random(f"kpi-plan-{version.pk}")
            submitted = released + dt.timedelta(hours=rng.randint(2, 20))
            decided = submitted + _h(rng, PLAN_HOURS) if version.decided_at else None
            if (decided or submitted) < now:
                PlanVersion.objects.filter(pk=version.pk).update(submitted_at=submitted, decided_at=decided)
    return DemoPart(counts={"orders with KPI moments": moved})
