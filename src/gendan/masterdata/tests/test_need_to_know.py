"""Need-to-know per field (issue 14, item 4), beyond reading: a hidden field cannot be set (form,
API), sorted or searched by (its values would show through the order or the hits), imported or
exported through the import sheet; the API schema does not promise it in every response.

What each role sees is the table of orders/tests/test_need_to_know.py; here the rules are shown on
the customer's credit."""

import json
from decimal import Decimal

import pytest

from gendan.accounts import roles
from gendan.masterdata.models import Customer


@pytest.fixture
def credit_kept_from_merchandiser(monkeypatch):
    """A role that edits customers but may not see their credit (none does today: the merchandiser
    both edits and sees it), to show that a form or the API cannot set what is hidden."""
    monkeypatch.setitem(roles.FIELD_GROUP_ROLES, "credit", {roles.Role.MANAGEMENT})


@pytest.fixture
def customer(make, users):
    return make.customer(code="C1", merchandiser=users["merchandiser"], credit_limit=Decimal("987654"))


def test_the_edit_form_neither_shows_nor_saves_a_hidden_field(
    credit_kept_from_merchandiser, customer, client_merchandiser
):
    url = f"/masterdata/customer/{customer.pk}/edit/"
    assert 'name="credit_limit"' not in client_merchandiser.get(url).content.decode()
    post = {"code": "C1", "name": "新名字", "credit_limit": "1", "tax_id": "X", "credit_status": "ok"}
    response = client_merchandiser.post(url, post)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.credit_limit, customer.tax_id) == ("新名字", Decimal("987654"), "")


def test_the_api_refuses_to_set_a_hidden_field_and_leaves_it_out(
    credit_kept_from_merchandiser, customer, api_merchandiser
):
    url = f"/api/customers/{customer.pk}/"
    response = api_merchandiser.patch(url, {"credit_limit": "1"}, format="json")
    assert response.status_code == 400
    assert "credit_limit" in response.json()
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("987654")
    response = api_merchandiser.patch(url, {"name": "新名字"}, format="json")
    assert response.status_code == 200
    assert "credit_limit" not in response.json() and "tax_id" not in response.json()


def test_a_hidden_field_is_no_sort_key_and_no_search_term(make, customer, client_for, api_for):
    make.customer(code="C2", credit_limit=Decimal("5"), phone="13900000000")
    Customer.objects.filter(pk=customer.pk).update(phone="13912345678")

    def codes(html: str) -> list[str]:
        return sorted(("C1", "C2"), key=lambda code: html.find(f">{code}<"))

    page = client_for("warehouse").get("/masterdata/customer/?sort=credit_limit").content.decode()
    assert codes(page) == ["C1", "C2"]  # by code, not by credit limit
    page = client_for("merchandiser").get("/masterdata/customer/?sort=credit_limit").content.decode()
    assert codes(page) == ["C2", "C1"]
    api = api_for("warehouse").get("/api/customers/?ordering=credit_limit").json()["results"]
    assert [c["code"] for c in api] == ["C1", "C2"]
    api = api_for("merchandiser").get("/api/customers/?ordering=credit_limit").json()["results"]
    assert [c["code"] for c in api] == ["C2", "C1"]
    # The phone is not searched for those who may not see it: a hit would confirm a guess.
    assert ">C1<" not in client_for("warehouse").get("/masterdata/customer/?q=1391234").content.decode()
    assert ">C1<" in client_for("merchandiser").get("/masterdata/customer/?q=1391234").content.decode()
    assert api_for("warehouse").get("/api/customers/?q=1391234").json()["count"] == 0
    assert api_for("merchandiser").get("/api/customers/?q=1391234").json()["count"] == 1


def test_the_import_sheet_is_for_those_who_see_all_its_columns(
    credit_kept_from_merchandiser, customer, client_merchandiser
):
    for url in ("/masterdata/customer/import/", "/masterdata/customer/import/template/"):
        assert client_merchandiser.get(url).status_code == 403, url
    assert (
        "/masterdata/customer/import/"
        not in client_merchandiser.get("/masterdata/customer/").content.decode()
    )
    # The export is still his list, without the columns he may not see.
    response = client_merchandiser.get("/masterdata/customer/export/")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content), read_only=True).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert "987654" not in " ".join(cells) and "C1" in cells


def test_the_schema_does_not_promise_a_hidden_field_in_every_response(client_admin):
    schema = json.loads(client_admin.get("/api/schema/?format=json").content)
    components = schema["components"]["schemas"]
    assert "unit_price" not in components["SupplierMaterial"].get("required", [])
    assert "unit_price" in components["SupplierMaterialRequest"]["required"]
