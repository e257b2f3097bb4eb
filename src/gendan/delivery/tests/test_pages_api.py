"""The delivery pages and API with the same rules as the services: who sees which shipment, the
actions by status and role (POST), PDFs in Chinese, the signed receipt always a download, a proof
posted for another order's shipment a 404, protected fields not settable."""

import subprocess
import tempfile

import pytest
from django.utils import timezone

from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

from ..choices import ShipmentStatus
from ..models import ProofOfDelivery, Shipment
from .conftest import receipt_photo

pytestmark = pytest.mark.django_db


def _text_of(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, check=True, text=True).stdout


def test_the_merchandiser_arranges_on_the_order_page(dlv, client_merchandiser):
    ready = dlv.order()
    page = client_merchandiser.get(f"/delivery/order/{ready.order.pk}/")
    assert page.status_code == 200 and "安排发货" in page.content.decode()

    response = client_merchandiser.post(
        f"/delivery/order/{ready.order.pk}/",
        {
            f"qty_{ready.line.pk}": "60",
            "method": "logistics",
            "address": ready.address.pk,
            "planned_at": "2030-01-05T09:00",
            "place": "2 号仓",
        },
    )

    shipment = Shipment.objects.get()
    assert response.status_code == 302 and response.url == f"/delivery/shipment/{shipment.pk}/"
    assert shipment.lines.get().quantity == 60 and shipment.created_by.role == "merchandiser"


def test_over_arranging_on_the_page_says_why_and_records_nothing(dlv, client_merchandiser):
    ready = dlv.order(stock_in="50")
    response = client_merchandiser.post(
        f"/delivery/order/{ready.order.pk}/",
        {f"qty_{ready.line.pk}": "80", "method": "pickup", "planned_at": "2030-01-05T09:00"},
        follow=True,
    )
    assert "最多 50" in response.content.decode()
    assert not Shipment.objects.exists()


def test_pages_by_role(dlv, client_for, make, users):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "10")
    other = make.user("merchandiser")
    from django.test import Client

    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(f"/delivery/shipment/{shipment.pk}/").status_code == 404
    assert stranger.post(f"/delivery/shipment/{shipment.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client_for("production").get("/delivery/").status_code == 403
    for role in ("warehouse", "logistics", "management", "merchandiser"):
        assert client_for(role).get(f"/delivery/shipment/{shipment.pk}/").status_code == 200, role
        assert shipment.number in client_for(role).get("/delivery/").content.decode()
    # The warehouse reads but takes no step.
    client_for("warehouse").post(f"/delivery/shipment/{shipment.pk}/cancel/", {"reason": "x"})
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DRAFT
    assert client_for("merchandiser").get(f"/delivery/shipment/{shipment.pk}/confirm/").status_code == 405


def test_ship_before_confirmation_on_the_page_is_refused(dlv, client_logistics):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "10")
    response = client_logistics.post(
        f"/delivery/shipment/{shipment.pk}/ship/", {"vehicle_plate": "苏E1"}, follow=True
    )
    assert "客户尚未确认" in response.content.decode()
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DRAFT


def test_the_whole_way_on_the_pages(dlv, client_merchandiser, client_logistics):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "100")
    client_merchandiser.post(
        f"/delivery/shipment/{shipment.pk}/confirm/",
        {"confirmed_by_name": "李经理", "confirmed_via": "phone"},
    )
    client_logistics.post(
        f"/delivery/shipment/{shipment.pk}/ship/", {"vehicle_plate": "苏E1", "driver": "张"}
    )
    line = shipment.lines.get()
    client_logistics.post(
        f"/delivery/shipment/{shipment.pk}/deliver/",
        {
            "file": receipt_photo(),
            "signed_by": "王先生",
            f"received_{line.pk}": "100",
            f"damaged_{line.pk}": "0",
        },
    )
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DELIVERED
    receipt = client_logistics.get(f"/delivery/shipment/{shipment.pk}/receipt/")
    assert receipt.status_code == 200 and receipt["Content-Disposition"].startswith("attachment")
    client_merchandiser.post(f"/delivery/order/{ready.order.pk}/close/")
    assert Order.objects.get(pk=ready.order.pk).status == OrderStatus.CLOSED


def test_packing_list_and_delivery_note_in_chinese_and_english_without_prices(dlv, client_logistics, users):
    ready = dlv.order()
    Order.objects.filter(pk=ready.order.pk).update(customer_po="PO-778")
    ready.line.unit_price = 123.45
    ready.line.save()
    shipment = dlv.shipment(ready, "100")

    note = _text_of(client_logistics.get(f"/delivery/shipment/{shipment.pk}/delivery-note.pdf").content)
    packing = _text_of(client_logistics.get(f"/delivery/shipment/{shipment.pk}/packing-list.pdf").content)
    users["logistics"].language = "en"
    users["logistics"].save(update_fields=["language"])
    english = _text_of(client_logistics.get(f"/delivery/shipment/{shipment.pk}/delivery-note.pdf").content)

    assert "送货单" in note and "收货人" in note and shipment.number in note and "123.45" not in note
    assert "装箱单" in packing and "PO-778" in packing
    assert "Delivery note" in english


