"""R-8.1: every change to business data is recorded with who, when, from where and what changed."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import Workbook

from gendan.core.audit import audit_source
from gendan.core.excel import import_workbook
from gendan.core.models import AuditEntry
from gendan.core.services import record_create, record_set_archived, record_update
from gendan.masterdata.imports import CUSTOMERS
from gendan.masterdata.models import Customer

pytestmark = pytest.mark.django_db


def entries_for(obj):
    ct = ContentType.objects.get_for_model(obj.__class__)
    return list(AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id"))


def test_create_update_archive_restore_through_services_are_recorded(users):
    actor = users["merchandiser"]
    customer = record_create(actor=actor, model=Customer, data={"code": "C1", "name": "华南电子"})
    record_update(
        actor=actor, model=Customer, pk=customer.pk, data={"name": "华南电子有限公司", "phone": "0755"}
    )
    record_set_archived(actor=actor, model=Customer, pk=customer.pk, archived=True)
    record_set_archived(actor=actor, model=Customer, pk=customer.pk, archived=False)

    create, update, archive, restore = entries_for(customer)
    assert [e.action for e in (create, update, archive, restore)] == [
        "create",
        "update",
        "archive",
        "restore",
    ]
    assert all(
        e.actor == actor and e.actor_name == "merchandiser" for e in (create, update, archive, restore)
    )
    # Outside a request the change comes from a command (or the shell).
    assert {e.source for e in (create, update, archive, restore)} == {"command"}
    assert create.changes["code"] == [None, "C1"]
    assert create.changes["name"] == [None, "华南电子"]
    assert update.changes == {"name": ["华南电子", "华南电子有限公司"], "phone": ["", "0755"]}
    assert archive.changes == {"is_archived": [False, True]}
    assert restore.changes == {"is_archived": [True, False]}


def test_update_that_changes_nothing_writes_no_entry(users, make):
    customer = make.customer(name="Same")
    record_update(actor=users["admin"], model=Customer, pk=customer.pk, data={"name": "Same"})
    assert entries_for(customer) == []


def test_related_record_and_decimal_are_recorded_readably(users, make):
    customer = make.customer()
    record_update(
        actor=users["merchandiser"],
        model=Customer,
        pk=customer.pk,
        data={"merchandiser": users["merchandiser"], "credit_limit": "1500.50"},
    )
    (entry,) = entries_for(customer)
    assert entry.changes["merchandiser"] == [None, "Merchandiser User"]
    assert entry.changes["credit_limit"] == [None, "1500.5"]


def test_audit_source_context(users):
    with audit_source("task"):
        customer = record_create(actor=None, model=Customer, data={"code": "T1", "name": "T"})
    (entry,) = entries_for(customer)
    assert entry.source == "task"
    assert entry.actor is None and entry.actor_name == "system"


def test_page_post_is_recorded_as_web(client_merchandiser, user_merchandiser):
    response = client_merchandiser.post(
        "/masterdata/customer/new/", {"code": "W1", "name": "网页客户", "credit_status": "ok"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    customer = Customer.objects.get(code="W1")
    response = client_merchandiser.post(
        f"/masterdata/customer/{customer.pk}/edit/",
        {"code": "W1", "name": "网页客户二", "credit_status": "hold"},
    )
    assert response.status_code == 302
    response = client_merchandiser.post(f"/masterdata/customer/{customer.pk}/archive/")
    assert response.status_code == 302
    create, update, archive = entries_for(customer)
    assert (create.source, create.actor, create.action) == ("web", user_merchandiser, "create")
    assert update.source == "web"
    assert (archive.source, archive.action, archive.changes) == (
        "web",
        "archive",
        {"is_archived": [False, True]},
    )
    assert update.changes == {"name": ["网页客户", "网页客户二"], "credit_status": ["ok", "hold"]}


def test_api_call_is_recorded_as_api(api_for, users):
    api = api_for("merchandiser", token=True)
    response = api.post("/api/customers/", {"code": "A1", "name": "接口客户"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.patch(f"/api/customers/{pk}/", {"phone": "123"}, format="json")
    assert response.status_code == 200
    response = api.post(f"/api/customers/{pk}/archive/")
    assert response.status_code == 200
    create, update, archive = entries_for(Customer.objects.get(pk=pk))
    assert {create.source, update.source, archive.source} == {"api"}
    assert create.actor == update.actor == archive.actor == users["merchandiser"]
    assert update.changes == {"phone": ["", "123"]}


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_import_is_recorded_as_import_with_field_changes(users, make):
    existing = make.customer(code="E1", name="旧名")
    data = _sheet([["Customer code", "Customer name"], ["E1", "新名"], ["N1", "新客户"]])
    result = import_workbook(CUSTOMERS, data, actor=users["merchandiser"])
    assert result.ok, result.errors
    (update,) = entries_for(existing)
    assert (update.source, update.action, update.actor) == ("import", "import_update", users["merchandiser"])
    assert update.changes == {"name": ["旧名", "新名"]}
    (create,) = entries_for(Customer.objects.get(code="N1"))
    assert (create.source, create.action) == ("import", "import_create")
    assert create.changes["name"] == [None, "新客户"]


def test_stock_movement_is_recorded(users, make):
    movement = make.stock(quantity=5, actor=users["warehouse"])
    (entry,) = entries_for(movement)
    assert entry.action == "stock_move"
    assert entry.actor == users["warehouse"]
    assert entry.changes == {"quantity": ["0", "5"]}


def test_history_page_shows_who_what_and_old_new_values(client_merchandiser, users, make):
    customer = make.customer(name="Before Name")
    record_update(actor=users["merchandiser"], model=Customer, pk=customer.pk, data={"name": "After Name"})
    response = client_merchandiser.get(f"/masterdata/customer/{customer.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merchandiser User" in html
    assert "Before Name" in html and "After Name" in html
    # The detail page shows the recent changes too.
    html = client_merchandiser.get(f"/masterdata/customer/{customer.pk}/").content.decode()
    assert "After Name" in html and "Before Name" in html


def test_history_api_lists_entries(api_for, users, make):
    customer = make.customer(name="X")
    record_update(actor=users["admin"], model=Customer, pk=customer.pk, data={"name": "Y"})
    response = api_for("merchandiser").get(f"/api/customers/{customer.pk}/history/")
    assert response.status_code == 200
    (entry,) = response.json()["results"]
    assert entry["changes"] == {"name": ["X", "Y"]}
    assert entry["actor_name"] == "admin"
    assert entry["source"] == "command"


def test_audit_trail_page_is_for_management_and_admin(client_for, make, users):
    record_create(actor=users["admin"], model=Customer, data={"code": "Z9", "name": "Zed"})
    assert client_for("management").get("/audit/").status_code == 200
    assert "Z9 Zed" in client_for("admin").get("/audit/").content.decode()
    assert client_for("merchandiser").get("/audit/").status_code == 403


def test_many_to_many_changes_are_recorded(api_production, make):
    wc1, wc2, wc3 = make.work_centre(code="WC1"), make.work_centre(code="WC2"), make.work_centre(code="WC3")
    op = make.operation(work_centre=wc1, alternatives=[wc2])
    response = api_production.patch(
        f"/api/routing-operations/{op.pk}/", {"alternative_work_centres": [wc2.pk, wc3.pk]}, format="json"
    )
    assert response.status_code == 200
    (entry,) = entries_for(op)
    assert entry.changes == {"alternative_work_centres": [[str(wc2)], [str(wc2), str(wc3)]]}
