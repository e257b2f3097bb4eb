"""The demo's step: material issued to the orders the shop floor has started on, finished goods in
for lines whose last operation reported good units, and nothing twice when the demo runs again."""

from decimal import Decimal

import pytest

from gendan.planning.models import OrderOperation
from gendan.stores.demo import build_stores
from gendan.stores.models import FinishedGoodsIn, MaterialIssue

pytestmark = pytest.mark.django_db


def test_the_demo_issues_and_stocks_in_once(store, users):
    started = store.order(needs=(("10", 3), ("4", 5)), quantity="20")
    idle = store.order(needs=(("10", 3),))
    (w1,) = store.warehouses(1)
    for material in [*started.materials, *idle.materials]:
        store.stock(material, w1, "100")
    OrderOperation.objects.filter(pk=started.ops[0].pk).update(good_qty=Decimal(20))
    started.report_good("12")

    part = build_stores(users=users)
    assert part.counts == {"material issues": 2, "finished goods in": 1}
    assert set(MaterialIssue.objects.values_list("order", flat=True)) == {started.order.pk}
    assert FinishedGoodsIn.objects.get().quantity == Decimal(7)  # 60 % of 12: the rest waits for the keeper

    assert build_stores(users=users).counts == part.counts
