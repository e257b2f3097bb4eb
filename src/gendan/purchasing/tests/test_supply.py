"""What is on order (R-3.1, R-3.5): one reader, purchasing/supply.py, gives the requirements and the
kit check the same numbers: open PO lines with what is still to come on their expected date (else
their delivery date), goods still in inspection on the day they came; nothing else."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.planning.services.build import plan_build
from gendan.planning.tests.helpers import put_in_force
from gendan.purchasing.models import MaterialRequirement, PurchaseOrderLine
from gendan.purchasing.services import requirements_fingerprint
from gendan.purchasing.supply import on_order, on_order_by_material

from .po_rows import days, po_line, receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def steel(product):
    return (
        product.bom_lines.get(component_product__isnull=False)
        .component_product.bom_lines.get()
        .component_material
    )


def test_an_open_line_brings_what_is_still_to_come_on_its_expected_date(make, users, steel):
    buyer = users["purchasing"]
    confirmed = po_line(
        make=make, actor=buyer, material=steel, quantity=100, delivery=days(10), expected=days(12)
    )
    unconfirmed = po_line(make=make, actor=buyer, material=steel, quantity=40, delivery=days(5))
    receipt(make=make, line=confirmed, quantity=30)  # 30 came and wait in inspection
    arrivals = on_order([steel.pk])
    assert [(a.ref, a.quantity, a.date) for a in arrivals] == [
        (f"receipt:{arrivals[0].receipt_id}", 30, timezone.localdate()),
        (f"po_line:{unconfirmed.pk}", 40, days(5)),
        (f"po_line:{confirmed.pk}", 70, days(12)),
    ]
    assert on_order_by_material([steel.pk]) == {
        steel.pk: [(timezone.localdate(), 30), (days(5), 40), (days(12), 70)]
    }


def test_received_cancelled_and_closed_lines_and_inspected_goods_are_not_on_order(make, users, steel):
    buyer = users["purchasing"]
    for status, po_status in [
        ("received", "sent"),
        ("cancelled", "sent"),
        ("open", "closed"),
        ("open", "cancelled"),
    ]:
        po_line(
            make=make,
            actor=buyer,
            material=steel,
            quantity=5,
            delivery=days(3),
            status=status,
            po_status=po_status,
        )
    inspected = po_line(make=make, actor=buyer, material=steel, quantity=10, delivery=days(3))
    receipt(make=make, line=inspected, quantity=10, status="accepted", accepted=10)
    PurchaseOrderLine.objects.filter(pk=inspected.pk).update(status="received")
    assert on_order([steel.pk]) == []


def test_a_draft_purchase_order_counts_so_its_purchase_is_not_proposed_twice(make, users, steel):
    po_line(
        make=make, actor=users["purchasing"], material=steel, quantity=5, delivery=days(3), po_status="draft"
    )
    assert [a.quantity for a in on_order([steel.pk])] == [5]


def test_the_requirements_net_against_po_lines_by_date(released, planner, make, users, compute, steel):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    put_in_force(version)
    need = version.materials.get(material=steel)
    buyer = users["purchasing"]
    in_time = po_line(
        make=make, actor=buyer, material=steel, quantity=100, delivery=need.need_date - dt.timedelta(days=2)
    )
    po_line(
        make=make, actor=buyer, material=steel, quantity=500, delivery=need.need_date + dt.timedelta(days=1)
    )
    run = compute(planner)
    first = MaterialRequirement.objects.get(run=run, material=steel, need_date=need.need_date)
    # The line due before the need covers 100 of the 165; the one due the day after covers nothing.
    assert (first.gross, first.on_order, first.net) == (need.quantity, 100, need.quantity - 100)
    assert first.to_buy == need.quantity - 100
    PurchaseOrderLine.objects.filter(pk=in_time.pk).update(
        expected_date=need.need_date + dt.timedelta(days=3)
    )
    again = MaterialRequirement.objects.get(run=compute(planner), material=steel, need_date=need.need_date)
    assert (again.on_order, again.net) == (0, need.quantity)


def test_the_requirements_are_computed_again_when_a_po_line_changes(make, users, steel):
    before = requirements_fingerprint()
    line = po_line(make=make, actor=users["purchasing"], material=steel, quantity=10, delivery=days(9))
    created = requirements_fingerprint()
    assert created != before
    PurchaseOrderLine.objects.filter(pk=line.pk).update(expected_date=days(11))
    moved = requirements_fingerprint()
    assert moved != created
    receipt(make=make, line=line, quantity=Decimal(4))
    assert requirements_fingerprint() != moved


def test_the_planners_kit_check_counts_what_is_on_order_by_its_date(released, planner, make, users, steel):
    buyer = users["purchasing"]
    (draft,) = plan_build(actor=planner, order_ids=[released.pk])
    need = draft.materials.get(material=steel)
    po_line(make=make, actor=buyer, material=steel, quantity=100, delivery=need.need_date)
    po_line(
        make=make, actor=buyer, material=steel, quantity=100, delivery=need.need_date + dt.timedelta(days=6)
    )
    (again,) = plan_build(actor=planner, order_ids=[released.pk])
    row = again.materials.get(material=steel)
    # 100 arrive on the day (enough for 100 of the 165); the rest comes with the later line.
    assert (row.on_order, row.shortage, row.covered_on) == (200, 65, need.need_date + dt.timedelta(days=6))
    shortage = next(w for w in again.warnings if w["kind"] == "shortage")
    assert any(item["shortage"] == "65" for item in shortage["params"]["items"])
