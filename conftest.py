"""Fixtures for the whole project: test settings, one user (and logged-in client) per role, factories.

Usage in a test module:

    def test_x(make, users, client_for):
        customer = make.customer(code="C1")
        response = client_for("merchandiser").get("/masterdata/customer/")

Per role there are also named fixtures: `user_<role>`, `client_<role>` and `api_<role>`
(e.g. `client_warehouse`, `api_purchasing`).
"""

from __future__ import annotations

import datetime
import itertools
import os
import shutil
import tempfile
from decimal import Decimal

import pytest

from gendan.testing import TEST_PASSWORD as PASSWORD
from gendan.testing.demo_checks import check_modules

# The demo checks are plain modules run by tests/demo/test_demo.py: rewrite their asserts as a test
# module's are, before anything imports them.
pytest.register_assert_rewrite(*check_modules())

_TMP = tempfile.mkdtemp(prefix="gendan-tests-")


def pytest_configure(config):
    from django.conf import settings
    from django.core.signals import setting_changed

    # Background tasks run at once, in the test's thread (the worker is not running in tests).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Declaring a task builds its backend, and apps declare tasks while Django starts (before this
    # hook): tell django-tasks the setting changed so it builds the immediate backend instead.
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
    settings.MEDIA_ROOT = os.path.join(_TMP, "media")
    settings.STATIC_ROOT = os.path.join(_TMP, "static")  # WhiteNoise wants it to exist
    os.makedirs(settings.STATIC_ROOT, exist_ok=True)
    # The test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and not (db.get("TEST") or {}).get("NAME"):
        # A file, not SQLite's shared-cache memory database: the real pragmas (WAL, busy timeout)
        # apply, and threads in the race tests each get their own connection to the same data.
        db.setdefault("TEST", {})["NAME"] = os.path.join(_TMP, "test.sqlite3")


def pytest_unconfigure(config):
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(scope="module")
def demo_factory(django_db_setup, django_db_blocker):
    """The demo factory, built once per module and rolled back at its end (a build takes half a
    minute). Each test still runs in its own savepoint inside it, so what a test changes is gone
    before the next. Yields what `build_demo_factory` returns."""
    from django.db import transaction

    from gendan.core.demo import build_demo_factory

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_factory()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (a request in English must not leak into the next)."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def zh_terms():
    """Make sure the Chinese catalogue knows some terms: the real translation where the catalogue is
    compiled, else the given stand-in. Tests can then tell Chinese output from English either way.

        zh = zh_terms({"Needs your attention": "需要您处理"})
        assert zh["Needs your attention"] in html
    """
    from django.utils.translation import trans_real

    catalog = trans_real.translation("zh-hans")._catalog
    added = []

    def add(pairs: dict[str, str]) -> dict[str, str]:
        for en, zh in pairs.items():
            if catalog.get(en) in (None, "", en):
                catalog[en] = zh
                added.append(en)
        return {en: catalog.get(en) for en in pairs}

    yield add
    for en in added:
        catalog._catalogs[0].pop(en, None)


# ---------------------------------------------------------------- people

ROLES = [
    "admin",
    "merchandiser",
    "production",
    "purchasing",
    "quality",
    "warehouse",
    "logistics",
    "management",
]
ROLE_DEPARTMENT = {
    "admin": "other",
    "merchandiser": "merchandising",
    "production": "production",
    "purchasing": "purchasing",
    "quality": "quality",
    "warehouse": "warehouse",
    "logistics": "logistics",
    "management": "management",
}


@pytest.fixture
def departments(db):
    """One department per kind, keyed by kind."""
    from gendan.accounts.choices import DepartmentKind
    from gendan.accounts.models import Department

    return {
        kind.value: Department.objects.create(code=kind.value.upper()[:20], name=str(kind.label), kind=kind)
        for kind in DepartmentKind
    }


@pytest.fixture
def users(db, departments):
    """One active user per role, keyed by role, each in the department of that role."""
    from gendan.accounts.models import User

    result = {}
    for role in ROLES:
        user = User(
            username=role,
            display_name=f"{role.title()} User",
            role=role,
            department=departments[ROLE_DEPARTMENT[role]],
        )
        user.set_password(PASSWORD)
        user.save()
        result[role] = user
    return result


@pytest.fixture
def client_for(users):
    """A logged-in Django test client for a role: `client_for("warehouse")`."""
    from django.test import Client

    cache = {}

    def get(role: str) -> Client:
        if role not in cache:
            client = Client()
            client.force_login(users[role])
            cache[role] = client
        return cache[role]

    return get


