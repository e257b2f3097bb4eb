"""R-0.8: each person sees and changes only what their role allows; the pages and the API agree."""

import pytest

from gendan.masterdata.models import Customer, Product, Supplier

pytestmark = pytest.mark.django_db

ALL = {"admin", "merchandiser", "production", "purchasing", "quality", "warehouse", "logistics", "management"}
SUPPLIER_READERS = {"admin", "merchandiser", "purchasing", "quality", "management"}
# Those who talk to the customer (issue 14: need-to-know); the others see the customer, not whom to call.
CUSTOMER_TALKERS = {"admin", "merchandiser", "management"}

# (url, roles that get the page); everyone else gets 403.
PAGES = [
    ("/masterdata/customer/", ALL),
    ("/masterdata/contact/", CUSTOMER_TALKERS),
    ("/masterdata/address/", ALL),
    ("/masterdata/product/", ALL),
    ("/masterdata/material/", ALL),
    ("/masterdata/bomline/", ALL),
    ("/masterdata/operation/", ALL),
    ("/masterdata/workcentre/", ALL),
    ("/masterdata/shift/", ALL),
    ("/masterdata/calendarday/", ALL),
    ("/masterdata/supplier/", SUPPLIER_READERS),
    ("/masterdata/suppliercontact/", SUPPLIER_READERS),
    ("/masterdata/suppliermaterial/", SUPPLIER_READERS),
    ("/inventory/warehouse/", ALL),
    ("/inventory/stocklevel/", ALL),
    ("/inventory/movement/", ALL),
    ("/accounts/user/", {"admin"}),
    ("/accounts/department/", {"admin"}),
    ("/audit/", {"admin", "management"}),
    # Forms for new records: only the owners of the data.
    ("/masterdata/customer/new/", {"admin", "merchandiser"}),
    ("/masterdata/contact/new/", {"admin", "merchandiser"}),
    ("/masterdata/product/new/", {"admin", "production"}),
    ("/masterdata/bomline/new/", {"admin", "production"}),
    ("/masterdata/operation/new/", {"admin", "production"}),
    ("/masterdata/workcentre/new/", {"admin", "production"}),
    ("/masterdata/shift/new/", {"admin", "production"}),
    ("/masterdata/material/new/", {"admin", "production", "purchasing"}),
    ("/masterdata/supplier/new/", {"admin", "purchasing"}),
    ("/masterdata/suppliermaterial/new/", {"admin", "purchasing"}),
    ("/inventory/warehouse/new/", {"admin", "warehouse"}),
    ("/inventory/movement/new/", {"admin", "warehouse"}),
    ("/accounts/user/new/", {"admin"}),
    ("/accounts/department/new/", {"admin"}),
    ("/masterdata/customer/import/", {"admin", "merchandiser"}),
    ("/masterdata/supplier/import/", {"admin", "purchasing"}),
]


@pytest.mark.parametrize("role", sorted(ALL))
def test_pages_per_role(client_for, role):
    client = client_for(role)
    wrong = []
    for url, allowed in PAGES:
        status = client.get(url).status_code
        expected = 200 if role in allowed else 403
        if status != expected:
            wrong.append((url, status, expected))
    assert wrong == []


def test_menu_shows_only_what_the_role_may_open(client_for):
    html = client_for("logistics").get("/").content.decode()
    assert "/masterdata/customer/" in html
    assert "/masterdata/supplier/" not in html
    assert "/accounts/user/" not in html
    assert "/accounts/user/" in client_for("admin").get("/").content.decode()


def test_supplier_detail_is_hidden_from_roles_without_supplier_access(client_for, api_for, make):
    supplier = make.supplier()
    assert client_for("logistics").get(f"/masterdata/supplier/{supplier.pk}/").status_code == 403
    assert client_for("logistics").get(f"/masterdata/supplier/{supplier.pk}/history/").status_code == 403
    assert client_for("logistics").get("/masterdata/supplier/export/").status_code == 403
    assert api_for("logistics").get(f"/api/suppliers/{supplier.pk}/").status_code == 403
    assert api_for("logistics").get("/api/suppliers/").status_code == 403
    assert client_for("quality").get(f"/masterdata/supplier/{supplier.pk}/").status_code == 200


def test_material_detail_does_not_show_supplier_prices_to_roles_without_supplier_access(client_for, make):
    offer = make.supplier_material(unit_price="8.88")
    url = f"/masterdata/material/{offer.material.pk}/"
    assert offer.supplier.name in client_for("purchasing").get(url).content.decode()
    html = client_for("production").get(url).content.decode()
    assert offer.supplier.name not in html


