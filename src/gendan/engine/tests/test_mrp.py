"""Material requirements (R-3.1): netting against stock, safety stock and what is on order, lead-time
offset, minimum order quantity and multiple, multi-level BOMs with scrap, and pegging to the demands
through every level."""

import datetime as dt
from decimal import Decimal as D

import pytest

from gendan.engine.mrp import BomCycle, BomLine, Demand, Item, Receipt, levels, run_mrp

TODAY = dt.date(2026, 12, 1)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def items(*rows: Item) -> dict:
    return {i.id: i for i in rows}


def test_a_bought_material_is_netted_against_stock_and_ordered_its_lead_time_ahead():
    result = run_mrp(
        items(Item("STEEL", lead_time_days=5, on_hand=D(30))),
        {},
        [Demand("STEEL", D(100), day(10), "line:1")],
        today=TODAY,
    )
    (req,) = result.requirements
    assert (req.quantity, req.from_stock, req.from_planned, req.net) == (D(100), D(30), D(70), D(70))
    (order,) = result.planned
    assert (order.quantity, order.need_date, order.order_by, order.late) == (D(70), day(10), day(5), False)
    assert order.pegs == [("line:1", D(70))]


def test_safety_stock_is_kept_back_and_replenished():
    below = run_mrp(
        items(Item("SEAL", on_hand=D(5), safety_stock=D(20))),
        {},
        [Demand("SEAL", D(10), day(3), "a")],
        today=TODAY,
    )
    # 15 to bring it back to its safety level (today, for nobody), then the 10 the demand needs.
    assert [(p.need_date, p.quantity, p.pegs) for p in below.planned] == [
        (TODAY, D(15), [(None, D(15))]),
        (day(3), D(10), [("a", D(10))]),
    ]
    above = run_mrp(
        items(Item("SEAL", on_hand=D(30), safety_stock=D(20))),
        {},
        [Demand("SEAL", D(25), day(3), "a")],
        today=TODAY,
    )
    assert [(p.quantity, p.pegs) for p in above.planned] == [(D(15), [("a", D(15))])]


def test_what_is_on_order_covers_needs_from_its_promised_date_only():
    result = run_mrp(
        items(Item("M", lead_time_days=2)),
        {},
        [Demand("M", D(40), day(5), "early"), Demand("M", D(40), day(15), "later")],
        [Receipt("M", D(50), day(10), "PO-1/1")],
        today=TODAY,
    )
    early, later = result.requirements
    assert early.from_receipts == [] and early.from_planned == D(40)  # the PO comes too late for it
    assert later.from_receipts == [("PO-1/1", D(40))] and later.from_planned == 0
    assert [(p.need_date, p.quantity) for p in result.planned] == [(day(5), D(40))]


def test_minimum_order_quantity_and_multiple_and_the_surplus_serves_later_needs():
    result = run_mrp(
        items(Item("BOX", min_order=D(100), multiple=D(25))),
        {},
        [
            Demand("BOX", D(70), day(3), "a"),
            Demand("BOX", D(20), day(4), "b"),
            Demand("BOX", D(30), day(5), "c"),
        ],
        today=TODAY,
    )
    first, second = result.planned
    assert (first.quantity, first.net, first.pegs) == (D(100), D(70), [("a", D(70)), (None, D(30))])
    # 30 left from the first order: b's 20, then 10 of c's 30; c's other 20 raise an order of 100.
    assert result.requirements[1].from_planned == D(20) and not any(
        p.need_date == day(4) for p in result.planned
    )
    assert (second.need_date, second.net, second.quantity) == (day(5), D(20), D(100))
    assert run_mrp(
        items(Item("BOX", multiple=D(25))), {}, [Demand("BOX", D(110), day(3), "a")], today=TODAY
    ).planned[0].quantity == D(125)


def pump_factory(**pump):
    """A pump made of two shafts (a sub-assembly, 10 % scrap) and a seal; a shaft of 1.5 kg of steel."""
    catalogue = items(
        Item("PUMP", lead_time_days=2, made=True, **pump),
        Item("SHAFT", lead_time_days=1, made=True),
        Item("STEEL", lead_time_days=10),
        Item("SEAL", lead_time_days=3, on_hand=D(1000)),
    )
    bom = {
        "PUMP": [BomLine("PUMP", "SHAFT", D(2), D(10)), BomLine("PUMP", "SEAL", D(1))],
        "SHAFT": [BomLine("SHAFT", "STEEL", D("1.5"))],
    }
    return catalogue, bom