def test_excel_export_follows_the_filters(dlv, client_management):
    ready = dlv.order()
    dlv.shipment(ready, "10")
    response = client_management.get("/delivery/?status=draft&format=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert client_management.get("/delivery/?status=nonsense").status_code == 400
    assert client_management.get("/delivery/?date_from=yesterday").status_code == 400


def test_api_arrange_confirm_ship_deliver(dlv, api_merchandiser, api_logistics):
    ready = dlv.order()
    body = {
        "order": ready.order.pk,
        "method": "express",
        "address": ready.address.pk,
        "planned_at": timezone.now().isoformat(),
        "lines": [{"order_line": ready.line.pk, "quantity": "100"}],
    }
    assert (
        api_merchandiser.post("/api/shipments/", {**body, "status": "shipped"}, format="json").status_code
        == 400
    )
    created = api_merchandiser.post("/api/shipments/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"

    early = api_logistics.post(f"/api/shipments/{pk}/ship/", {"tracking_number": "SF1"}, format="json")
    assert early.status_code == 409
    assert (
        api_logistics.post(
            f"/api/shipments/{pk}/confirm/",
            {"confirmed_by_name": "李", "confirmed_via": "phone"},
            format="json",
        ).status_code
        == 403
    )
    ok = api_merchandiser.post(
        f"/api/shipments/{pk}/confirm/", {"confirmed_by_name": "李", "confirmed_via": "fax"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    missing = api_logistics.post(f"/api/shipments/{pk}/ship/", {}, format="json")
    assert missing.status_code == 400 and "tracking_number" in missing.json()
    assert (
        api_logistics.post(
            f"/api/shipments/{pk}/ship/", {"tracking_number": "SF1"}, format="json"
        ).status_code
        == 200
    )

    line_id = Shipment.objects.get(pk=pk).lines.get().pk
    proof = api_logistics.post(
        "/api/proofs-of-delivery/",
        {
            "shipment": pk,
            "order": ready.order.pk,
            "file": receipt_photo(),
            "signed_by": "王",
            f"received_{line_id}": "100",
        },
        format="multipart",
    )
    assert proof.status_code == 201, proof.content
    assert api_logistics.get(f"/api/proofs-of-delivery/{proof.json()['id']}/").status_code == 200
    assert Order.objects.get(pk=ready.order.pk).status == OrderStatus.DELIVERED


def test_api_proof_for_another_orders_shipment_is_404_and_changes_nothing(dlv, api_logistics):
    first, second = dlv.order(), dlv.order()
    shipment = dlv.shipped(first, "100")

    response = api_logistics.post(
        "/api/proofs-of-delivery/",
        {"shipment": shipment.pk, "order": second.order.pk, "file": receipt_photo(), "signed_by": "王"},
        format="multipart",
    )

    assert response.status_code == 404
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.SHIPPED
    assert not ProofOfDelivery.objects.exists()


def test_api_other_merchandiser_sees_nothing(dlv, make):
    from rest_framework.test import APIClient

    ready = dlv.order()
    shipment = dlv.shipment(ready, "10")
    api = APIClient()
    api.force_authenticate(make.user("merchandiser"))
    assert api.get(f"/api/shipments/{shipment.pk}/").status_code == 404
    assert (
        api.post(f"/api/shipments/{shipment.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    )
    assert api.get("/api/shipments/").json()["count"] == 0


def test_whoever_sees_the_order_reads_its_delivery_panel_but_only_his_shipments(
    dlv, client_production, api_management
):
    ready = dlv.order()
    shipment = dlv.shipment(ready, "10")

    page = client_production.get(f"/delivery/order/{ready.order.pk}/")

    assert page.status_code == 200 and shipment.number not in page.content.decode()
    assert client_production.post(f"/delivery/order/{ready.order.pk}/", {}).status_code == 403
    assert api_management.get("/api/shipments/?status=nonsense").status_code == 400
    assert api_management.get("/api/shipments/?status=draft").json()["count"] == 1


def test_a_shipped_shipment_names_its_carrier_plate_and_driver_each_under_its_label(dlv, client_logistics):
    shipment = dlv.shipped(dlv.order(), "100")
    page = client_logistics.get(f"/delivery/shipment/{shipment.pk}/").content.decode()
    assert "<dt>车牌号</dt><dd>苏E12345</dd>" in page
    assert "<dt>司机</dt><dd>张师傅" in page


def test_who_at_the_customer_confirmed_is_for_those_who_deal_with_him(dlv, client_for, api_for):
    """The warehouse reads shipments to pack them; the customer's people are not its business."""
    shipment = dlv.confirmed(dlv.order(), "100")
    page = f"/delivery/shipment/{shipment.pk}/"
    assert "李经理" in client_for("logistics").get(page).content.decode()
    warehouse_page = client_for("warehouse").get(page).content.decode()
    assert "李经理" not in warehouse_page and "电话" in warehouse_page  # how, not who
    assert "confirmed_by_name" not in api_for("warehouse").get(f"/api/shipments/{shipment.pk}/").json()
    assert api_for("logistics").get(f"/api/shipments/{shipment.pk}/").json()["confirmed_by_name"] == "李经理"
