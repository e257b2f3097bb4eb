"""Issue 5, as a merchandiser would do it in a real browser, in Chinese: an order arrives as the
customer's Excel sheet, is reviewed (a finding goes to the customer and comes back answered),
released, acknowledged by production, purchasing and quality (each logged in as themselves), and
changed by a customer change request; the order's dossier shows all of it."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def factory(people):
    from gendan.masterdata.demo import build_masterdata

    build_masterdata(users=people)
    return people


def customer_sheet(customer: str, product: str, spec: str, lead_days: int) -> bytes:
    """What a customer sends: Chinese headers, two lines, the second one due too soon."""
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["客户编码", "客户订单号", "产品编码", "规格", "数量", "单价", "交货日期", "质量要求", "包装要求"]
    )
    today = dt.date.today()
    ws.append(
        [
            customer,
            "PO-E2E-001",
            product,
            spec,
            200,
            95,
            today + dt.timedelta(days=lead_days + 60),
            "AQL 1.0",
            "彩盒",
        ]
    )
    ws.append(
        [customer, "PO-E2E-001", product, spec, 100, 95, today + dt.timedelta(days=2), "AQL 1.0", "彩盒"]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_order_from_excel_to_change_request(factory, new_page, login, e2e_server, tmp_path):
    from gendan.masterdata.models import Customer, Product

    customer = (
        Customer.objects.filter(credit_status="ok", merchandiser__username="merchandiser")
        .order_by("code")
        .first()
    )
    product = (
        Product.objects.filter(kind="finished", operations__isnull=False, bom_lines__isnull=False)
        .distinct()
        .order_by("code")
        .first()
    )
    sheet = tmp_path / "客户订单.xlsx"
    sheet.write_bytes(customer_sheet(customer.code, product.code, product.spec, product.lead_time_days))

    page = new_page(viewport={"width": 1400, "height": 1000})
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "merchandiser")

    # 1. The customer's sheet comes in through the import page.
    page.goto(f"{e2e_server}/orders/order/import/")
    page.set_input_files("input[type=file]", str(sheet))
    with page.expect_navigation():
        page.click("form button.primary")
    page.wait_for_selector(".status-succeeded")
    order = Order.objects.get(customer_po="PO-E2E-001")
    assert order.status == OrderStatus.IN_REVIEW

    # 2. Review: the too-soon line is a finding in plain Chinese; ask the customer about it.
    page.goto(f"{e2e_server}/orders/order/{order.pk}/")
    assert page.locator(".status").first.inner_text() == "审核中"
    findings = page.locator(".finding.open")
    assert findings.count() >= 1
    assert "标准交期" in page.locator("#findings").inner_text()
    page.click("#clarifications summary")
    page.locator("#clarifications input[type=checkbox]").first.check()
    page.fill("#clarifications textarea[name=question]", "第 2 行交期太短，能否推迟两周？")
    with page.expect_navigation():
        page.click("#clarifications form button.primary")
    assert page.locator(".status").first.inner_text() == "待客户澄清"

    # 3. The customer answers; the merchandiser records it and resolves every open finding.
    page.fill("#clarifications textarea[name=answer]", "同意推迟两周交货。")
    with page.expect_navigation():
        page.click("#clarifications form.a button")
    assert page.locator(".status").first.inner_text() == "审核中"
    while page.locator(".finding.open form").count():
        page.locator(".finding.open form input[name=resolution]").first.fill("客户同意推迟，按新交期执行")
        with page.expect_navigation():
            page.locator(".finding.open form button").first.click()

    # 4. Reviewed, then released: the order copy goes to the three departments.
    with page.expect_navigation():
        page.click("form[action$='/reviewed/'] button")
    assert page.locator(".status").first.inner_text() == "已审核"
    with page.expect_navigation():
        page.click("form[action$='/release/'] button")
    assert page.locator(".status").first.inner_text() == "已下达"
    assert page.locator("#acks tbody tr").count() == 3
    assert page.locator("#documents a[href*='/attachments/']").count() >= 1

    # 5. Each department acknowledges, logged in as itself.
    for username in ("planner", "purchaser", "inspector"):
        other = new_page()
        login(other, username)
        other.goto(f"{e2e_server}/orders/order/{order.pk}/")
        with other.expect_navigation():
            other.click("#acks form button")
        assert other.locator("#acks form button").count() == 0
    assert not order.acknowledgements.filter(acknowledged_at__isnull=True).exists()

    # 6. The customer adds 300 pieces to line 1: a change request, approved, makes version 2.
    page.goto(f"{e2e_server}/orders/order/{order.pk}/")
    assert page.locator("#acks tr.waiting").count() == 0
    page.click("#changes summary")
    page.select_option("#changes select[name=kind]", "quantity")
    page.select_option("#changes select[name=line]", str(order.lines.get(line_no=1).pk))
    page.fill("#changes input[name=new_value]", "500")
    page.fill("#changes textarea[name=reason]", "客户追加 300 件")
    with page.expect_navigation():
        page.click("#changes form.form button.primary")
    assert (
        "物料" in page.locator("#changes .impact").first.inner_text()
        or page.locator("#changes .impact li").count() >= 2
    )
    # Nobody approves his own change request: the merchandiser has no button. The general manager
    # (the merchandiser manages the merchandising department himself) is told, and approves it.
    assert page.locator("form[action*='/approve/']").count() == 0
    manager = new_page(viewport={"width": 1400, "height": 1000})
    login(manager, "manager")
    assert "待您批准的变更申请" in manager.locator("main").inner_text()
    manager.goto(f"{e2e_server}/orders/order/{order.pk}/")
    with manager.expect_navigation():
        manager.click("form[action*='/approve/'] button")
    assert "已批准" in manager.locator("#changes").inner_text()
    order.refresh_from_db()
    assert order.version == 2 and order.lines.get(line_no=1).quantity == 500

    # 7. The dossier tells the whole story: versions with the diff, new acknowledgements, timeline.
    page.goto(f"{e2e_server}/orders/order/{order.pk}/")
    versions = page.locator("#versions").inner_text()
    assert "v1" in versions and "v2" in versions and "500" in versions
    assert page.locator("#acks tr.waiting").count() == 3  # version 2 goes out for acknowledgement again
    assert "数量" in versions  # the changed field, by its Chinese name
    timeline = page.locator("#timeline").inner_text()
    for label in ("已向客户确认", "客户已答复", "已下达", "已确认收到", "变更已批准"):
        assert label in timeline, f"the timeline lacks {label!r}"
    page.screenshot(path="/tmp/e2e-order-dossier.png", full_page=True)


def test_a_form_order_left_without_merchandiser_and_an_edit_that_clears_a_finding(
    factory, new_page, login, e2e_server
):
    """陈军 enters an order by the form for a customer of 王丽 and leaves 跟单员 empty: it is his, and
    he lands on it. Sent to review without the customer's PO number, it has a finding; he edits the
    order, and the finding is gone without checking again by hand."""
    from gendan.masterdata.models import Customer, Product

    customer = Customer.objects.filter(credit_status="ok", merchandiser__username="merchandiser").first()
    product = Product.objects.filter(kind="finished", operations__isnull=False).order_by("code").first()
    page = new_page(viewport={"width": 1400, "height": 1000})
    login(page, "merchandiser2")
    page.goto(f"{e2e_server}/orders/order/new/")
    page.select_option("select[name=customer]", str(customer.pk))
    page.select_option("select[name=lines-0-product]", str(product.pk))
    page.fill("input[name=lines-0-quantity]", "50")
    due = dt.date.today() + dt.timedelta(days=product.lead_time_days + 60)
    page.fill("input[name=lines-0-delivery_date]", due.isoformat())
    page.fill("textarea[name=lines-0-quality_requirements]", "AQL 1.0")
    page.fill("textarea[name=lines-0-packaging_requirements]", "彩盒")
    with page.expect_navigation():
        page.click("form .formactions button.primary")
    order = Order.objects.get(customer=customer, created_by__username="merchandiser2")
    assert order.merchandiser.username == "merchandiser2"
    assert page.url.endswith(f"/orders/order/{order.pk}/")
    assert page.locator(".status").first.inner_text() == "草稿"

    with page.expect_navigation():
        page.click("form[action$='/submit/'] button")
    assert "客户订单号" in page.locator("#findings .finding.open").first.inner_text()
    page.goto(f"{e2e_server}/orders/order/{order.pk}/edit/")
    page.fill("input[name=customer_po]", "PO-E2E-FORM")
    with page.expect_navigation():
        page.click("form .formactions button.primary")
    assert page.locator("#findings .finding.open").count() == 0
