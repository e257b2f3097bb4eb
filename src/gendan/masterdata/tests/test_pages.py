"""Master-data pages: create, edit, archive and restore behave as a user expects."""

import pytest

from gendan.core.exceptions import WorkflowConflict
from gendan.core.services import record_set_archived
from gendan.masterdata.models import Customer, Product, RoutingOperation, Shift

pytestmark = pytest.mark.django_db


def test_create_edit_archive_restore_customer_on_the_pages(client_merchandiser):
    response = client_merchandiser.post(
        "/masterdata/customer/new/", {"code": "C1", "name": "深圳客户", "credit_status": "ok"}
    )
    customer = Customer.objects.get(code="C1")
    assert response["Location"] == f"/masterdata/customer/{customer.pk}/"
    assert "深圳客户" in client_merchandiser.get(response["Location"]).content.decode()
    client_merchandiser.post(f"/masterdata/customer/{customer.pk}/archive/")
    customer.refresh_from_db()
    assert customer.is_archived

    # The default list shows active records only; the archive filter shows it.
    def listed(url):
        return [obj.code for obj, _values in client_merchandiser.get(url).context["rows"]]

    assert listed("/masterdata/customer/") == []
    assert listed("/masterdata/customer/?archived=archived") == ["C1"]
    assert listed("/masterdata/customer/?archived=all") == ["C1"]
    client_merchandiser.post(f"/masterdata/customer/{customer.pk}/restore/")
    customer.refresh_from_db()
    assert not customer.is_archived


def test_archived_record_cannot_be_edited_on_the_page(client_merchandiser, make):
    customer = make.customer(name="Kept")
    client_merchandiser.post(f"/masterdata/customer/{customer.pk}/archive/")
    response = client_merchandiser.get(f"/masterdata/customer/{customer.pk}/edit/")
    assert response.status_code == 302
    response = client_merchandiser.post(
        f"/masterdata/customer/{customer.pk}/edit/",
        {"code": customer.code, "name": "Changed", "credit_status": "ok"},
        follow=True,
    )
    customer.refresh_from_db()
    assert customer.name == "Kept"
    assert "restore it first" in response.content.decode() or "msg-error" in response.content.decode()


def test_archive_twice_is_a_conflict(users, make):
    customer = make.customer()
    record_set_archived(actor=users["admin"], model=Customer, pk=customer.pk, archived=True)
    with pytest.raises(WorkflowConflict):
        record_set_archived(actor=users["admin"], model=Customer, pk=customer.pk, archived=True)


def test_archive_twice_on_the_page_shows_an_error_not_a_crash(client_merchandiser, make):
    customer = make.customer()
    client_merchandiser.post(f"/masterdata/customer/{customer.pk}/archive/")
    response = client_merchandiser.post(f"/masterdata/customer/{customer.pk}/archive/", follow=True)
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()


def test_form_errors_are_shown_on_the_fields(client_production):
    response = client_production.post(
        "/masterdata/product/new/",
        {"code": "", "name": "x", "kind": "robot", "unit": "pcs", "lead_time_days": -1},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"code", "kind", "lead_time_days"} <= set(form.errors)
    assert Product.objects.count() == 0


def test_shift_form_stores_weekdays_and_rejects_zero_length(client_production, make):
    wc = make.work_centre()
    data = {
        "work_centre": wc.pk,
        "name": "白班",
        "start_time": "08:00",
        "end_time": "17:00",
        "break_minutes": 60,
        "weekdays": ["1", "3", "5"],
    }
    assert client_production.post("/masterdata/shift/new/", data).status_code == 302
    assert Shift.objects.get().weekdays == "1,3,5"
    response = client_production.post("/masterdata/shift/new/", data | {"end_time": "08:00"})
    assert response.status_code == 200 and "end_time" in response.context["form"].errors
    assert Shift.objects.count() == 1


def test_routing_main_work_centre_cannot_be_its_own_alternative(client_production, make):
    product, wc = make.product(), make.work_centre()
    response = client_production.post(
        "/masterdata/operation/new/",
        {
            "product": product.pk,
            "sequence": 10,
            "name": "冲压",
            "work_centre": wc.pk,
            "alternative_work_centres": [wc.pk],
            "setup_minutes": 0,
            "run_minutes": 1,
            "people": 1,
        },
    )
    assert response.status_code == 200
    assert "alternative_work_centres" in response.context["form"].errors
    assert RoutingOperation.objects.count() == 0


