"""Delivery, after-sales, the archive and the KPIs in a browser, in Chinese, as new users walk them
(issue 18, done when): an order ships in two deliveries with the customer's confirmation and a
photographed receipt; a complaint on it is investigated, answered and rated through the customer's
link; its dossier ZIP is exported; a confidential drawing is requested, granted, opened (logged,
watermarked) and expires; the quarter's KPIs show the merchandiser's on-time deliveries with the
records behind them; and two of the pages read on a 370 px phone."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone, translation
from test_phone import PHONE, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/e2e-delivery-{}.png"


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def ready(people, make):
    """An order of the merchandiser (one line of 100, promised today) whose finished goods are all
    stocked in: ready to ship, with the customer's delivery address."""
    from gendan.delivery.tests.conftest import DeliveryFactory
    from gendan.orders.models import OrderLine

    by_role = {
        "merchandiser": people["merchandiser"],
        "production": people["planner"],
        "purchasing": people["purchaser"],
        "quality": people["inspector"],
        "warehouse": people["warehouse"],
        "logistics": people["logistics"],
        "management": people["manager"],
        "admin": people["admin"],
    }
    found = DeliveryFactory(make, by_role).order(quantity="100", stock_in="100")
    OrderLine.objects.filter(pk=found.line.pk).update(delivery_date=timezone.localdate())
    return found


def _post(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _choose(page, select: str, text: str) -> None:
    """Choose the option whose label contains `text`."""
    option = page.locator(f"{select} option", has_text=text).first
    page.select_option(select, option.get_attribute("value"))


def _shot(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name), full_page=True)


def _main(page) -> str:
    return page.locator("main").inner_text()


def _minute(delta: dt.timedelta = dt.timedelta(0)) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def _ship_and_deliver(server, merch, logistics, order, qty: str, receipt, name: str):
    """The merchandiser arranges a shipment of `qty` and records the customer's confirmation; logistics
    ships it and records the signed receipt. Returns the shipment."""
    from gendan.delivery.models import Shipment

    merch.goto(f"{server}/delivery/order/{order.pk}/")
    arrange = "form:has(input[name^=qty_])"
    merch.fill(f"{arrange} input[name^=qty_]", qty)
    merch.select_option(f"{arrange} select[name=method]", "own_truck")
    _choose(merch, f"{arrange} select[name=address]", "总仓")
    merch.fill(f"{arrange} input[name=planned_at]", _minute(dt.timedelta(hours=2)))
    merch.fill(f"{arrange} input[name=place]", "1 号门")
    _shot(merch, f"{name}-arrange")
    _post(merch, f"{arrange} button.primary")
    assert "/delivery/shipment/" in merch.url, _main(merch)
    shipment = Shipment.objects.filter(order=order).order_by("-pk").first()
    assert shipment.number in merch.locator(".pagehead").inner_text()

    confirm = "form[action$='/confirm/']"
    merch.fill(f"{confirm} input[name=confirmed_by_name]", "李经理")
    merch.select_option(f"{confirm} select[name=confirmed_via]", "phone")
    merch.fill(f"{confirm} input[name=confirmed_at]", _minute())
    _post(merch, f"{confirm} button")
    fields = merch.locator("dl.fields").inner_text()
    assert "李经理" in fields and "电话" in fields, fields

    logistics.goto(f"{server}/delivery/shipment/{shipment.pk}/")
    ship = "form[action$='/ship/']"
    logistics.fill(f"{ship} input[name=carrier]", "顺丰物流")
    logistics.fill(f"{ship} input[name=vehicle_plate]", "苏E12345")
    logistics.fill(f"{ship} input[name=driver]", "张师傅")
    _post(logistics, f"{ship} button")
    shipment.refresh_from_db()
    assert shipment.status == "shipped", _main(logistics)

    pod = "form[action$='/deliver/']"
    logistics.set_input_files(f"{pod} input[type=file]", str(receipt))
    logistics.fill(f"{pod} input[name=signed_by]", "王先生")
    _post(logistics, f"{pod} button.primary")
    shipment.refresh_from_db()
    assert shipment.status == "delivered", _main(logistics)
    proof = logistics.locator(".card", has_text="签收").last.inner_text()
    assert "王先生" in proof and receipt.name in proof, proof
    _shot(logistics, f"{name}-delivered")
    return shipment


