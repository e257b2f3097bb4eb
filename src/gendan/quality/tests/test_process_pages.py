"""In-process and final inspection's pages and API: the queue by kind, the phone page (the plan
beside the customer's requirements, measurements, photos as downloads, complete), the list's
filters, bad input as messages, another department's record a 404, payloads that set nothing
protected."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from gendan.quality import services_process as svc
from gendan.quality.models import ProcessInspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(line_with_plans, inspector):
    w = line_with_plans
    return svc.process_inspection_create(
        actor=inspector,
        kind="in_process",
        order_line_id=w.line.pk,
        operation_id=w.ops[0].pk,
        lot_quantity=200,
    )


def _png(name="p.png"):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    buf.seek(0)
    buf.name = name
    return buf


def test_the_queue_shows_tasks_by_kind(task, client_for):
    c = client_for("quality")
    page = c.get(reverse("quality:process_queue")).content.decode()
    assert task.order.number in page
    assert task.order.number not in c.get(reverse("quality:process_queue") + "?kind=final").content.decode()
    assert c.get(reverse("quality:process_queue") + "?kind=<bad>").status_code == 200


def test_the_inspector_works_the_lot_on_his_phone(task, client_for, line_with_plans):
    c = client_for("quality")
    url = reverse("quality:process_detail", args=[task.pk])
    page = c.get(url).content.decode()
    assert "外径 20±0.1，无毛刺" in page  # the customer's requirements beside the plan
    c.post(reverse("quality:process_start", args=[task.pk]))
    item = line_with_plans.diameter.pk
    c.post(reverse("quality:process_measure", args=[task.pk]), {"item": item, "unit_no": 1, "value": "20.02"})
    response = c.post(
        reverse("quality:process_measure", args=[task.pk]),
        {"item": item, "unit_no": 2, "value": "2000"},
        follow=True,
    )
    assert "plausible" in response.content.decode() or "不合理" in response.content.decode()
    c.post(reverse("quality:process_photo_add", args=[task.pk]), {"photo": _png()})
    photo = task.photos.get()
    download = c.get(reverse("quality:process_photo", args=[task.pk, photo.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    c.post(reverse("quality:process_complete", args=[task.pk]), {"note": ""})
    task.refresh_from_db()
    assert (task.status, task.measurements.count()) == ("passed", 1)


def test_a_renamed_document_is_no_photo(task, client_for, inspector):
    svc.process_inspection_start(actor=inspector, inspection_id=task.pk)
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "x.png"
    client_for("quality").post(reverse("quality:process_photo_add", args=[task.pk]), {"photo": fake})
    assert not task.photos.exists()


def test_the_list_filters(task, client_for):
    c = client_for("quality")
    assert task.order.number in c.get(reverse("quality:process_list") + "?status=pending").content.decode()
    assert task.order.number not in c.get(reverse("quality:process_list") + "?status=passed").content.decode()
    assert c.get(reverse("quality:process_list") + "?status=bogus&created_after=x").status_code == 200


def test_another_merchandisers_order_is_a_404_and_production_only_reads(task, make, client, client_for):
    other = make.user(role="merchandiser")
    client.force_login(other)
    assert client.get(reverse("quality:process_detail", args=[task.pk])).status_code == 404
    assert (
        client_for("merchandiser").get(reverse("quality:process_detail", args=[task.pk])).status_code == 200
    )
    production = client_for("production")
    assert production.get(reverse("quality:process_detail", args=[task.pk])).status_code == 200
    assert production.post(reverse("quality:process_start", args=[task.pk])).status_code == 403
    assert client_for("logistics").get(reverse("quality:process_queue")).status_code == 403
    assert client_for("quality").get(reverse("quality:process_detail", args=[999999])).status_code == 404


def test_a_task_by_hand_from_the_page(line_with_plans, client_for):
    c = client_for("quality")
    assert c.get(reverse("quality:process_create")).status_code == 200
    response = c.post(
        reverse("quality:process_create"),
        {"kind": "final", "order_line": line_with_plans.line.pk, "lot_quantity": 0},
    )
    assert response.status_code == 200 and not ProcessInspection.objects.exists()
    c.post(
        reverse("quality:process_create"),
        {"kind": "final", "order_line": line_with_plans.line.pk, "lot_quantity": 7},
    )
    assert ProcessInspection.objects.get().lot_quantity == 7


def test_the_api_runs_an_inspection(line_with_plans, api_for):
    api = api_for("quality")
    w = line_with_plans
    made = api.post(
        "/api/process-inspections/",
        {"kind": "in_process", "order_line": w.line.pk, "operation": w.ops[0].pk, "lot_quantity": 50},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    refused = api.post(
        "/api/process-inspections/",
        {"kind": "final", "order_line": w.line.pk, "lot_quantity": 5, "status": "passed"},
        format="json",
    )
    assert refused.status_code == 400 and "status" in refused.json()
    assert api.post(f"/api/process-inspections/{pk}/start/").status_code == 200
    bad = api.post(
        f"/api/process-inspections/{pk}/measurements/",
        {"item": w.diameter.pk, "unit_no": 1, "value": "99999"},
        format="json",
    )
    assert bad.status_code == 400 and "value" in bad.json()
    api.post(
        f"/api/process-inspections/{pk}/measurements/",
        {"item": w.diameter.pk, "unit_no": 1, "value": "20.3"},
        format="json",
    )
    done = api.post(f"/api/process-inspections/{pk}/complete/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "failed"
    assert api.post(f"/api/process-inspections/{pk}/complete/", {}, format="json").status_code == 409
    assert api_for("production").post(f"/api/process-inspections/{pk}/start/").status_code == 403
    assert api_for("production").get(f"/api/process-inspections/{pk}/").status_code == 200


def test_the_order_dossier_links_its_inspections(task, users):
    from gendan.core.registry import record_links

    links = record_links(users["merchandiser"], task.order)
    assert any("process" in url and task.order.number in url for _text, url in links)