def test_list_search_sort_and_paging(client_admin, make):
    for i in range(60):
        make.customer(code=f"K{i:03}", name=f"客户{i}")
    response = client_admin.get("/masterdata/customer/?q=K05")
    codes = [obj.code for obj, _values in response.context["rows"]]
    assert codes == [f"K05{i}" for i in range(10)]
    response = client_admin.get("/masterdata/customer/?sort=-code&per_page=25")
    codes = [obj.code for obj, _values in response.context["rows"]]
    assert codes[0] == "K059" and len(codes) == 25
    response = client_admin.get("/masterdata/customer/?page=2")
    assert len(response.context["rows"]) == 10
    # htmx asks for the table only.
    response = client_admin.get("/masterdata/customer/?q=K00", HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"K001" in response.content
    # An unknown sort key falls back to the default instead of failing.
    assert client_admin.get("/masterdata/customer/?sort=password").status_code == 200


def test_problem_filters_match_the_home_page_counts(client_production, make):
    complete = make.product(code="OK")
    make.operation(product=complete)
    make.bom_line(parent=complete)
    make.product(code="BARE")
    response = client_production.get("/masterdata/product/?problem=no_routing")
    assert [o.code for o, _v in response.context["rows"]] == ["BARE"] + sorted(
        p.code for p in Product.objects.exclude(code__in=["OK", "BARE"]) if not p.operations.exists()
    )


def test_restoring_a_record_that_clashes_with_an_active_one_is_refused(
    client_production, api_for, users, make
):
    product, wc = make.product(), make.work_centre()
    old = make.operation(product=product, work_centre=wc, sequence=10)
    client_production.post(f"/masterdata/operation/{old.pk}/archive/")
    make.operation(product=product, work_centre=wc, sequence=10, name="新工序")
    response = client_production.post(f"/masterdata/operation/{old.pk}/restore/", follow=True)
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()
    old.refresh_from_db()
    assert old.is_archived
    response = api_for("production").post(f"/api/routing-operations/{old.pk}/restore/")
    assert response.status_code == 400
    old.refresh_from_db()
    assert old.is_archived


def test_restoring_a_duplicate_supplier_offer_is_refused(api_purchasing, make):
    offer = make.supplier_material()
    api_purchasing.post(f"/api/supplier-materials/{offer.pk}/archive/")
    make.supplier_material(supplier=offer.supplier, material=offer.material)
    response = api_purchasing.post(f"/api/supplier-materials/{offer.pk}/restore/")
    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.is_archived


def test_main_work_centre_cannot_be_its_own_alternative_through_the_api_or_an_import(
    api_production, users, make
):
    import io

    from openpyxl import Workbook

    from gendan.core.excel import import_workbook
    from gendan.masterdata.imports import ROUTING

    product, wc, other = make.product(code="P1"), make.work_centre(code="WC1"), make.work_centre(code="WC2")
    payload = {
        "product": product.pk,
        "sequence": 10,
        "name": "冲压",
        "work_centre": wc.pk,
        "run_minutes": "1",
    }
    response = api_production.post(
        "/api/routing-operations/", payload | {"alternative_work_centres": [wc.pk]}, format="json"
    )
    assert response.status_code == 400 and "alternative_work_centres" in response.json()
    response = api_production.post(
        "/api/routing-operations/", payload | {"alternative_work_centres": [other.pk]}, format="json"
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = api_production.patch(
        f"/api/routing-operations/{pk}/", {"work_centre": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert RoutingOperation.objects.get(pk=pk).work_centre == wc

    wb = Workbook()
    wb.active.append(
        [
            "Product code",
            "Sequence",
            "Operation",
            "Work centre code",
            "Alternative work centres",
            "Run time per unit (min)",
        ]
    )
    wb.active.append(["P1", 20, "焊接", "WC1", "WC1,WC2", 1])
    buf = io.BytesIO()
    wb.save(buf)
    result = import_workbook(ROUTING, buf.getvalue(), actor=users["production"])
    assert not result.ok
    assert not RoutingOperation.objects.filter(sequence=20).exists()
