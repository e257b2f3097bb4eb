"""Two keepers at once (file database, real threads): the last units of a material go to one
issue only, and one line's finished goods are not stocked in twice."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.planning.models import PlanMaterial
from gendan.stores.models import FinishedGoodsIn, IssuedTotal, MaterialIssue
from gendan.stores.services import finished_goods_in, material_issue
from gendan.testing import race

from .conftest import on_hand

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_keepers_issuing_the_last_units_at_once_cannot_both_succeed(store, users, make):
    first = store.order(needs=(("10", 3),))
    second = store.order(needs=(("10", 3),))
    steel = make.material()
    PlanMaterial.objects.filter(material__in=[first.materials[0], second.materials[0]]).update(material=steel)
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "10")
    orders = [first.order, second.order]

    results = race(
        2, lambda i: material_issue(actor=users["warehouse"], order=orders[i], lines=[(steel, w1, "10")])
    )

    assert sum(isinstance(r, list) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert on_hand(steel, w1) == Decimal(0)
    assert MaterialIssue.objects.count() == 1
    assert list(IssuedTotal.objects.values_list("quantity", flat=True)) == [
        Decimal(10)
    ]  # the loser left nothing


def test_two_keepers_stocking_in_the_same_good_units_at_once_only_one_counts(store, users):
    o = store.order(quantity="50")
    (w1,) = store.warehouses(1)
    o.report_good("30")

    results = race(
        2,
        lambda i: finished_goods_in(
            actor=users["warehouse"], order_line=o.line.pk, warehouse=w1, quantity="30"
        ),
    )

    assert sum(isinstance(r, FinishedGoodsIn) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert FinishedGoodsIn.objects.count() == 1


def test_two_keepers_issuing_what_the_order_still_needs_from_two_warehouses_issue_it_once(store, users):
    o = store.order(needs=(("10", 3),))
    steel = o.materials[0]
    w1, w2 = store.warehouses(2)
    store.stock(steel, w1, "10")
    store.stock(steel, w2, "10")
    warehouses = [w1, w2]

    results = race(
        2,
        lambda i: material_issue(
            actor=users["warehouse"], order=o.order, lines=[(steel, warehouses[i], "10")]
        ),
    )

    assert sum(isinstance(r, list) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert on_hand(steel, w1) + on_hand(steel, w2) == Decimal(10)
    assert IssuedTotal.objects.get(order=o.order, material=steel).quantity == Decimal(10)
