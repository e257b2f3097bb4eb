"""The demo's delivery tracking (step 63): the late purchase order of step 62 with a line late past
the escalation threshold, one a day late, one not confirmed and due soon (its date changed with the
reason), one confirmed in time; chased and escalated; building again adds nothing."""

import datetime as dt

from django.utils import timezone

from gendan.notifications.models import Notification
from gendan.purchasing.choices import LineChangeKind, POStatus
from gendan.purchasing.demo_tracking import build_tracking, late_order
from gendan.purchasing.models import POLineChange, POLineConfirmation, PurchaseOrderLine


def check_the_late_order_is_chased_and_its_worst_line_escalated(demo):
    po = late_order()
    assert po.status == POStatus.SENT  # one line is not confirmed yet
    today = timezone.localdate()
    worst, yesterday, soon, in_time = po.lines.order_by("position")[:4]
    assert worst.expected_date == today - dt.timedelta(days=5) and worst.escalated_at is not None
    assert yesterday.expected_date == today - dt.timedelta(days=1)
    assert yesterday.chased_at is not None and yesterday.escalated_at is None
    assert soon.expected_date is None and soon.delivery_date == today + dt.timedelta(days=3)
    assert soon.chased_at is not None
    assert POLineChange.objects.filter(line=soon, kind=LineChangeKind.DATE).exclude(reason="").exists()
    assert in_time.expected_date <= in_time.delivery_date and in_time.chased_at is None
    # The lines are made by the PO step from the plan, not written by this step.
    assert not PurchaseOrderLine.objects.filter(order=po, plan_line__isnull=True).exists()


def check_building_again_adds_nothing_and_tells_nobody_again(demo):
    from gendan.accounts.models import User

    before = (
        POLineConfirmation.objects.count(),
        POLineChange.objects.count(),
        Notification.objects.count(),
        list(PurchaseOrderLine.objects.order_by("pk").values_list("pk", "chased_at", "escalated_at")),
    )
    build_tracking(users={"purchaser": User.objects.get(username="purchaser")})
    after = (
        POLineConfirmation.objects.count(),
        POLineChange.objects.count(),
        Notification.objects.count(),
        list(PurchaseOrderLine.objects.order_by("pk").values_list("pk", "chased_at", "escalated_at")),
    )
    assert after == before
