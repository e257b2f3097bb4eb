"""The picking list and the orders waiting for material read in a fixed number of queries, however
many materials, warehouses and orders there are."""

import pytest

from gendan.stores.selectors import orders_to_pick, picking_list, waiting_to_stock_in

pytestmark = pytest.mark.django_db


def test_the_picking_list_does_not_grow_with_its_materials(store, keeper, django_assert_num_queries):
    small = store.order(needs=(("10", 3),))
    big = store.order(needs=tuple((str(10 + i), i) for i in range(12)))
    w1, w2 = store.warehouses(2)
    for material in [*small.materials, *big.materials]:
        store.stock(material, w1, "5")
        store.stock(material, w2, "5")
    with django_assert_num_queries(6):
        assert len(picking_list(user=keeper, order=small.order).rows) == 1
    with django_assert_num_queries(6):
        assert len(picking_list(user=keeper, order=big.order).rows) == 12


def test_the_orders_to_pick_do_not_grow_with_the_orders(store, keeper, django_assert_num_queries):
    store.order()
    with django_assert_num_queries(3):
        assert len(orders_to_pick(user=keeper)) == 1
    for _ in range(4):
        store.order()
    with django_assert_num_queries(3):
        assert len(orders_to_pick(user=keeper)) == 5
    with django_assert_num_queries(1):
        list(waiting_to_stock_in(user=keeper))
