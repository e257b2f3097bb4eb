"""R-8.3: the HTTP API — authentication, the same services and rules as the pages, clear errors."""

import re

import pytest
from rest_framework.test import APIClient

from gendan.core.models import AuditEntry
from gendan.masterdata.models import BomLine, Customer

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_the_right_password_and_authenticates(users):
    api = APIClient()
    response = api.post("/api/token/", {"username": "merchandiser", "password": "wrong"}, format="json")
    assert response.status_code == 400
    from gendan.testing import TEST_PASSWORD as PASSWORD

    response = api.post("/api/token/", {"username": "merchandiser", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/customers/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/customers/").status_code in (401, 403)


def test_token_of_a_deactivated_user_stops_working(api_for, users):
    api = api_for("merchandiser", token=True)
    assert api.get("/api/customers/").status_code == 200
    users["merchandiser"].is_active = False
    users["merchandiser"].save()
    assert api.get("/api/customers/").status_code in (401, 403)


def test_session_authentication_works(api_merchandiser, make):
    make.customer(code="C1")
    response = api_merchandiser.get("/api/customers/")
    assert response.status_code == 200
    assert [c["code"] for c in response.json()["results"]] == ["C1"]


def test_customer_lifecycle(api_merchandiser):
    response = api_merchandiser.post("/api/customers/", {"code": "C1", "name": "华东"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    response = api_merchandiser.put(
        f"/api/customers/{pk}/", {"code": "C1", "name": "华东贸易", "credit_status": "hold"}, format="json"
    )
    assert response.status_code == 200 and response.json()["name"] == "华东贸易"
    response = api_merchandiser.get(f"/api/customers/{pk}/")
    assert response.json()["credit_status"] == "hold"

    assert api_merchandiser.post(f"/api/customers/{pk}/archive/").json()["is_archived"] is True
    # An archived record is not in the default list, but is with ?archived=all.
    assert api_merchandiser.get("/api/customers/").json()["count"] == 0
    assert api_merchandiser.get("/api/customers/?archived=all").json()["count"] == 1
    assert api_merchandiser.post(f"/api/customers/{pk}/archive/").status_code == 409
    assert api_merchandiser.post(f"/api/customers/{pk}/restore/").json()["is_archived"] is False
    assert api_merchandiser.post(f"/api/customers/{pk}/restore/").status_code == 409

    history = api_merchandiser.get(f"/api/customers/{pk}/history/").json()["results"]
    assert [h["action"] for h in history] == ["restore", "archive", "update", "create"]


def test_archive_conflict_message(api_merchandiser, make):
    customer = make.customer()
    api_merchandiser.post(f"/api/customers/{customer.pk}/archive/")
    response = api_merchandiser.post(f"/api/customers/{customer.pk}/archive/")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert AuditEntry.objects.filter(action="archive").count() == 1


def test_archived_record_cannot_be_edited_through_the_api(api_merchandiser, make):
    customer = make.customer(name="Old")
    api_merchandiser.post(f"/api/customers/{customer.pk}/archive/")
    # Still readable by id (with its history), but not editable until restored.
    response = api_merchandiser.get(f"/api/customers/{customer.pk}/")
    assert response.status_code == 200 and response.json()["is_archived"] is True
    response = api_merchandiser.get(f"/api/customers/{customer.pk}/history/")
    assert [h["action"] for h in response.json()["results"]] == ["archive"]
    response = api_merchandiser.patch(f"/api/customers/{customer.pk}/", {"name": "New"}, format="json")
    assert response.status_code == 409
    customer.refresh_from_db()
    assert customer.name == "Old"


def test_no_hard_delete(api_admin, make):
    customer = make.customer()
    assert api_admin.delete(f"/api/customers/{customer.pk}/").status_code in (403, 405)
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_validation_errors_name_the_fields(api_for, make):
    api = api_for("merchandiser")
    response = api.post("/api/customers/", {"code": "", "email": "nope", "credit_limit": "-1"}, format="json")
    assert response.status_code == 400
    assert {"code", "name", "email"} <= set(response.json())
    make.customer(code="DUP")
    response = api.post("/api/customers/", {"code": "DUP", "name": "x"}, format="json")
    assert response.status_code == 400 and "code" in response.json()
    # Model rules that only the model knows (full_clean) come back as field errors too.
    wc = make.work_centre()
    response = api_for("production").post(
        "/api/shifts/",
        {"work_centre": wc.pk, "name": "夜班", "start_time": "08:00", "end_time": "08:00", "weekdays": "1,9"},
        format="json",
    )
    assert response.status_code == 400
    assert "weekdays" in response.json()


def test_bom_lines_through_the_api_reject_cycles(api_production, make):
    a, b = make.product(code="A"), make.product(code="B")
    response = api_production.post(
        "/api/bom-lines/", {"parent": a.pk, "component_product": b.pk, "quantity": "1"}, format="json"
    )
    assert response.status_code == 201
    response = api_production.post(
        "/api/bom-lines/", {"parent": b.pk, "component_product": a.pk, "quantity": "1"}, format="json"
    )
    assert response.status_code == 400
    assert "A → B → A" in str(response.json()["component_product"]) or "B → A → B" in str(response.json())
    response = api_production.post("/api/bom-lines/", {"parent": a.pk, "quantity": "1"}, format="json")
    assert response.status_code == 400
    assert BomLine.objects.count() == 1


def test_warehouse_and_stock_movement_api(api_for, make):
    api = api_for("warehouse")
    response = api.post("/api/warehouses/", {"code": "W1", "name": "原料仓"}, format="json")
    assert response.status_code == 201
    wh = response.json()["id"]
    material = make.material()
    response = api.post(
        "/api/stock-movements/",
        {
            "warehouse": wh,
            "material": material.pk,
            "kind": "receipt",
            "quantity": "10",
            "balance_after": "999",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["balance_after"] == "10.0000"
    response = api.post(
        "/api/stock-movements/",
        {"warehouse": wh, "material": material.pk, "kind": "issue", "quantity": "11"},
        format="json",
    )
    assert response.status_code == 400
    assert "quantity" in response.json()
    levels = api.get("/api/stock-levels/").json()["results"]
    assert [(lv["material"], lv["quantity"]) for lv in levels] == [(material.pk, "10.0000")]
    assert api.post(f"/api/warehouses/{wh}/archive/").status_code == 400
    assert (
        api_for("merchandiser")
        .post(
            "/api/stock-movements/",
            {"warehouse": wh, "material": material.pk, "kind": "receipt", "quantity": "1"},
            format="json",
        )
        .status_code
        == 403
    )


def test_schema_is_openapi_3(client_merchandiser):
    response = client_merchandiser.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/customers/", "/api/customers/{id}/archive/", "/api/stock-movements/", "/api/users/"]:
        assert path in schema["paths"], path


def test_api_docs_load_without_a_cdn(client_merchandiser):
    client = client_merchandiser
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    external = re.findall(r'(?:src|href)\s*=\s*["\'](https?://[^"\']+)', html)
    assert external == []
    for asset in re.findall(r'(?:src|href)\s*=\s*["\'](/static/[^"\']+)', html):
        assert client.get(asset).status_code == 200, asset


def test_the_api_description_is_only_for_people_who_have_logged_in(client, api_for):
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/schema/?format=json").status_code in (401, 403)
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/api/docs/"
    # A program with a token reads the schema as a person with a session does.
    assert api_for("production", token=True).get("/api/schema/?format=json").status_code == 200
    assert api_for("production").get("/api/schema/?format=json").status_code == 200


def test_errors_about_the_whole_record_use_drfs_non_field_errors_key(api_production, make):
    wc = make.work_centre()
    payload = {"work_centre": wc.pk, "date": "2026-10-01", "kind": "holiday"}
    assert api_production.post("/api/calendar-days/", payload, format="json").status_code == 201
    response = api_production.post("/api/calendar-days/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}