def test_state_changes_are_post_only(client_merchandiser, make):
    customer = make.customer()
    assert client_merchandiser.get(f"/masterdata/customer/{customer.pk}/archive/").status_code == 405
    assert client_merchandiser.get(f"/masterdata/customer/{customer.pk}/restore/").status_code == 405
    customer.refresh_from_db()
    assert not customer.is_archived
    response = client_merchandiser.post(f"/masterdata/customer/{customer.pk}/archive/")
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.is_archived


def test_roles_cannot_change_others_data(client_for, make):
    product = make.product()
    response = client_for("merchandiser").post(f"/masterdata/product/{product.pk}/archive/")
    assert response.status_code == 403
    response = client_for("merchandiser").post(
        f"/masterdata/product/{product.pk}/edit/", {"code": product.code, "name": "hacked"}
    )
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.name != "hacked" and not product.is_archived
    assert (
        client_for("logistics").post("/masterdata/customer/new/", {"code": "X", "name": "X"}).status_code
        == 403
    )
    assert not Customer.objects.filter(code="X").exists()


def test_read_only_ledgers_have_no_edit_pages(client_admin, make):
    movement = make.stock()
    level = movement.warehouse.levels.get()
    assert client_admin.get("/inventory/stocklevel/new/").status_code == 404
    assert client_admin.get(f"/inventory/stocklevel/{level.pk}/edit/").status_code == 404
    assert client_admin.get(f"/inventory/movement/{movement.pk}/edit/").status_code == 404
    assert client_admin.post(f"/inventory/movement/{movement.pk}/archive/").status_code == 404
    assert client_admin.get(f"/inventory/stocklevel/{level.pk}/").status_code == 200


def test_page_form_cannot_set_protected_fields(client_merchandiser):
    response = client_merchandiser.post(
        "/masterdata/customer/new/",
        {
            "code": "P1",
            "name": "x",
            "credit_status": "ok",
            "is_archived": "on",
            "created_at": "2000-01-01 00:00",
        },
    )
    assert response.status_code == 302
    customer = Customer.objects.get(code="P1")
    assert customer.is_archived is False
    assert customer.created_at.year >= 2026


def test_api_payload_cannot_set_protected_fields(api_merchandiser):
    response = api_merchandiser.post(
        "/api/customers/",
        {"code": "P1", "name": "x", "is_archived": True, "created_at": "2000-01-01T00:00:00Z", "id": 999},
        format="json",
    )
    assert response.status_code == 201, response.content
    customer = Customer.objects.get(code="P1")
    assert customer.is_archived is False
    assert customer.created_at.year >= 2026
    assert response.json()["is_archived"] is False
    response = api_merchandiser.patch(f"/api/customers/{customer.pk}/", {"is_archived": True}, format="json")
    customer.refresh_from_db()
    assert customer.is_archived is False


def test_anonymous_is_sent_to_login_and_refused_by_the_api(client, make):
    customer = make.customer()
    for url in ["/", "/masterdata/customer/", f"/masterdata/customer/{customer.pk}/", "/accounts/user/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.post(f"/masterdata/customer/{customer.pk}/archive/")
    assert response.status_code == 302
    customer.refresh_from_db()
    assert not customer.is_archived
    from rest_framework.test import APIClient

    api = APIClient()
    assert api.get("/api/customers/").status_code in (401, 403)
    assert api.post("/api/customers/", {"code": "Z", "name": "Z"}, format="json").status_code in (401, 403)
    assert not Customer.objects.filter(code="Z").exists()


def test_inactive_user_has_no_permissions(users):
    user = users["production"]
    assert user.has_perm("masterdata.change_product")
    user.is_active = False
    assert not user.has_perm("masterdata.change_product")


def test_api_uses_the_same_role_table(api_for, make):
    response = api_for("purchasing").post("/api/suppliers/", {"code": "S1", "name": "供应商"}, format="json")
    assert response.status_code == 201
    response = api_for("merchandiser").post(
        "/api/suppliers/", {"code": "S2", "name": "供应商"}, format="json"
    )
    assert response.status_code == 403
    assert list(Supplier.objects.values_list("code", flat=True)) == ["S1"]
    product = make.product()
    assert api_for("merchandiser").post(f"/api/products/{product.pk}/archive/").status_code == 403
    assert (
        api_for("merchandiser")
        .patch(f"/api/products/{product.pk}/", {"name": "x"}, format="json")
        .status_code
        == 403
    )
    assert api_for("merchandiser").get("/api/users/").status_code == 403
    assert api_for("admin").get("/api/users/").status_code == 200
    assert Product.objects.get().is_archived is False