def test_a_made_product_needs_its_components_when_its_production_starts_scrap_included():
    catalogue, bom = pump_factory(on_hand=D(10))
    result = run_mrp(catalogue, bom, [Demand("PUMP", D(100), day(20), "line:7")], today=TODAY)
    by_item = {p.item: p for p in result.planned}
    assert (by_item["PUMP"].quantity, by_item["PUMP"].order_by) == (D(90), day(18))
    assert (by_item["SHAFT"].quantity, by_item["SHAFT"].need_date, by_item["SHAFT"].order_by) == (
        D(198),
        day(18),
        day(17),
    )
    assert (by_item["STEEL"].quantity, by_item["STEEL"].need_date, by_item["STEEL"].order_by) == (
        D(297),
        day(17),
        day(7),
    )
    assert "SEAL" not in by_item  # in stock
    # Pegged through every level: the order line's materials.
    assert {(r.item, q) for r, q in result.requirements_for("line:7")} == {
        ("PUMP", D(100)),
        ("SHAFT", D(198)),
        ("SEAL", D(90)),
        ("STEEL", D(297)),
    }


def test_two_orders_on_one_date_share_the_stock_first_come_first_served():
    result = run_mrp(
        items(Item("M", on_hand=D(50))),
        {},
        [Demand("M", D(40), day(5), "first"), Demand("M", D(40), day(5), "second")],
        today=TODAY,
    )
    (order,) = result.planned
    assert order.pegs == [("second", D(30))]  # the first is served from stock, the second in part
    assert [q for _p, q in result.planned_for("second")] == [D(30)] and result.planned_for("first") == []


def test_an_item_on_two_levels_is_netted_once_with_all_its_demand():
    # Steel goes into the shaft and straight into the pump too.
    catalogue, bom = pump_factory()
    bom["PUMP"].append(BomLine("PUMP", "STEEL", D(1)))
    assert levels(catalogue, bom)["STEEL"] == 2
    result = run_mrp(
        {**catalogue, "STEEL": Item("STEEL", lead_time_days=10, on_hand=D(100))},
        bom,
        [Demand("PUMP", D(10), day(20), "x")],
        today=TODAY,
    )
    steel = [r for r in result.requirements if r.item == "STEEL"]
    # 10 for the pump on day 18, 33 for the shafts on day 17: the earlier need takes the stock first.
    assert [(r.date, r.quantity, r.from_stock) for r in steel] == [
        (day(17), D(33), D(33)),
        (day(18), D(10), D(10)),
    ]
    assert not any(p.item == "STEEL" for p in result.planned)


def test_an_order_by_date_already_past_is_flagged_late():
    result = run_mrp(items(Item("M", lead_time_days=10)), {}, [Demand("M", D(1), day(3), "a")], today=TODAY)
    assert result.planned[0].order_by == day(-7) and result.planned[0].late


def test_a_bom_cycle_is_named():
    catalogue = items(Item("A", made=True), Item("B", made=True))
    bom = {"A": [BomLine("A", "B", D(1))], "B": [BomLine("B", "A", D(1))]}
    with pytest.raises(BomCycle, match="A -> B -> A"):
        run_mrp(catalogue, bom, [Demand("A", D(1), day(1), "a")], today=TODAY)


def test_every_requirement_is_covered_and_every_planned_unit_pegged():
    catalogue, bom = pump_factory(on_hand=D(3), min_order=D(50))
    demands = [Demand("PUMP", D(n * 7), day(10 + n), f"line:{n}") for n in range(1, 9)]
    result = run_mrp(catalogue, bom, demands, [Receipt("STEEL", D(120), day(12), "PO")], today=TODAY)
    for req in result.requirements:
        covered = req.from_stock + sum((q for _r, q in req.from_receipts), D(0)) + req.from_planned
        assert covered == req.quantity, req
        assert sum((q for _p, q in req.pegs), D(0)) == req.quantity
    for order in result.planned:
        assert sum((q for _p, q in order.pegs), D(0)) == order.quantity >= order.net
