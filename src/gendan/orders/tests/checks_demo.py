"""The demo orders: about 60 orders in every status, built through the real services, with the
situations a merchandiser meets (open findings, clarifications, missing acknowledgements, change
requests in every state); building again adds nothing."""

from django.db.models import Count

from gendan.orders.choices import RELEASED_STATES, ChangeStatus, OrderStatus
from gendan.orders.models import (
    OPEN_FINDING,
    Acknowledgement,
    ChangeRequest,
    Clarification,
    Finding,
    Order,
    OrderAttachment,
    OrderVersion,
)


def check_demo_orders_cover_every_status_and_situation(demo):
    # A second build changes nothing: masterdata/tests/test_demo.py runs it on the whole demo.

    assert 55 <= Order.objects.count() <= 65
    statuses = dict(Order.objects.values_list("status").annotate(n=Count("id")))
    # The order the delivery demo delivers in full is closed unless something of it is still open
    # (the demo's complaints may be on it): delivered or closed, one of the two.
    end = {OrderStatus.DELIVERED, OrderStatus.CLOSED}
    assert set(statuses) | end == set(OrderStatus.values) and set(statuses) & end, statuses
    assert (
        Order.objects.filter(status__in=[OrderStatus.IN_REVIEW, OrderStatus.AWAITING_CLARIFICATION])
        .filter(findings__in=Finding.objects.filter(OPEN_FINDING))
        .exists()
    )
    assert Clarification.objects.filter(answered_at__isnull=True).exists()
    assert Clarification.objects.filter(answered_at__isnull=False).exists()
    assert (
        not Order.objects.filter(status=OrderStatus.AWAITING_CLARIFICATION)
        .exclude(clarifications__answered_at__isnull=True)
        .exists()
    )
    missing = Acknowledgement.objects.filter(acknowledged_at__isnull=True, order__status__in=RELEASED_STATES)
    assert missing.exists() and Acknowledgement.objects.filter(acknowledged_at__isnull=False).exists()
    assert missing.filter(chase_count__gt=0).exists() or missing.filter(escalated_at__isnull=False).exists()
    assert {s for s in ChangeRequest.objects.values_list("status", flat=True)} == set(ChangeStatus.values)
    assert OrderVersion.objects.filter(number__gt=1).exists()
    # Every released order has its order copy and version 1; no order is released without review.
    for order in Order.objects.filter(released_at__isnull=False):
        assert order.reviewed_at is not None
        assert OrderVersion.objects.filter(order=order, number=1).exists()
        assert OrderAttachment.objects.filter(order=order, kind="order_copy").exists()
    # Every demo order has a merchandiser who sees it.
    assert not Order.objects.filter(merchandiser__isnull=True).exists()