@pytest.fixture
def api_for(users):
    """A DRF API client for a role, by session (default) or by token: `api_for("admin", token=True)`."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def get(role: str, *, token: bool = False) -> APIClient:
        client = APIClient()
        if token:
            key = Token.objects.get_or_create(user=users[role])[0].key
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            client.force_login(users[role])
        return client

    return get


def _role_fixtures(role: str):
    @pytest.fixture(name=f"user_{role}")
    def user_fixture(users):
        return users[role]

    @pytest.fixture(name=f"client_{role}")
    def client_fixture(client_for):
        return client_for(role)

    @pytest.fixture(name=f"api_{role}")
    def api_fixture(api_for):
        return api_for(role)

    return user_fixture, client_fixture, api_fixture


for _role in ROLES:
    for _fixture in _role_fixtures(_role):
        globals()[f"_{_fixture.__name__}_{_role}"] = _fixture


# ---------------------------------------------------------------- master data


class Factory:
    """Small factories: every call makes a new valid record; keyword arguments override fields."""

    def __init__(self):
        self._seq = itertools.count(1)

    def n(self) -> int:
        return next(self._seq)

    def customer(self, **kw):
        from gendan.masterdata.models import Customer

        n = self.n()
        return Customer.objects.create(**{"code": f"C{n:04}", "name": f"客户{n}", **kw})

    def contact(self, customer=None, **kw):
        from gendan.masterdata.models import CustomerContact

        return CustomerContact.objects.create(
            **{"customer": customer or self.customer(), "name": f"联系人{self.n()}", **kw}
        )

    def address(self, customer=None, **kw):
        from gendan.masterdata.models import DeliveryAddress

        return DeliveryAddress.objects.create(
            **{"customer": customer or self.customer(), "label": f"仓库{self.n()}", "address": "深圳", **kw}
        )

    def product(self, **kw):
        from gendan.masterdata.models import Product

        n = self.n()
        return Product.objects.create(**{"code": f"P{n:04}", "name": f"产品{n}", **kw})

    def material(self, **kw):
        from gendan.masterdata.models import Material

        n = self.n()
        return Material.objects.create(**{"code": f"M{n:04}", "name": f"物料{n}", **kw})

    def bom_line(self, parent=None, *, material=None, product=None, **kw):
        from gendan.masterdata.models import BomLine

        if material is None and product is None:
            material = self.material()
        return BomLine.objects.create(
            **{
                "parent": parent or self.product(),
                "component_material": material,
                "component_product": product,
                "quantity": Decimal("2"),
                **kw,
            }
        )

    def work_centre(self, **kw):
        from gendan.masterdata.models import WorkCentre

        n = self.n()
        return WorkCentre.objects.create(**{"code": f"WC{n:03}", "name": f"车间{n}", **kw})

    def shift(self, work_centre=None, **kw):
        from gendan.masterdata.models import Shift

        return Shift.objects.create(
            **{
                "work_centre": work_centre or self.work_centre(),
                "name": "白班",
                "start_time": datetime.time(8),
                "end_time": datetime.time(17),
                "break_minutes": 60,
                **kw,
            }
        )

    def calendar_day(self, work_centre=None, **kw):
        from gendan.masterdata.models import CalendarDay

        return CalendarDay.objects.create(
            **{
                "work_centre": work_centre,
                "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=self.n()),
                "kind": "holiday",
                **kw,
            }
        )

    def operation(self, product=None, work_centre=None, *, alternatives=(), **kw):
        from gendan.masterdata.models import RoutingOperation

        op = RoutingOperation.objects.create(
            **{
                "product": product or self.product(),
                "sequence": self.n() * 10,
                "name": "装配",
                "work_centre": work_centre or self.work_centre(),
                "run_minutes": Decimal("1.5"),
                **kw,
            }
        )
        if alternatives:
            op.alternative_work_centres.set(alternatives)
        return op

    def supplier(self, **kw):
        from gendan.masterdata.models import Supplier

        n = self.n()
        return Supplier.objects.create(**{"code": f"S{n:04}", "name": f"供应商{n}", **kw})

    def supplier_contact(self, supplier=None, **kw):
        from gendan.masterdata.models import SupplierContact

        return SupplierContact.objects.create(
            **{"supplier": supplier or self.supplier(), "name": f"联系人{self.n()}", **kw}
        )

    def supplier_material(self, supplier=None, material=None, **kw):
        from gendan.masterdata.models import SupplierMaterial

        return SupplierMaterial.objects.create(
            **{
                "supplier": supplier or self.supplier(),
                "material": material or self.material(),
                "unit_price": Decimal("1.25"),
                **kw,
            }
        )

    def warehouse(self, **kw):
        from gendan.inventory.models import Warehouse

        n = self.n()
        return Warehouse.objects.create(**{"code": f"W{n:03}", "name": f"仓库{n}", **kw})

    def stock(self, warehouse=None, quantity=10, *, material=None, product=None, actor=None, kind="receipt"):
        """Put goods into a warehouse through the stock service; returns the movement."""
        from gendan.inventory.services import stock_move

        if material is None and product is None:
            material = self.material()
        return stock_move(
            actor=actor,
            warehouse=warehouse or self.warehouse(),
            quantity=Decimal(quantity),
            kind=kind,
            material=material,
            product=product,
        )

    def department(self, **kw):
        from gendan.accounts.models import Department

        n = self.n()
        return Department.objects.create(**{"code": f"D{n:03}", "name": f"部门{n}", "kind": "other", **kw})

    def user(self, role="merchandiser", password=PASSWORD, **kw):
        from gendan.accounts.models import User

        user = User(**{"username": f"user{self.n()}", "role": role, **kw})
        user.set_password(password)
        user.save()
        return user


@pytest.fixture
def make(db):
    return Factory()