def test_an_order_ships_twice_a_complaint_is_answered_its_dossier_exported_and_its_drawing_guarded(
    ready, people, new_page, login, e2e_server, tmp_path
):
    from pypdf import PdfReader

    from gendan.aftersales.models import Complaint, Rating
    from gendan.archive.models import Document, Grant
    from gendan.engine.scorecard import quarter
    from gendan.orders.choices import OrderStatus

    server, order = e2e_server, ready.order
    receipt = tmp_path / "签收单.jpg"
    receipt.write_bytes(_jpeg())
    drawing = tmp_path / "总装图.pdf"
    drawing.write_bytes(_pdf())

    # 1. Two shipments: 60 now, the other 40 later; each confirmed by the customer, shipped and
    #    signed for. The order's delivery page then shows it delivered.
    merch = new_page()
    merch.on("dialog", lambda dialog: dialog.accept())
    login(merch, "merchandiser")
    logistics = new_page()
    login(logistics, "logistics")
    first = _ship_and_deliver(server, merch, logistics, order, "60", receipt, "first")
    merch.goto(f"{server}/delivery/order/{order.pk}/")
    assert "60" in merch.locator("table.grid").first.inner_text()
    second = _ship_and_deliver(server, merch, logistics, order, "40", receipt, "second")
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    merch.goto(f"{server}/delivery/order/{order.pk}/")
    with translation.override("zh-hans"):
        delivered = str(OrderStatus.DELIVERED.label)
    assert delivered in merch.locator(".pagehead").inner_text()
    panel = _main(merch)
    assert first.number in panel and second.number in panel
    _shot(merch, "order-delivered")

    # 2. A complaint on the second shipment: quality takes it and records the findings; the
    #    merchandiser replies (the reply PDF) and makes a rating link; the customer rates 4/5 once.
    merch.goto(f"{server}/aftersales/complaint/new/")
    _choose(merch, "select[name=order]", order.number)
    _choose(merch, "select[name=order_line]", f"{order.number} / 1")
    _choose(merch, "select[name=shipment]", second.number)
    merch.fill("input[name=quantity]", "5")
    merch.fill("textarea[name=description]", "外观划伤，客户来料检验发现 5 件")
    merch.select_option("select[name=channel]", "phone")
    merch.fill("input[name=contact_name]", "李经理")
    merch.fill("input[name=received_on]", timezone.localdate().isoformat())
    merch.select_option("select[name=severity]", "medium")
    _shot(merch, "complaint-new")
    _post(merch, "main form button.primary")
    complaint = Complaint.objects.get(order=order)
    assert complaint.shipment == second
    assert second.number in _main(merch)

    inspector = new_page()
    login(inspector, "inspector")
    inspector.goto(f"{server}/aftersales/complaint/{complaint.pk}/")
    _post(inspector, "form[action$='/take/'] button")
    findings = "form[action$='/findings/']"
    inspector.fill(f"{findings} textarea[name=root_cause]", "包装无隔层，运输中摩擦")
    inspector.fill(f"{findings} textarea[name=containment]", "库存全检")
    inspector.fill(f"{findings} textarea[name=corrective_action]", "增加珍珠棉隔层")
    _choose(inspector, f"{findings} select[name=action_owner]", str(people["inspector"]))
    inspector.fill(
        f"{findings} input[name=action_due]", (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    )
    _post(inspector, f"{findings} button")
    complaint.refresh_from_db()
    assert complaint.root_cause == "包装无隔层，运输中摩擦", _main(inspector)
    _shot(inspector, "complaint-findings")

    merch.goto(f"{server}/aftersales/complaint/{complaint.pk}/")
    merch.fill("form[action$='/answer/'] textarea[name=reply]", "已补发 5 件，包装增加隔层")
    _post(merch, "form[action$='/answer/'] button")
    complaint.refresh_from_db()
    assert complaint.reply == "已补发 5 件，包装增加隔层", _main(merch)
    href = merch.locator(f"a[href$='/complaint/{complaint.pk}/reply.pdf']").get_attribute("href")
    pdf = merch.request.get(f"{server}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    _post(merch, "form[action$='/link/'] button")
    link = merch.locator("input.copyable").input_value()
    assert "/aftersales/rate/" in link
    _shot(merch, "complaint-answered")

    customer = new_page()  # no login: the customer only has the link
    customer.goto(link)
    assert "满意" in _main(customer) and order.number in _main(customer)
    customer.check("input[name=score][value='4']")
    customer.fill("textarea[name=comment]", "处理及时")
    _shot(customer, "rate")
    _post(customer, "main form button.primary")
    rating = Rating.objects.get(complaint=complaint)
    assert rating.score == 4 and rating.comment == "处理及时"
    _shot(customer, "rated")
    refused = customer.goto(link)
    assert refused.status == 410 and "已被使用" in _main(customer), _main(customer)
    assert customer.locator("input[name=score]").count() == 0
    assert Rating.objects.filter(complaint=complaint).count() == 1
    _shot(customer, "rate-again")
    merch.goto(f"{server}/aftersales/order/{order.pk}/")
    assert "4/5" in _main(merch)
    merch.goto(f"{server}/aftersales/complaint/{complaint.pk}/")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and "评分 4/5" in _main(merch)  # in Chinese, as rated in English

    # 3. The dossier ZIP from the order's archive page: an index PDF and the delivery notes.
    merch.goto(f"{server}/archive/order/{order.pk}/")
    _shot(merch, "archive")
    with merch.expect_download() as got:
        merch.click("form[action$='/dossier/'] button")
    names = zipfile.ZipFile(got.value.path()).namelist()
    assert "index.pdf" in names, names
    notes = [n for n in names if "delivery-note" in n]
    assert len(notes) == 2, names

    # 4. The merchandiser files a confidential drawing; the planner sees it listed but may not open
    #    it, asks for three days; management approves; the planner downloads it watermarked with his
    #    name; management's log lists it; when the grant has run out the planner is refused.
    with merch.expect_navigation():
        merch.click(f"a[href$='/archive/order/{order.pk}/upload/']")
    merch.select_option("select[name=kind]", "drawing")
    merch.fill("input[name=title]", "总装图")
    merch.set_input_files("input[name=file]", str(drawing))
    _post(merch, "main form button.primary")
    doc = Document.objects.get(order=order, kind="drawing")
    assert doc.is_restricted, _main(merch)
    _shot(merch, "drawing")

    planner = new_page()
    login(planner, "planner")
    planner.goto(f"{server}/archive/order/{order.pk}/")
    row = planner.locator("table.grid tbody tr", has_text="总装图")
    assert "/file/" not in (row.locator("a").last.get_attribute("href") or "")
    assert planner.request.get(f"{server}/archive/document/{doc.pk}/file/").status == 404
    with planner.expect_navigation():
        row.locator("a").first.click()
    planner.fill("form[action$='/request/'] textarea[name=reason]", "准备总装工装，需要核对尺寸")
    planner.fill("form[action$='/request/'] input[name=days]", "3")
    _post(planner, "form[action$='/request/'] button")
    assert "/request/" not in planner.url, _main(planner)
    _shot(planner, "requested")

    manager = new_page()
    login(manager, "manager")
    manager.goto(f"{server}/archive/requests/")
    waiting = manager.locator("table.grid tbody tr", has_text="总装图").first
    assert "准备总装工装" in waiting.inner_text()
    _shot(manager, "requests")
    with manager.expect_navigation():
        waiting.locator("button.primary").click()
    grant = Grant.objects.get(document=doc, user=people["planner"])

    planner.goto(f"{server}/archive/document/{doc.pk}/")
    assert "已获授权" in _main(planner)
    view = planner.locator(".pagehead a.btn", has_text="查看").get_attribute("href")
    shown = planner.request.get(f"{server}{view}")  # what the View button opens in a new tab
    assert shown.ok and shown.headers["content-type"] == "application/pdf"
    with planner.expect_download() as got:
        planner.click(".pagehead a.btn.primary")
    for pdf_bytes in (shown.body(), Path(got.value.path()).read_bytes()):
        text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
        assert str(people["planner"]) in text, text
    _shot(planner, "granted")
    manager.goto(f"{server}/archive/log/")
    his = manager.locator("table.grid tbody tr", has_text=str(people["planner"]))
    log = his.all_inner_texts()
    assert len(log) == 2 and all("总装图" in x for x in log), log
    assert any("已查看" in x for x in log) and any("已下载" in x for x in log), log
    _shot(manager, "log")

    Grant.objects.filter(pk=grant.pk).update(
        starts_at=grant.starts_at - dt.timedelta(days=4), expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    gone = planner.goto(f"{server}/archive/document/{doc.pk}/file/")
    assert gone.status == 403
    assert "结束" in _main(planner) or "到期" in _main(planner), _main(planner)
    _shot(planner, "expired")

    # 5. The quarter's KPIs: the merchandiser's line delivered on time, and the records behind it.
    today = timezone.localdate()
    period = quarter(today.year, (today.month - 1) // 3 + 1).key
    merch.goto(f"{server}/kpi/?period={period}")
    _shot(merch, "kpi")
    with merch.expect_navigation():
        merch.click(f"table.grid a[href^='/kpi/{people['merchandiser'].pk}/']")
    with merch.expect_navigation():
        merch.click("table.grid a[href*='figure=delivery_on_time']")
    drill = merch.locator("#delivery_on_time")
    assert "100.0%" in drill.locator("summary").inner_text(), drill.inner_text()
    rows = drill.locator("table.grid tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert f"{order.number} / 1" in row and today.isoformat() in row and "计入" in row, row
    _shot(merch, "kpi-drill")

    # 6. On a 370 px phone: the shipment and the complaint read without sideways scrolling.
    phone = new_page(**PHONE)
    login(phone, "merchandiser")
    for path in (f"/delivery/shipment/{second.pk}/", f"/aftersales/complaint/{complaint.pk}/"):
        phone.goto(f"{server}{path}")
        assert_fits(phone, path)
    _shot(phone, "phone-complaint")
