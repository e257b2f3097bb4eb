"""Every list page costs the same number of queries for 1 row as for 50 (no N+1): a list of
a few thousand records must stay fast on a factory PC with SQLite."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.accounts import views as account_views
from gendan.core.audit import audit_record
from gendan.inventory import views as inventory_views
from gendan.masterdata import views as masterdata_views

pytestmark = pytest.mark.django_db

ENTITIES = [*masterdata_views.ALL, *inventory_views.ALL, account_views.users, account_views.departments]


class Rows:
    """Adds one more row of an entity, with the related records an N+1 would trip over."""

    def __init__(self, make, users):
        self.make, self.users = make, users
        self.wh = None

    def customer(self):
        self.make.customer(merchandiser=self.make.user(display_name="跟单员"))

    def contact(self):
        self.make.contact()

    def address(self):
        self.make.address()

    def product(self):
        product = self.make.product()
        self.make.operation(product=product)
        self.make.bom_line(parent=product)

    def material(self):
        self.make.supplier_material(material=self.make.material())

    def bomline(self):
        self.make.bom_line(material=self.make.material())
        self.make.bom_line(product=self.make.product())

    def operation(self):
        self.make.operation(alternatives=[self.make.work_centre(), self.make.work_centre()])

    def workcentre(self):
        self.make.shift(work_centre=self.make.work_centre())

    def shift(self):
        self.make.shift()

    def calendarday(self):
        self.make.calendar_day(work_centre=self.make.work_centre())
        self.make.calendar_day()

    def supplier(self):
        self.make.supplier_contact(supplier=self.make.supplier())

    def suppliercontact(self):
        self.make.supplier_contact()

    def suppliermaterial(self):
        self.make.supplier_material()

    def warehouse(self):
        self.make.warehouse(keeper=self.make.user(role="warehouse"))

    def _warehouse(self):
        if self.wh is None:
            self.wh = self.make.warehouse()
        return self.wh

    def stocklevel(self):
        self.make.stock(self._warehouse(), 5, material=self.make.material(), actor=self.users["warehouse"])
        self.make.stock(self._warehouse(), 5, product=self.make.product(), actor=self.users["warehouse"])

    def movement(self):
        self.stocklevel()

    def user(self):
        self.make.user(department=self.make.department())

    def department(self):
        user = self.make.user()
        department = self.make.department(manager=user)
        audit_record(actor=user, obj=department, action="create", changes={"code": [None, department.code]})


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], response


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: f"{e.namespace}:{e.slug}")
def test_list_page_queries_do_not_grow_with_rows(entity, client_admin, make, users):
    rows = Rows(make, users)
    url = f"/{entity.namespace}/{entity.slug}/"
    add = getattr(rows, entity.slug)
    add()
    count_queries(client_admin, url)  # warm caches (content types, session)
    one, _sql, response = count_queries(client_admin, url)
    shown_one = len(response.context["rows"])
    for _ in range(24):
        add()
    many, sql, response = count_queries(client_admin, url)
    shown_many = len(response.context["rows"])
    assert shown_many >= 25 > shown_one
    assert many == one, "\n".join(sql)


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: f"{e.namespace}:{e.slug}")
def test_detail_and_history_pages_queries_do_not_grow_with_history(entity, client_admin, make, users):
    rows = Rows(make, users)
    getattr(rows, entity.slug)()
    obj = entity.model.objects.order_by("pk").first()
    url = f"/{entity.namespace}/{entity.slug}/{obj.pk}/"

    def change(n):
        audit_record(actor=users["admin"], obj=obj, action="update", changes={"name": [str(n), str(n + 1)]})

    change(0)
    count_queries(client_admin, url)
    one_detail = count_queries(client_admin, url)[0]
    one_history = count_queries(client_admin, url + "history/")[0]
    for n in range(1, 12):
        change(n)
    many_detail, sql, _r = count_queries(client_admin, url)
    assert many_detail == one_detail, "\n".join(sql)
    many_history, sql, _r = count_queries(client_admin, url + "history/")
    assert many_history == one_history, "\n".join(sql)


@pytest.mark.parametrize(
    "url", ["/api/customers/", "/api/routing-operations/", "/api/bom-lines/", "/api/stock-movements/"]
)
def test_api_list_queries_do_not_grow(url, api_admin, make, users):
    rows = Rows(make, users)
    add = {
        "/api/customers/": rows.customer,
        "/api/routing-operations/": rows.operation,
        "/api/bom-lines/": rows.bomline,
        "/api/stock-movements/": rows.movement,
    }[url]
    add()
    api_admin.get(url)
    with CaptureQueriesContext(connection) as one:
        api_admin.get(url)
    for _ in range(20):
        add()
    with CaptureQueriesContext(connection) as many:
        response = api_admin.get(url)
    assert response.json()["count"] > 20
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


def test_export_queries_do_not_grow(client_admin, make, users):
    rows = Rows(make, users)
    rows.operation()
    client_admin.get("/masterdata/operation/export/")
    with CaptureQueriesContext(connection) as one:
        client_admin.get("/masterdata/operation/export/")
    for _ in range(20):
        rows.operation()
    with CaptureQueriesContext(connection) as many:
        client_admin.get("/masterdata/operation/export/")
    assert len(many) == len(one)


def test_home_page_queries_do_not_grow(client_production, make):
    for _ in range(3):
        make.product()
        make.work_centre()
    client_production.get("/")
    with CaptureQueriesContext(connection) as few:
        client_production.get("/")
    for _ in range(30):
        make.product(lead_time_days=Decimal(3))
        make.work_centre()
    with CaptureQueriesContext(connection) as many:
        client_production.get("/")
    assert len(many) == len(few)
