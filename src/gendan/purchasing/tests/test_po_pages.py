"""The purchase order pages, PDF, open PO lines, export and confirmation sheet (R-3.3, R-3.5): what
each role sees (prices only for those who may see supplier prices), the flags, bad input as a
message, the sheet all-or-nothing."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from gendan.core.pdf import texts_of
from gendan.purchasing.choices import POLineStatus, POStatus
from gendan.purchasing.imports_po import CONFIRMATIONS
from gendan.purchasing.models import POLineConfirmation, PurchaseOrderLine
from gendan.purchasing.pdf_po import po_blocks
from gendan.purchasing.selectors_po import open_line_list
from gendan.purchasing.services import po as services
from gendan.testing.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db
D = Decimal


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _pdf_text(data: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_the_pages_answer_by_role_and_prices_show_only_to_who_may_see_them(buying, client_for):
    po = buying.po(buying.plan_line(price="12.3456"), sent=True)
    pages = ["/purchasing/po/", f"/purchasing/po/{po.pk}/", "/purchasing/po-lines/"]
    for role in ("purchasing", "merchandiser", "management"):
        for url in pages:
            response = client_for(role).get(url)
            assert response.status_code == 200, (role, url)
        assert "12.3456" in client_for(role).get(f"/purchasing/po/{po.pk}/").content.decode()
    for role in ("warehouse", "quality", "production"):
        for url in pages:
            response = client_for(role).get(url)
            assert response.status_code == 200 and "12.3456" not in response.content.decode(), (role, url)
    for url in pages:
        assert client_for("logistics").get(url).status_code in (403, 404)
    assert client_for("purchasing").get("/purchasing/po/999999/").status_code == 404


def test_the_detail_shows_the_buttons_the_role_allows(buying, client_for):
    po = buying.po()
    with translation.override("en"):
        mine = client_for("purchasing").get(f"/purchasing/po/{po.pk}/").content.decode()
        theirs = client_for("warehouse").get(f"/purchasing/po/{po.pk}/").content.decode()
    assert f"/purchasing/po/{po.pk}/send/" in mine and f"/purchasing/po/{po.pk}/edit/" in mine
    assert "/send/" not in theirs and "/edit/" not in theirs and "/cancel/" not in theirs


def test_buttons_post_and_refusals_become_messages(buying, client_for, users):
    po = buying.po()
    client = client_for("purchasing")
    users["purchasing"].language = "en"  # he reads the pages in English
    users["purchasing"].save(update_fields=["language"])
    response = client.post(f"/purchasing/po/{po.pk}/send/", {"by_hand": "on"}, follow=True)
    # The refusal, not the form's help ("... and say how.").
    assert "say how the order was sent" in response.content.decode().lower()
    assert client.get(f"/purchasing/po/{po.pk}/send/").status_code == 405
    client.post(f"/purchasing/po/{po.pk}/send/", {"by_hand": "on", "note": "微信"})
    po.refresh_from_db()
    assert po.status == POStatus.SENT
    line = po.lines.get()
    for bad in (
        {"line": "abc", "quantity": "1", "promised_date": "2030-01-01"},
        {"line": line.pk, "quantity": "x"},
    ):
        response = client.post(f"/purchasing/po/{po.pk}/confirm/", bad, follow=True)
        assert response.status_code == 200 and "msg-error" in response.content.decode()
    client.post(
        f"/purchasing/po/{po.pk}/confirm/",
        {"line": line.pk, "quantity": "100", "promised_date": day(9).isoformat()},
    )
    assert PurchaseOrderLine.objects.get(pk=line.pk).status == POLineStatus.CONFIRMED
    # The warehouse reads the PO but may not act on it.
    assert client_for("warehouse").post(f"/purchasing/po/{po.pk}/close/", {"reason": "x"}).status_code == 403
    # A change of price by a role that may not see prices cannot be posted (the field is not there).
    response = client.post(
        f"/purchasing/po/{po.pk}/change/",
        {"line": line.pk, "delivery_date": day(30).isoformat(), "reason": "推迟"},
    )
    assert PurchaseOrderLine.objects.get(pk=line.pk).delivery_date == day(30)


def test_making_pos_from_the_page(buying, client_for):
    line = buying.plan_line()
    client = client_for("purchasing")
    assert str(line.plan) in client.get("/purchasing/po/new/").content.decode()
    response = client.post("/purchasing/po/new/", {"line_ids": [line.pk]})
    assert response.status_code == 302 and line.po_line is not None
    assert client_for("merchandiser").get("/purchasing/po/new/").status_code == 403


def test_the_open_lines_flag_late_and_at_risk(buying, settings):
    settings.GENDAN_PO_AT_RISK_DAYS = 7
    po = buying.po(
        buying.plan_line(days=-2),  # delivery date passed, nothing confirmed: late and at risk
        buying.plan_line(days=5),  # within 7 days, not confirmed: at risk
        buying.plan_line(days=30),  # far away: fine
        buying.plan_line(days=30),  # confirmed for after its delivery date: at risk
        sent=True,
    )
    late, soon, far, slipping = po.lines.order_by("position")
    services.po_line_confirm(
        actor=buying.purchaser, line=slipping, quantity=slipping.quantity, promised_date=day(35)
    )
    rows = {line.pk: (line.is_late, line.is_at_risk) for line in open_line_list(user=buying.purchaser)}
    assert rows == {
        late.pk: (True, True),
        soon.pk: (False, True),
        far.pk: (False, False),
        slipping.pk: (False, True),
    }
    assert [x.pk for x in open_line_list(user=buying.purchaser, filters={"late": "true"})] == [late.pk]


def test_the_open_lines_page_reads_in_a_fixed_number_of_queries(buying, client_for):
    client = client_for("purchasing")
    buying.po(buying.plan_line(), sent=True)
    client.get("/purchasing/po-lines/")
    with CaptureQueriesContext(connection) as few:
        client.get("/purchasing/po-lines/")
        client.get("/purchasing/po/")
    buying.po(*[buying.plan_line() for _ in range(12)], sent=True)
    with CaptureQueriesContext(connection) as many:
        client.get("/purchasing/po-lines/")
        client.get("/purchasing/po/")
    assert len(many) == len(few)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_pdf_carries_the_supplier_lines_requirements_and_qr_in_both_languages(buying, client_for, lang):
    po = buying.po(buying.plan_line(price="8.8"), sent=True)
    with translation.override(lang):
        title = translation.gettext("Purchase order")  # the title in the language asked for
    assert (title == "Purchase order") == (lang == "en")
    with translation.override(lang):
        texts = " ".join(
            t for b in po_blocks(po, show_prices=True, url="https://x/po/1/") for t in texts_of(b)
        )
    assert "华钢金属" in texts and "钢板" in texts and "Q235 2mm" in texts and po.number in texts
    assert "GB/T 2828.1" in texts and "8.8" in texts
    response = client_for("purchasing").get(f"/purchasing/po/{po.pk}/pdf/?lang={lang}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    if text is not None:
        assert "华钢金属" in text and po.number in text and title in text


def test_the_pdf_for_a_role_without_prices_has_none(buying):
    po = buying.po(buying.plan_line(price="8.8"))
    texts = " ".join(t for b in po_blocks(po, show_prices=False, url="u") for t in texts_of(b))
    assert "8.8" not in texts


def test_the_export_lists_open_lines_and_prices_only_for_price_readers(buying, client_for):
    buying.po(buying.plan_line(price="6.75"), sent=True)
    for role, priced in (("purchasing", True), ("warehouse", False)):
        response = client_for(role).get("/purchasing/po-lines/export/")
        assert response.status_code == 200
        sheet = load_workbook(filename=__import__("io").BytesIO(b"".join(response.streaming_content))).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert len(values) == 2
        assert (6.75 in values[1]) is priced


def _sheet(rows):
    with translation.override("en"):
        header = [str(c.label) for c in CONFIRMATIONS.columns]
    return xlsx_bytes([header, *rows])


def test_the_confirmation_sheet_is_all_or_nothing(buying, users):
    po = buying.po(buying.plan_line(quantity="100"), buying.plan_line(quantity="10"), sent=True)
    good = [po.number, 10, 60, day(9).isoformat(), "何经理", ""]
    with translation.override("en"):
        result = CONFIRMATIONS.run(
            _sheet(
                [
                    good,
                    [po.number, 20, 11, day(9).isoformat(), "", ""],  # more than ordered
                    ["PO-1999-0001", 10, 1, day(9).isoformat(), "", ""],  # no such PO
                    [po.number, 30, 1, day(9).isoformat(), "", ""],  # no such line
                    [po.number, 10, "abc", day(9).isoformat(), "", ""],  # not a number
                ]
            ),
            actor=buying.purchaser,
        )
    assert not result.ok
    assert sorted((e.row, e.column) for e in result.errors) == [
        (3, "Quantity"),
        (4, "PO number"),
        (5, "Line"),
        (6, "Quantity"),
    ]
    assert not POLineConfirmation.objects.exists()
    result = CONFIRMATIONS.run(
        _sheet([good, [po.number, 10, 40, day(12).isoformat(), "", ""]]), actor=buying.purchaser
    )
    assert result.ok and result.created == 2
    line = po.lines.get(position=10)
    assert (line.status, line.expected_date) == (POLineStatus.CONFIRMED, day(12))
    refused = CONFIRMATIONS.run(_sheet([good]), actor=users["warehouse"])
    assert not refused.ok


def test_the_import_page_queues_the_sheet_for_purchasing_only(buying, client_for):
    assert client_for("purchasing").get("/purchasing/po-lines/import/").status_code == 200
    assert client_for("purchasing").get("/purchasing/po-lines/import/template/").status_code == 200
    assert client_for("warehouse").get("/purchasing/po-lines/import/").status_code == 403


def test_a_sheet_uploaded_on_the_page_is_recorded_by_the_worker(
    buying, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gendan.core.models import ImportJob

    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    data = _sheet([[po.number, 10, 100, day(9).isoformat(), "何经理", ""]])
    upload = SimpleUploadedFile("confirmations.xlsx", data)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("purchasing").post("/purchasing/po-lines/import/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.kind == "po_confirmations" and job.status == "succeeded", (job.status, job.errors)
    assert po.lines.get().status == POLineStatus.CONFIRMED


def test_bad_filters_are_said_on_the_page_not_an_error(buying, client_for):
    buying.po(sent=True)
    client = client_for("purchasing")
    for url in (
        "/purchasing/po/?supplier=abc&late=maybe&status=nonsense",
        "/purchasing/po-lines/?supplier=999999&at_risk=perhaps",
        "/purchasing/po-lines/export/?supplier=abc",
        "/purchasing/po/?page=zzz",
    ):
        assert client.get(url).status_code == 200, url


def test_the_orders_dossier_links_to_the_purchase_orders_serving_it(buying, client_for, make):
    from gendan.core.registry import record_links

    buying.po(sent=True)
    buying.po(buying.plan_line(supplier=make.supplier()))
    with translation.override("en"):
        links = record_links(buying.users["merchandiser"], buying.order)
    (text, url) = next((t, u) for t, u in links if "Purchase orders" in t)
    assert text == "Purchase orders (2)" and buying.order.number in url
    page = client_for("merchandiser").get(url).content.decode()
    assert page.count("/purchasing/po/") >= 2
    assert not [t for t, _u in record_links(buying.users["logistics"], buying.order) if "Purchase" in t]


def test_the_detail_page_s_forms_have_unique_field_ids(buying, client_for):
    import re

    po = buying.po(buying.plan_line(), buying.plan_line(), sent=True)
    page = client_for("purchasing").get(f"/purchasing/po/{po.pk}/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert "id_l" in page  # the line forms are there


def test_another_merchandiser_sees_no_purchase_for_orders_not_his(buying, client_for, users):
    """Need to know: a merchandiser sees the POs, lines and receipts bought for his orders only."""
    from gendan.accounts.models import User
    from gendan.purchasing.services.receiving import receipt_create
    from gendan.testing.helpers import logged_in_client

    po = buying.po(buying.plan_line(price="12.3456"), sent=True)
    line = po.lines.get()
    receipt = receipt_create(actor=users["warehouse"], line=line, quantity="10", warehouse=buying.warehouse)
    other = User.objects.create(
        username="merch-other",
        display_name="别的跟单",
        role="merchandiser",
        department=users["merchandiser"].department,
    )
    own, stranger = client_for("merchandiser"), logged_in_client(other)
    assert po.number in own.get("/purchasing/po/").content.decode()
    assert po.number not in stranger.get("/purchasing/po/").content.decode()
    assert po.number not in stranger.get("/purchasing/po-lines/").content.decode()
    assert stranger.get(f"/purchasing/po/{po.pk}/").status_code == 404
    assert stranger.get(f"/purchasing/po/{po.pk}/pdf/").status_code == 404
    assert stranger.get(f"/api/purchase-orders/{po.pk}/").status_code == 404
    assert own.get(f"/api/purchase-orders/{po.pk}/").status_code == 200
    assert stranger.get(f"/api/receipts/{receipt.pk}/").status_code == 404
    assert stranger.get("/api/receipts/").json()["count"] == 0
