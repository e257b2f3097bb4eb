"""Incoming inspection's pages and API: who sees what, who may act, photos refused when not an image
or too large, bad input answered with a clear message and nothing changed, the API the same as the
pages."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from gendan.purchasing.models import Receipt
from gendan.quality.models import Inspection, InspectionPhoto
from gendan.quality.services import inspection_start

pytestmark = pytest.mark.django_db


def _png(name="photo.png") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, "PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


@pytest.fixture
def started(users, receive):
    return inspection_start(actor=users["quality"], receipt_id=receive("500").pk)


@pytest.mark.parametrize("role", ["merchandiser", "purchasing", "warehouse", "quality", "management"])
def test_these_roles_read_the_queue_list_and_an_inspection(client_for, started, role):
    client = client_for(role)
    assert client.get(reverse("quality:queue")).status_code == 200
    assert client.get(reverse("quality:inspection_list")).status_code == 200
    page = client.get(reverse("quality:inspection_detail", args=[started.pk]))
    assert page.status_code == 200
    with translation.override("en"):
        assert started.receipt.number in page.content.decode()


def test_logistics_reads_no_inspection(client_for, started):
    client = client_for("logistics")
    assert client.get(reverse("quality:inspection_list")).status_code == 403
    assert client.get(reverse("quality:inspection_detail", args=[started.pk])).status_code == 404


def test_the_inspector_sees_the_sample_size_and_ac_re_before_he_counts(client_for, receive):
    receipt = receive("500")
    page = client_for("quality").get(reverse("quality:queue")).content.decode()
    assert receipt.number in page and "n = 50" in page and "Ac 1 / Re 2" in page


def test_the_queue_names_the_severity_in_the_readers_language(client_for, receive, users):
    users["quality"].language = "zh-hans"
    users["quality"].save(update_fields=["language"])
    receive("500")
    with translation.override("zh-hans"):
        page = client_for("quality").get(reverse("quality:queue")).content.decode()
    assert "正常 · II · AQL" in page and "normal ·" not in page


def test_the_inspector_starts_records_and_completes_through_the_pages(client_for, receive, defect, users):
    client = client_for("quality")
    receipt = receive("500")
    response = client.post(reverse("quality:inspection_start"), {"receipt": receipt.pk})
    inspection = Inspection.objects.get(receipt=receipt)
    assert response.status_code == 302 and response.url == reverse(
        "quality:inspection_detail", args=[inspection.pk]
    )
    client.post(reverse("quality:defect_add", args=[inspection.pk]), {"code": defect.pk, "count": 2})
    client.post(reverse("quality:photo_add", args=[inspection.pk]), {"photo": _png()})
    client.post(reverse("quality:inspection_complete", args=[inspection.pk]), {})
    inspection.refresh_from_db()
    assert inspection.result == "rejected" and inspection.photos.count() == 1
    download = client.get(reverse("quality:photo", args=[inspection.pk, inspection.photos.get().pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "merchandiser"])
def test_only_quality_starts_and_completes(client_for, receive, started, role):
    client = client_for(role)
    receipt = receive("50")
    assert client.post(reverse("quality:inspection_start"), {"receipt": receipt.pk}).status_code == 403
    assert client.post(reverse("quality:inspection_complete", args=[started.pk]), {}).status_code == 403
    assert not Inspection.objects.filter(receipt=receipt).exists()


def test_a_negative_count_is_refused_with_a_message_and_nothing_changes(client_for, started, defect):
    with translation.override("en"):
        response = client_for("quality").post(
            reverse("quality:defect_add", args=[started.pk]), {"code": defect.pk, "count": -2}, follow=True
        )
    assert "Count" in response.content.decode() or "count" in response.content.decode()
    assert not started.defects.exists()


def test_a_photo_that_is_not_an_image_is_refused(client_for, started, users):
    users["quality"].language = "en"  # the page speaks the user's own language
    users["quality"].save(update_fields=["language"])
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with translation.override("en"):
        response = client_for("quality").post(
            reverse("quality:photo_add", args=[started.pk]), {"photo": fake}, follow=True
        )
    assert "not an image" in response.content.decode()
    assert not InspectionPhoto.objects.exists()
    script = SimpleUploadedFile("photo.html", b"<script>alert(1)</script>", content_type="text/html")
    client_for("quality").post(reverse("quality:photo_add", args=[started.pk]), {"photo": script})
    assert not InspectionPhoto.objects.exists()


@override_settings(GENDAN_INSPECTION_PHOTO_MAX_BYTES=50)
def test_a_photo_too_large_is_refused(client_for, started, users):
    users["quality"].language = "en"  # the page speaks the user's own language
    users["quality"].save(update_fields=["language"])
    with translation.override("en"):
        response = client_for("quality").post(
            reverse("quality:photo_add", args=[started.pk]), {"photo": _png()}, follow=True
        )
    assert "too large" in response.content.decode()
    assert not InspectionPhoto.objects.exists()


def test_bad_ids_are_404_not_500(client_for, started):
    client = client_for("quality")
    assert client.get(reverse("quality:inspection_detail", args=[999999])).status_code == 404
    assert client.post(reverse("quality:inspection_start"), {"receipt": "abc"}).status_code == 404
    assert client.post(reverse("quality:inspection_start"), {"receipt": 999999}).status_code == 404
    assert (
        client.get(reverse("quality:inspection_list"), {"supplier": "x", "status": "nope"}).status_code == 200
    )


# ---------------------------------------------------------------- API


def test_the_api_starts_records_and_completes_like_the_pages(api_for, receive, defect):
    api = api_for("quality")
    receipt = receive("500")
    started = api.post("/api/inspections/start/", {"receipt": receipt.pk}, format="json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert (body["sample_size"], body["accept_number"], body["reject_number"]) == (50, 1, 2)
    pk = body["id"]
    assert (
        api.post(
            f"/api/inspections/{pk}/defects/", {"code": defect.pk, "count": -1}, format="json"
        ).status_code
        == 400
    )
    assert (
        api.post(
            f"/api/inspections/{pk}/defects/", {"code": defect.pk, "count": 1}, format="json"
        ).status_code
        == 200
    )
    photo = api.post(f"/api/inspections/{pk}/photos/", {"photo": _png()}, format="multipart")
    assert photo.status_code == 200 and len(photo.json()["photos"]) == 1
    again = api.post("/api/inspections/start/", {"receipt": receipt.pk}, format="json")
    assert again.status_code == 409
    done = api.post(f"/api/inspections/{pk}/complete/", {}, format="json")
    assert done.status_code == 200 and done.json()["result"] == "accepted"
    assert Receipt.objects.get(pk=receipt.pk).accepted_qty == Decimal(500)
    assert api.post(f"/api/inspections/{pk}/complete/", {}, format="json").status_code == 409


def test_the_api_refuses_others_and_filters_like_the_page(api_for, started):
    assert (
        api_for("warehouse")
        .post("/api/inspections/start/", {"receipt": started.receipt_id}, format="json")
        .status_code
        == 403
    )
    assert api_for("logistics").get("/api/inspections/").status_code == 403
    listed = api_for("merchandiser").get("/api/inspections/", {"status": "in_progress"})
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert api_for("merchandiser").get("/api/inspections/", {"status": "nope"}).status_code == 400


def test_the_inspector_home_page_shows_the_goods_waiting(client_for, receive, users):
    users["quality"].language = "en"  # the page speaks the user's own language
    users["quality"].save(update_fields=["language"])
    receipt = receive("50")
    with translation.override("en"):
        page = client_for("quality").get("/").content.decode()
    assert "Goods waiting for incoming inspection" in page and receipt.number in page


def _supplier_options(client) -> str:
    page = client.get(reverse("quality:inspection_list")).content.decode()
    start = page.index('name="supplier"')
    return page[start : page.index("</select>", start)]


def test_the_supplier_filter_offers_suppliers_only_to_who_may_see_them(client_for, started):
    option = f'<option value="{started.supplier_id}">'
    assert option in _supplier_options(client_for("quality"))
    assert option not in _supplier_options(client_for("warehouse"))


def test_the_receipt_page_links_to_its_inspection(client_for, receive, users):
    receipt = receive("50")
    queue = reverse("quality:queue")
    assert (
        queue
        in client_for("warehouse")
        .get(reverse("receiving:receipt_detail", args=[receipt.pk]))
        .content.decode()
    )
    started = inspection_start(actor=users["quality"], receipt_id=receipt.pk)
    page = (
        client_for("merchandiser")
        .get(reverse("receiving:receipt_detail", args=[receipt.pk]))
        .content.decode()
    )
    assert reverse("quality:inspection_detail", args=[started.pk]) in page
