"""Materials and purchasing in a browser, in Chinese, as a new user walks them: purchasing computes
the requirements and reads which orders they serve, drafts a purchase plan, changes a line's quantity
in place and submits it; the merchandiser rejects one line with a reason and approves the rest; the
purchaser orders the approved lines, prints the PO, sends it and records the supplier's date, and the
order's materials turn from short to covered; the warehouse receives part of it, the inspector
rejects the lot on its GB/T 2828.1 sample, the supplier case asks for a replacement, which is
received, inspected, accepted and stocked in; the supplier's scorecard shows both lots."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.orders.tests.conftest import Orders, clean_line

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/e2e-buy-{}.png"


@pytest.fixture
def shop(people, make, settings):
    """Machining and assembly, a pump with a machined shaft, steel and seals bought from one supplier
    and not in stock, and a released order for 250 pumps whose plan is in force."""
    from gendan.planning.services.build import plan_build
    from gendan.planning.tests.helpers import put_in_force
    from gendan.quality.models import DefectCode

    settings.GENDAN_PLAN_WORK_LIMIT = 1
    cnc = make.work_centre(code="CNC", name="数控车间", machines=1, headcount=2)
    asm = make.work_centre(code="ASM", name="装配线", machines=2, headcount=3)
    for wc in (cnc, asm):
        make.shift(work_centre=wc, break_minutes=0, weekdays="1,2,3,4,5,6,7")
    pump = make.product(code="PUMP", name="水泵", unit="台")
    shaft = make.product(code="SHAFT", name="泵轴")
    seal = make.material(code="SEAL", name="密封圈", lead_time_days=3)
    steel = make.material(code="STEEL", name="圆钢", lead_time_days=10)
    make.bom_line(parent=pump, product=shaft, quantity=Decimal(1))
    make.bom_line(parent=pump, material=seal, quantity=Decimal(1))
    make.bom_line(parent=shaft, material=steel, quantity=Decimal(1))
    make.operation(product=shaft, sequence=10, name="车削", work_centre=cnc, run_minutes=Decimal(1))
    make.operation(product=pump, sequence=10, name="装配", work_centre=asm, run_minutes=Decimal(1))
    supplier = make.supplier(code="HX", name="华鑫五金")
    make.supplier_material(supplier=supplier, material=seal, unit_price=Decimal("2"), lead_time_days=3)
    make.supplier_material(supplier=supplier, material=steel, unit_price=Decimal("12"), lead_time_days=10)
    make.warehouse(code="RAW", name="原料仓")
    DefectCode.objects.create(code="DIM", name="尺寸超差", name_en="Dimension out of tolerance")
    customer = make.customer(name="华南电子", merchandiser=people["merchandiser"])
    make.address(customer=customer, is_default=True)
    orders = Orders(make, {**people, "management": people["manager"]}, customer, pump)
    due = timezone.localdate() + dt.timedelta(days=40)
    order = orders.released(lines=[clean_line(pump, quantity=Decimal(250), delivery_date=due)])
    (version,) = plan_build(actor=people["planner"], order_ids=[order.pk])
    put_in_force(version)
    return {"order": order, "version": version, "supplier": supplier, "seal": seal, "steel": steel}


def _accept_dialogs(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def _post(page, selector: str) -> None:
    """Click a button that posts a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def _shot(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name), full_page=True)


