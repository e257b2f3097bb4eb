"""Trace-back (追溯, R-5.3): from the complaint's order line, the production reports (operation,
work centre, date, operator, good and scrap), the in-process and final inspections, the materials
issued to the order and the receipts they came from with their incoming inspection and supplier;
each row links to its record only for a reader who may see it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.aftersales import services
from gendan.aftersales.selectors import trace_back
from gendan.orders.models import OrderLine
from gendan.planning.models import PlanMaterial
from gendan.purchasing.models import PlanLinePeg
from gendan.purchasing.services.receiving import receipt_create
from gendan.purchasing.tests.receiving_rows import po_line
from gendan.quality.models import InspectionPlan, ProcessInspection
from gendan.quality.services import inspection_start
from gendan.shopfloor.services import report_create
from gendan.stores.services import material_issue
from gendan.stores.tests.conftest import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def traced(make, users):
    store = StoreFactory(make, users)
    o = store.order(needs=(("100", 5),))
    (steel,) = o.materials
    (w1,) = store.warehouses(1)
    store.stock(steel, w1, "60")
    material_issue(actor=users["warehouse"], order=o.order, lines=[(steel, w1, "30")])
    from gendan.shopfloor.tests.factories import ShopFactory

    reason = ShopFactory(make, users).reason()
    report_create(
        actor=users["production"],
        operation_id=o.ops[0].pk,
        good_qty="40",
        scrap_qty="2",
        scrap_reason_id=reason.pk,
    )
    plan = InspectionPlan.objects.create(product=o.line.product, name="成品终检")
    final = ProcessInspection.objects.create(
        kind="final",
        status="passed",
        order=o.order,
        order_line=o.line,
        plan=plan,
        lot_quantity=40,
        sample_size=5,
        inspector=users["quality"],
    )
    supplier = make.supplier(name="宁波钢材厂")
    line = po_line(make, actor=users["purchasing"], material=steel, supplier=supplier, quantity="100")
    PlanLinePeg.objects.create(line=line.plan_line, order=o.order, quantity=Decimal(100))
    receipt = receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(100))
    incoming = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    other = po_line(make, actor=users["purchasing"], material=steel, quantity="10")  # serves no order of ours
    receipt_create(actor=users["warehouse"], line=other, quantity=Decimal(10))
    complaint = services.complaint_create(
        actor=users["merchandiser"],
        order=o.order,
        order_line=o.line,
        quantity=5,
        description="尺寸超差",
        channel="phone",
        received_on=o.order.received_on,
    )
    return {
        "complaint": complaint,
        "receipt": receipt,
        "incoming": incoming,
        "final": final,
        "supplier": supplier,
        "steel": steel,
        "o": o,
    }


def test_the_trace_shows_reports_inspections_materials_and_suppliers(traced, users):
    trace = trace_back(user=users["quality"], complaint=traced["complaint"])
    (report,) = trace.reports
    texts = [text for text, _url in report.cells]
    assert texts[0].endswith(traced["o"].ops[0].name)
    assert texts[3:] == ["Production User", "40", "2"]
    (inspection,) = trace.inspections
    assert inspection.cells[0][1] == reverse("quality:process_detail", args=[traced["final"].pk])
    (material,) = trace.materials
    assert material.cells[0][0] == str(traced["steel"]) and material.cells[2][0] == "30"
    (receipt,) = trace.receipts  # the receipt of a PO serving another order is not ours
    number, _m, _lot, _day, incoming, supplier = receipt.cells
    assert number == (
        traced["receipt"].number,
        reverse("receiving:receipt_detail", args=[traced["receipt"].pk]),
    )
    assert incoming[1] == reverse("quality:inspection_detail", args=[traced["incoming"].pk])
    assert supplier[0] == str(traced["supplier"])


def test_the_merchandiser_sees_the_trace_on_the_page(traced, client_merchandiser):
    page = client_merchandiser.get(
        reverse("aftersales:complaint_detail", args=[traced["complaint"].pk])
    ).content.decode()
    assert "追溯" in page
    assert traced["receipt"].number in page and "宁波钢材厂" in page
    assert reverse("quality:process_detail", args=[traced["final"].pk]) in page


def test_rows_link_only_to_what_the_reader_may_see(traced, users, monkeypatch):
    """Management reads complaints but not production reports' pages of every kind it lacks: a
    record kind the role may not view is listed without a link."""
    from gendan.accounts import roles

    table = dict(roles.ROLE_PERMISSIONS)
    table["management"] = table["management"] - {"quality.view_processinspection", "purchasing.view_receipt"}
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", table)
    trace = trace_back(user=users["management"], complaint=traced["complaint"])
    assert trace.inspections[0].cells[0][1] == ""
    assert trace.receipts[0].cells[0][1] == ""
    assert trace.receipts[0].cells[4][1] != ""  # incoming inspections it may still read


def test_the_trace_lists_the_materials_the_complained_line_needs_not_the_orders_others(make, users):
    store = StoreFactory(make, users)
    o = store.order(needs=(("100", 5), ("50", 5)))
    steel, paint = o.materials
    other_line = OrderLine.objects.create(order=o.order, line_no=2, product=make.product(), quantity=10)
    PlanMaterial.objects.filter(material=paint).update(order_line=other_line)  # the other product's
    (w1,) = store.warehouses(1)
    for material in (steel, paint):
        store.stock(material, w1, "60")
    material_issue(actor=users["warehouse"], order=o.order, lines=[(steel, w1, "30"), (paint, w1, "20")])
    complaint = services.complaint_create(
        actor=users["merchandiser"],
        order=o.order,
        order_line=o.line,
        quantity=5,
        description="尺寸超差",
        channel="phone",
        received_on=o.order.received_on,
    )
    trace = trace_back(user=users["quality"], complaint=complaint)
    assert [m.cells[0][0] for m in trace.materials] == [str(steel)]
