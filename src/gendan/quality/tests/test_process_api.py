"""The API's in-process and final inspection steps obey the pages' rules, step by step: quality
takes them; a role that reads the inspection but may not inspect gets a 403; someone who may not
see it (another merchandiser's order) a 404; a step the inspection's state does not allow a 409;
bad input a 400 naming the field, with nothing recorded. Measurements no part can have (too large,
not a number, below zero where the characteristic cannot be) are refused by the service itself,
so the page and the API say the same."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from gendan.quality import services_process as svc
from gendan.quality.models import DefectCode, InspectionPlanItem, ProcessInspection

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _photo():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, format="PNG")
    return SimpleUploadedFile("lot.png", buf.getvalue(), content_type="image/png")


@pytest.fixture
def stranger(make):
    return make.user(role="merchandiser")


@pytest.fixture
def pending(line_with_plans, inspector):
    w = line_with_plans
    return svc.process_inspection_create(
        actor=inspector, kind="in_process", order_line_id=w.line.pk, operation_id=w.ops[0].pk, lot_quantity=50
    )


@pytest.fixture
def started(pending, inspector):
    return svc.process_inspection_start(actor=inspector, inspection_id=pending.pk)


@pytest.fixture
def code(db):
    return DefectCode.objects.create(code="D07", name="划伤")


def _url(obj, step):
    return f"/api/process-inspections/{obj.pk}/{step}/"


def _status(obj):
    return ProcessInspection.objects.get(pk=obj.pk).status


def test_create(line_with_plans, users):
    body = {"kind": "final", "order_line": line_with_plans.line.pk, "lot_quantity": 5}
    assert _api(users["production"]).post("/api/process-inspections/", body, format="json").status_code == 403
    assert (
        _api(users["merchandiser"]).post("/api/process-inspections/", body, format="json").status_code == 403
    )
    no_plan = _api(users["quality"]).post(
        "/api/process-inspections/",
        body | {"kind": "in_process", "operation": line_with_plans.ops[1].pk},
        format="json",
    )
    assert no_plan.status_code == 400 and "operation" in no_plan.json()
    zero = _api(users["quality"]).post("/api/process-inspections/", body | {"lot_quantity": 0}, format="json")
    assert zero.status_code == 400 and "lot_quantity" in zero.json()
    assert not ProcessInspection.objects.exists()
    made = _api(users["quality"]).post("/api/process-inspections/", body, format="json")
    assert made.status_code == 201 and made.json()["status"] == "pending"


def test_start(pending, users, stranger):
    assert _api(users["production"]).post(_url(pending, "start")).status_code == 403
    assert _api(stranger).post(_url(pending, "start")).status_code == 404
    assert _api(users["quality"]).post("/api/process-inspections/999999/start/").status_code == 404
    assert _status(pending) == "pending"
    done = _api(users["quality"]).post(_url(pending, "start"))
    assert done.status_code == 200 and done.json()["status"] == "in_progress"
    again = _api(users["quality"]).post(_url(pending, "start"))
    assert again.status_code == 409 and again.json()["detail"]


def test_measurements(pending, line_with_plans, users, stranger, inspector):
    body = {"item": line_with_plans.diameter.pk, "unit_no": 1, "value": "20.02"}
    early = _api(users["quality"]).post(_url(pending, "measurements"), body, format="json")
    assert early.status_code == 409  # not started
    svc.process_inspection_start(actor=inspector, inspection_id=pending.pk)
    assert (
        _api(users["production"]).post(_url(pending, "measurements"), body, format="json").status_code == 403
    )
    assert _api(stranger).post(_url(pending, "measurements"), body, format="json").status_code == 404
    assert not pending.measurements.exists()
    done = _api(users["quality"]).post(_url(pending, "measurements"), body, format="json")
    assert done.status_code == 200 and done.json()["measurements"][0]["ok"] is True


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("1e12", "1e12"),
        ("-1e12", "1e12"),
        ("NaN", "数字"),
        ("inf", "数字"),
        ("-Infinity", "数字"),
        ("abc", "数字"),
        ("200", "不合理"),  # 200 for 20.0: a slip of the decimal point
        ("-20.02", "-20.02"),  # a diameter has no sign
    ],
)
def test_a_measurement_no_part_can_have_is_refused_naming_the_value(
    started, line_with_plans, users, value, said
):
    response = _api(users["quality"]).post(
        _url(started, "measurements"),
        {"item": line_with_plans.diameter.pk, "unit_no": 1, "value": value},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert said in " ".join(response.json()["value"])
    assert not started.measurements.exists()


@pytest.fixture
def flatness(line_with_plans):
    """Flatness 0.02 [0, 0.05] mm: ten bands reach -0.48, yet no flatness is below zero."""
    return InspectionPlanItem.objects.create(
        plan=line_with_plans.in_process,
        characteristic="平面度",
        kind="measured",
        nominal=Decimal("0.02"),
        lower_limit=Decimal("0"),
        upper_limit=Decimal("0.05"),
        unit="mm",
        frequency="first",
    )


def test_below_zero_is_refused_where_the_characteristic_has_no_sign_but_not_for_a_temperature(
    started, flatness, inspector, line_with_plans
):
    with pytest.raises(ValidationError) as exc:
        svc.process_measurement_record(
            actor=inspector, inspection_id=started.pk, item_id=flatness.pk, unit_no=1, value="-0.03"
        )
    assert "value" in exc.value.message_dict and "平面度" in str(exc.value)
    assert svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=flatness.pk, unit_no=1, value="0.03"
    ).ok
    cold = InspectionPlanItem.objects.create(
        plan=line_with_plans.in_process,
        characteristic="冷藏温度",
        kind="measured",
        nominal=Decimal("5"),
        lower_limit=Decimal("2"),
        upper_limit=Decimal("8"),
        unit="℃",
        frequency="first",
    )
    frozen = svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=cold.pk, unit_no=1, value="-1.5"
    )
    assert (frozen.value, frozen.ok) == (Decimal("-1.5"), False)  # recorded, and out of limits
    offset = InspectionPlanItem.objects.create(
        plan=line_with_plans.in_process,
        characteristic="位置度偏差",
        kind="measured",
        nominal=Decimal("0"),
        lower_limit=Decimal("-0.05"),
        upper_limit=Decimal("0.05"),
        unit="mm",
        frequency="first",
    )
    assert svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=offset.pk, unit_no=1, value="-0.02"
    ).ok


def test_defects_added_and_removed(pending, users, stranger, inspector, code):
    body = {"code": code.pk, "count": 2}
    assert _api(users["quality"]).post(_url(pending, "defects"), body, format="json").status_code == 409
    svc.process_inspection_start(actor=inspector, inspection_id=pending.pk)
    assert _api(users["production"]).post(_url(pending, "defects"), body, format="json").status_code == 403
    assert _api(stranger).post(_url(pending, "defects"), body, format="json").status_code == 404
    zero = _api(users["quality"]).post(_url(pending, "defects"), body | {"count": 0}, format="json")
    assert zero.status_code == 400 and "count" in zero.json()
    added = _api(users["quality"]).post(_url(pending, "defects"), body, format="json")
    assert added.status_code == 200 and added.json()["nonconforming"] == 2
    defect = added.json()["defects"][0]["id"]

    remove = _url(pending, "remove-defect")
    assert _api(users["production"]).post(remove, {"defect": defect}, format="json").status_code == 403
    assert _api(stranger).post(remove, {"defect": defect}, format="json").status_code == 404
    other = _api(users["quality"]).post(remove, {"defect": 999999}, format="json")
    assert other.status_code == 400 and "defect" in other.json()
    gone = _api(users["quality"]).post(remove, {"defect": defect}, format="json")
    assert gone.status_code == 200 and gone.json()["defects"] == [] and gone.json()["nonconforming"] == 0

    again = (
        _api(users["quality"]).post(_url(pending, "defects"), body, format="json").json()["defects"][0]["id"]
    )
    _api(users["quality"]).post(
        _url(pending, "measurements"),
        {"item": pending.plan.items.get().pk, "unit_no": 1, "value": "20"},
        format="json",
    )
    assert _api(users["quality"]).post(_url(pending, "complete"), {}, format="json").status_code == 200
    late = _api(users["quality"]).post(remove, {"defect": again}, format="json")
    assert late.status_code == 409 and pending.defects.count() == 1


def test_photos(started, users, stranger, inspector, line_with_plans):
    url = _url(started, "photos")
    assert _api(users["production"]).post(url, {"photo": _photo()}, format="multipart").status_code == 403
    assert _api(stranger).post(url, {"photo": _photo()}, format="multipart").status_code == 404
    text = SimpleUploadedFile("lot.png", b"not an image", content_type="image/png")
    bad = _api(users["quality"]).post(url, {"photo": text}, format="multipart")
    assert bad.status_code == 400 and not started.photos.exists()
    assert _api(users["quality"]).post(url, {"photo": _photo()}, format="multipart").status_code == 200
    svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=line_with_plans.diameter.pk, unit_no=1, value="20"
    )
    svc.process_inspection_complete(actor=inspector, inspection_id=started.pk)
    late = _api(users["quality"]).post(url, {"photo": _photo()}, format="multipart")
    assert late.status_code == 409 and started.photos.count() == 1


def test_complete(pending, users, stranger, inspector, line_with_plans):
    url = _url(pending, "complete")
    assert _api(users["quality"]).post(url, {}, format="json").status_code == 409  # pending
    svc.process_inspection_start(actor=inspector, inspection_id=pending.pk)
    assert _api(users["production"]).post(url, {}, format="json").status_code == 403
    assert _api(stranger).post(url, {}, format="json").status_code == 404
    missing = _api(users["quality"]).post(url, {}, format="json")
    assert missing.status_code == 400 and "item" in missing.json()
    assert _status(pending) == "in_progress"
    svc.process_measurement_record(
        actor=inspector, inspection_id=pending.pk, item_id=line_with_plans.diameter.pk, unit_no=1, value="20"
    )
    done = _api(users["quality"]).post(url, {"note": "合格"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "passed"
    assert _api(users["quality"]).post(url, {}, format="json").status_code == 409