def test_buy_the_short_materials_of_an_order_reject_a_lot_and_receive_its_replacement(
    shop, people, new_page, login, e2e_server
):
    from gendan.engine import sampling
    from gendan.inventory.models import StockLevel
    from gendan.purchasing.models import (
        MaterialRequirement,
        PurchaseOrder,
        PurchasePlan,
        Receipt,
        SupplierCase,
    )
    from gendan.quality.models import Inspection

    order, supplier = shop["order"], shop["supplier"]
    server = e2e_server

    # Before anything is bought, the order's materials and its plan's kit check say both are short.
    buyer = new_page()
    _accept_dialogs(buyer)
    login(buyer, "purchaser")
    buyer.goto(f"{server}/purchasing/orders/{order.pk}/materials/")
    assert buyer.locator("[data-short]").get_attribute("data-short") == "2"
    assert "2 种物料缺料" in buyer.locator("[data-short]").inner_text()
    assert buyer.locator("#order-materials tr[data-material=STEEL].row-danger").count() == 1
    _shot(buyer, "materials-short")
    planner = new_page()
    login(planner, "planner")
    planner.goto(f"{server}/planning/version/{shop['version'].pk}/")
    kit = planner.locator("section.card", has=planner.locator("h2", has_text="物料与齐套检查"))
    assert kit.locator("tbody tr.danger").count() == 2
    _shot(planner, "kit-short")

    # 1. Purchasing computes the requirements and reads which orders they serve.
    buyer.goto(f"{server}/purchasing/requirements/")
    assert "尚未计算" in buyer.locator("#run-status").inner_text()
    _post(buyer, "form[action$='/requirements/compute/'] button")
    buyer.wait_for_selector("#run-status:not([hx-get])")
    buyer.goto(f"{server}/purchasing/requirements/")
    assert MaterialRequirement.objects.filter(to_buy__gt=0).count() == 2
    body = buyer.locator("table.grid tbody").inner_text()
    assert "圆钢" in body and "密封圈" in body and order.number in body
    assert "全部" in buyer.locator("select[name=to_buy]").inner_text()  # a yes/no filter not in use
    _shot(buyer, "requirements")

    # 2. A plan is drafted from the requirements; the seal line's quantity is changed in place.
    buyer.goto(f"{server}/purchasing/plans/")
    _post(buyer, "form[action$='/plans/new/'] button")
    plan = PurchasePlan.objects.get()
    assert f"已根据物料需求生成计划 {plan.number} v1 草稿" in buyer.content()
    steel_line, seal_line = (plan.lines.get(material=shop[m]) for m in ("steel", "seal"))
    assert steel_line.supplier == supplier and steel_line.quantity == 250
    buyer.click(f"#line-{seal_line.pk} a[hx-get$='/edit/']")
    buyer.wait_for_selector(f"#line-{seal_line.pk} form input[name=quantity]")
    buyer.fill(f"#line-{seal_line.pk} input[name=quantity]", "300")
    buyer.click(f"#line-{seal_line.pk} form button")
    buyer.wait_for_selector(f"#line-{seal_line.pk} a[hx-get$='/edit/']")
    assert "300" in buyer.locator(f"#line-{seal_line.pk}").inner_text()
    seal_line.refresh_from_db()
    assert seal_line.quantity == 300
    _shot(buyer, "plan-draft")
    _post(buyer, "form[action$='/submit/'] button")
    plan.refresh_from_db()
    assert plan.status == "submitted"

    # 3. The merchandiser rejects the seal line with a reason and approves the steel.
    merchandiser = new_page()
    _accept_dialogs(merchandiser)
    login(merchandiser, "merchandiser")
    merchandiser.goto(f"{server}/purchasing/plans/pending/")
    pending = merchandiser.locator("table.grid tbody")
    assert "圆钢" in pending.inner_text() and "密封圈" in pending.inner_text()
    _shot(merchandiser, "plan-pending")
    row = pending.locator("tr", has_text="密封圈")
    row.locator("input[name=reason]").fill("密封圈按订单 250 个即可")
    with merchandiser.expect_navigation():
        row.locator("form.inline-form button").click()
    row = merchandiser.locator("table.grid tbody tr", has_text="圆钢")
    with merchandiser.expect_navigation():
        row.locator("form.inline button").click()
    assert "没有待您审批的内容。" in merchandiser.locator("table.grid tbody").inner_text()
    plan.refresh_from_db()
    steel_line.refresh_from_db()
    seal_line.refresh_from_db()
    assert (steel_line.status, seal_line.status) == ("approved", "rejected")

    # The purchaser reads the reason, revises the plan, sets the seal back to 250 and submits again;
    # the merchandiser approves all his lines of the new version at once.
    buyer.goto(f"{server}/purchasing/plans/{plan.pk}/")
    assert "密封圈按订单 250 个即可" in buyer.content()
    _post(buyer, "form[action$='/revise/'] button")
    revision = PurchasePlan.objects.get(number=plan.number, version=2)
    assert buyer.url.endswith(f"/purchasing/plans/{revision.pk}/")
    seal_line = revision.lines.get(material=shop["seal"])
    buyer.click(f"#line-{seal_line.pk} a[hx-get$='/edit/']")
    buyer.wait_for_selector(f"#line-{seal_line.pk} form input[name=quantity]")
    buyer.fill(f"#line-{seal_line.pk} input[name=quantity]", "250")
    buyer.click(f"#line-{seal_line.pk} form button")
    buyer.wait_for_selector(f"#line-{seal_line.pk} a[hx-get$='/edit/']")
    _post(buyer, "form[action$='/submit/'] button")
    merchandiser.goto(f"{server}/purchasing/plans/{revision.pk}/")
    _shot(merchandiser, "plan-approve")
    _post(merchandiser, "form[action$='/approve-mine/'] button")
    revision.refresh_from_db()
    assert revision.status == "decided", revision.status
    assert set(revision.lines.values_list("status", flat=True)) == {"approved"}

    # 4. Purchasing orders the approved lines: one PO to the supplier, printed, sent and confirmed.
    buyer.goto(f"{server}/purchasing/po/new/")
    for line in revision.lines.all():
        buyer.check(f"#pl{line.pk}")
    _post(buyer, "form.card button.primary")
    po = PurchaseOrder.objects.get()
    assert buyer.url.endswith(f"/purchasing/po/{po.pk}/")
    assert po.lines.count() == 2 and po.supplier == supplier
    href = buyer.locator(".pagehead a.btn", has_text="PDF（中文）").get_attribute("href")
    pdf = buyer.context.request.get(f"{server}{href}")  # what the button opens, with his session
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True
        ).stdout.decode()
        assert po.number in text and "采购订单" in text
    buyer.check("form[action$='/send/'] input[name=by_hand]")
    buyer.fill("form[action$='/send/'] input[name=note]", "微信发送给供应商")
    _post(buyer, "form[action$='/send/'] button")
    po.refresh_from_db()
    assert po.status == "sent"
    steel_po = po.lines.get(material=shop["steel"])
    seal_po = po.lines.get(material=shop["seal"])
    need = min(steel_po.plan_line.need_date, seal_po.plan_line.need_date)
    promised = need - dt.timedelta(days=1)
    _shot(buyer, "po-sent")
    for po_line in (steel_po, seal_po):
        card = buyer.locator("section.card", has=buyer.locator(f"input[name=line][value='{po_line.pk}']"))
        card.locator("summary", has_text="登记供应商确认").click()
        form = card.locator("form[action$='/confirm/']")
        form.locator("input[name=quantity]").fill("250")
        form.locator("input[name=promised_date]").fill(promised.isoformat())
        form.locator("input[name=confirmed_by]").fill("刘经理")
        with buyer.expect_navigation():
            form.locator("button").click()
    po.refresh_from_db()
    assert po.status == "confirmed", po.status
    assert set(po.lines.values_list("expected_date", flat=True)) == {promised}
    _shot(buyer, "po-confirmed")

    # 5. The order's materials and the plan's kit check now say covered, by the PO.
    buyer.goto(f"{server}/purchasing/orders/{order.pk}/materials/")
    assert buyer.locator("[data-short]").count() == 0
    assert buyer.locator("#order-materials tr.row-danger").count() == 0
    assert po.number in buyer.locator("#order-materials").inner_text()
    _shot(buyer, "materials-covered")
    planner.goto(f"{server}/planning/version/{shop['version'].pk}/")
    kit = planner.locator("section.card", has=planner.locator("h2", has_text="物料与齐套检查"))
    assert kit.locator("tbody tr").count() == 2 and kit.locator("tbody tr.danger").count() == 0
    assert "250" in kit.locator("tbody tr", has_text="圆钢").inner_text()  # on order
    _shot(planner, "kit-covered")

    # The supplier's scorecard before any lot is inspected.
    buyer.goto(f"{server}/purchasing/scorecards/{supplier.pk}/")
    acceptance_before = buyer.locator("a.score-figure[href='#acceptance'] .score-big").inner_text()
    _shot(buyer, "scorecard-before")

    # 6. The warehouse receives 200 of the 250 pieces of steel: they wait in inspection, not in stock.
    keeper = new_page()
    login(keeper, "warehouse")
    keeper.goto(f"{server}/purchasing/receive/?q={po.number}")
    card = keeper.locator("section.card", has_text="STEEL")
    card.locator("input[name=quantity]").fill("200")
    card.locator("input[name=delivery_note]").fill("DN-8801")
    card.locator("input[name=lot_no]").fill("L2611")
    with keeper.expect_navigation():
        card.locator("button.primary").click()
    receipt = Receipt.objects.get()
    assert keeper.url.endswith(f"/purchasing/receipts/{receipt.pk}/")
    assert receipt.status == "in_inspection" and receipt.quantity == 200
    assert not StockLevel.objects.filter(material=shop["steel"], quantity__gt=0).exists()
    assert f"已收货 200，收货单 {receipt.number}" in keeper.content()
    assert keeper.locator(".pagehead .actions a.btn").inner_text() == "待检队列"  # a link, not a status
    _shot(keeper, "receipt")
    steel_po.refresh_from_db()
    assert steel_po.received_qty == 200 and steel_po.open_qty == 50

    # 7. The inspector sees the GB/T 2828.1 plan of the lot (200 at level II, AQL 1.0: code letter G,
    # whose arrow leads to H: 50 pieces, Ac 1, Re 2), counts three defects (Re is 2), and the lot is rejected.
    expected = sampling.plan(200, "II", "1.0", "normal")
    assert (expected.code_letter, expected.sample_size, expected.reject) == ("G", 50, 2)
    inspector = new_page()
    _accept_dialogs(inspector)
    login(inspector, "inspector")
    inspector.goto(f"{server}/quality/inspection/")
    row = inspector.locator("table.grid tbody tr", has_text=receipt.number)
    assert f"样本量字码 G · n = {expected.sample_size} · Ac 1 / Re 2" in row.inner_text()
    _shot(inspector, "inspection-queue")
    with inspector.expect_navigation():
        row.locator("form[action$='/start/'] button").click()
    inspection = Inspection.objects.get(receipt=receipt)
    assert inspector.url.endswith(f"/quality/inspections/{inspection.pk}/")
    assert (inspection.code_letter, inspection.sample_size) == ("G", expected.sample_size)
    assert inspector.locator("dd b").first.inner_text() == str(expected.sample_size)
    inspector.select_option("form[action$='/defects/'] select[name=code]", label="DIM 尺寸超差")
    inspector.fill("form[action$='/defects/'] input[name=count]", "3")
    _post(inspector, "form[action$='/defects/'] button")
    _shot(inspector, "inspection")
    _post(inspector, "form[action$='/complete/'] button")
    receipt.refresh_from_db()
    assert (receipt.status, receipt.accepted_qty, receipt.rejected_qty) == ("rejected", 0, 200)
    assert not StockLevel.objects.filter(material=shop["steel"], quantity__gt=0).exists()

    buyer.goto(f"{server}/purchasing/scorecards/{supplier.pk}/")
    acceptance_rejected = buyer.locator("a.score-figure[href='#acceptance'] .score-big").inner_text()

    # 8. The rejection opened a supplier case: purchasing asks for a replacement, which is received,
    # inspected and accepted into stock; the case closes. Until the supplier owes it again, the
    # rejected steel makes the order short again.
    buyer.goto(f"{server}/purchasing/orders/{order.pk}/materials/")
    assert buyer.locator("[data-short]").get_attribute("data-short") == "1"
    cells = buyer.locator("#order-materials tr[data-material=STEEL] td").all_inner_texts()
    assert (cells[7], cells[8]) == ("200", "200"), cells  # rejected, short
    _shot(buyer, "materials-after-rejection")
    case = SupplierCase.objects.get()
    buyer.goto(f"{server}/purchasing/cases/")
    with buyer.expect_navigation():
        buyer.click(f"a[href$='/purchasing/cases/{case.pk}/']")
    buyer.select_option("form[action$='/decide/'] select[name=kind]", "replacement")
    buyer.fill("form[action$='/decide/'] textarea[name=note]", "供应商一周内换货")
    _post(buyer, "form[action$='/decide/'] button")
    case.refresh_from_db()
    assert (case.kind, case.status) == ("replacement", "awaiting_replacement")
    _shot(buyer, "case-decided")
    # The order's materials show the rejected lot, and the 200 owed again by the supplier.
    buyer.goto(f"{server}/purchasing/orders/{order.pk}/materials/")
    assert buyer.locator("[data-short]").count() == 0
    cells = buyer.locator("#order-materials tr[data-material=STEEL] td").all_inner_texts()
    assert "PO-" in cells[4] and "250" in cells[4] and cells[8] == "0", cells
    _shot(buyer, "materials-replacement-owed")
    keeper.goto(f"{server}/purchasing/receive/?q={po.number}")
    card = keeper.locator("section.card", has_text="STEEL")
    card.locator("select[name=case]").select_option(str(case.pk))
    _shot(keeper, "receive-replacement")
    card.locator("input[name=quantity]").fill("200")
    with keeper.expect_navigation():
        card.locator("button.primary").click()
    replacement = Receipt.objects.exclude(pk=receipt.pk).get()
    assert replacement.case_id == case.pk and replacement.status == "in_inspection"
    inspector.goto(f"{server}/quality/inspection/")
    row = inspector.locator("table.grid tbody tr", has_text=replacement.number)
    with inspector.expect_navigation():
        row.locator("form[action$='/start/'] button").click()
    _post(inspector, "form[action$='/complete/'] button")
    replacement.refresh_from_db()
    assert (replacement.status, replacement.accepted_qty) == ("accepted", 200)
    assert StockLevel.objects.get(material=shop["steel"]).quantity == 200
    case.refresh_from_db()
    assert case.status == "closed"
    buyer.goto(f"{server}/purchasing/cases/{case.pk}/")
    _shot(buyer, "case-closed")
    history = buyer.locator("ol.workflow-history").inner_text()
    assert str(people["inspector"]) in history and str(people["purchaser"]) in history, history

    # 9. The scorecard counts both lots: one rejected, one accepted.
    buyer.goto(f"{server}/purchasing/scorecards/{supplier.pk}/")
    acceptance_after = buyer.locator("a.score-figure[href='#acceptance'] .score-big").inner_text()
    _shot(buyer, "scorecard-after")
    figures = (acceptance_before, acceptance_rejected, acceptance_after)
    assert figures == ("—", "0.0%", "50.0%"), figures

    # What the merchandiser and purchasing were told along the way reads as Chinese sentences.
    for page, name in ((merchandiser, "inbox-merchandiser"), (buyer, "inbox-purchaser")):
        page.goto(f"{server}/notifications/")
        text = page.locator("main").inner_text()
        assert "E+" not in text and "{" not in text and "pcs" not in text, text
        _shot(page, name)
