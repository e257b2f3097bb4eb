"""Receiving's pages and API: the keeper finds the open line by PO number or material and receives
on his phone; who may receive and who reads; bad input answered with the field named and nothing
changed; the API answers as the pages do."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.purchasing.models import Receipt
from gendan.purchasing.services.receiving import receipt_create

from .receiving_rows import po_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(make, users):
    return po_line(make, actor=users["purchasing"], merchandiser=users["merchandiser"], quantity="100")


def test_the_keeper_finds_the_line_by_po_number_or_material_and_receives(client_for, line):
    client = client_for("warehouse")
    for term in (line.order.number, line.material.code):
        page = client.get(reverse("receiving:receive"), {"q": term})
        assert page.status_code == 200 and line.order.number in page.content.decode()
    response = client.post(
        reverse("receiving:receive"), {"line": line.pk, "quantity": "40", "q": line.order.number}
    )
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "receiving:receipt_detail", args=[receipt.pk]
    )
    assert receipt.quantity == 40 and receipt.warehouse_id == line.order.warehouse_id


def test_a_round_quantity_is_said_as_it_is(client_for, line, users):
    """200.0000 is "200" in the message and on the order's timeline, never "2E+2"."""
    from gendan.core.models import AuditEntry

    users["warehouse"].language = "en"
    users["warehouse"].save(update_fields=["language"])
    client = client_for("warehouse")
    with translation.override("en"):
        page = client.post(
            reverse("receiving:receive"),
            {"line": line.pk, "quantity": "100", "q": line.order.number},
            follow=True,
        ).content.decode()
    assert "Received 100 as" in page and "E+" not in page
    notes = " ".join(AuditEntry.objects.values_list("note_en", flat=True))
    assert "100 of" in notes and "E+" not in notes


def test_too_much_is_refused_on_the_page_with_the_allowed_maximum(client_for, line, users):
    users["warehouse"].language = "en"  # the page speaks the user's own language
    users["warehouse"].save(update_fields=["language"])
    with translation.override("en"):
        response = client_for("warehouse").post(
            reverse("receiving:receive"), {"line": line.pk, "quantity": "106", "q": line.order.number}
        )
    assert response.status_code == 400
    assert "at most 105 can be received" in response.content.decode()
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("data", [{"line": "x", "quantity": "1"}, {"line": 1, "quantity": "-1"}, {}])
def test_bad_input_is_a_400_and_changes_nothing(client_for, line, data):
    assert client_for("warehouse").post(reverse("receiving:receive"), data).status_code == 400
    assert not Receipt.objects.exists()


def test_a_line_he_cannot_receive_against_is_a_404(client_for, line):
    response = client_for("warehouse").post(reverse("receiving:receive"), {"line": 999999, "quantity": "1"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["quality", "purchasing", "merchandiser", "logistics"])
def test_only_the_warehouse_receives(client_for, line, role):
    client = client_for(role)
    assert client.get(reverse("receiving:receive")).status_code == 403
    assert client.post(reverse("receiving:receive"), {"line": line.pk, "quantity": "1"}).status_code == 403
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("role", ["merchandiser", "purchasing", "quality", "warehouse", "management"])
def test_these_roles_read_receipts(client_for, users, line, role):
    receipt = receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(10))
    client = client_for(role)
    assert receipt.number in client.get(reverse("receiving:receipt_list")).content.decode()
    assert client.get(reverse("receiving:receipt_detail", args=[receipt.pk])).status_code == 200


def test_logistics_reads_no_receipt(client_for, users, line):
    receipt = receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(10))
    client = client_for("logistics")
    assert client.get(reverse("receiving:receipt_list")).status_code == 403
    assert client.get(reverse("receiving:receipt_detail", args=[receipt.pk])).status_code == 404


def test_the_api_receives_like_the_page(api_for, line):
    api = api_for("warehouse")
    created = api.post("/api/receipts/", {"line": line.pk, "quantity": "40"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "in_inspection" and created.json()["number"].startswith("SH-")
    too_much = api.post("/api/receipts/", {"line": line.pk, "quantity": "64"}, format="json")
    assert too_much.status_code == 400 and "quantity" in too_much.json()
    assert api.post("/api/receipts/", {"line": 999999, "quantity": "1"}, format="json").status_code == 400
    assert api.post("/api/receipts/", {"line": line.pk, "quantity": "-1"}, format="json").status_code == 400
    assert Receipt.objects.count() == 1
    assert (
        api_for("quality")
        .post("/api/receipts/", {"line": line.pk, "quantity": "1"}, format="json")
        .status_code
        == 403
    )
    listed = api_for("merchandiser").get("/api/receipts/", {"status": "in_inspection"})
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert api_for("merchandiser").get("/api/receipts/", {"status": "nope"}).status_code == 400
    assert api_for("logistics").get("/api/receipts/").status_code == 403


def test_a_replacement_is_received_against_its_case(client_for, users, line):
    from gendan.purchasing.services.cases import case_decide, case_open

    rejected = receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(100))
    case = case_open(actor=users["quality"], receipt=rejected, quantity=Decimal(100))
    # Purchasing asks for a replacement: the supplier owes the 100 on the line again.
    case = case_decide(actor=users["purchasing"], case=case, kind="replacement")
    client = client_for("warehouse")
    page = client.get(reverse("receiving:receive"), {"q": line.order.number}).content.decode()
    assert case.number in page
    response = client.post(
        reverse("receiving:receive"),
        {"line": line.pk, "quantity": "100", "case": case.pk, "q": line.order.number},
    )
    replacement = Receipt.objects.get(case=case)
    assert response.status_code == 302 and replacement.is_replacement
    line.refresh_from_db()
    assert line.received_qty == 100  # the replacement is not counted against the order again
    # Without naming the case, the fully received line takes nothing more.
    more = client.post(
        reverse("receiving:receive"), {"line": line.pk, "quantity": "1", "q": line.order.number}
    )
    assert more.status_code == 400 and Receipt.objects.count() == 2
