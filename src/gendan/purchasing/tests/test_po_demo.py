"""The demo's purchase orders (step 62): one in every state a purchaser meets, made through the
services; building again adds nothing."""

import pytest
from django.db.models import Count

from gendan.purchasing.choices import LineChangeKind, POStatus
from gendan.purchasing.demo_po import build_purchase_orders
from gendan.purchasing.models import POLineChange, POLineConfirmation, PurchaseOrder
from gendan.purchasing.selectors_po import open_line_list

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_purchase_orders_in_every_state(demo_factory):
    statuses = dict(PurchaseOrder.objects.values_list("status").annotate(n=Count("id")))
    assert {POStatus.DRAFT, POStatus.SENT, POStatus.CONFIRMED, POStatus.CANCELLED} <= set(statuses), statuses
    partly = POLineConfirmation.objects.filter(line__order__status=POStatus.SENT)
    assert partly.exists()  # a sent order partly confirmed
    assert POLineChange.objects.filter(kind=LineChangeKind.DATE).exclude(reason="").exists()
    from gendan.accounts.models import User

    purchaser = User.objects.get(username="purchaser")
    assert any(line.is_late for line in open_line_list(user=purchaser))
    count = PurchaseOrder.objects.count()
    build_purchase_orders(users={"purchaser": purchaser})
    assert PurchaseOrder.objects.count() == count
