"""core.permissions: one question, `restrict(user, action)`, answered by the role table and then by
the records' own rules; the same answer for a list, one record, a service and a page's buttons."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.core.permissions import require
from gendan.masterdata.models import Customer
from gendan.orders.models import Order

pytestmark = pytest.mark.django_db


def test_the_action_names_its_permission():
    customers = Customer.objects.all()
    assert customers.permission("view") == "masterdata.view_customer"
    assert customers.permission("archive") == "masterdata.change_customer"  # archiving is a change
    assert customers.permission("restore") == "masterdata.change_customer"
    assert Order.objects.all().permission("release") == "orders.release_order"


def test_the_role_table_comes_first(users, make):
    customer = make.customer()
    assert customer in Customer.objects.restrict(users["merchandiser"], "change")
    assert customer in Customer.objects.restrict(users["warehouse"], "view")
    assert not Customer.objects.restrict(users["warehouse"], "change").exists()
    with pytest.raises(PermissionDenied):
        require(users["warehouse"], Customer, "add")
    require(users["merchandiser"], Customer, "add")
    require(None, Customer, "add")  # the system itself (a task, a command) is not restricted


def test_inactive_and_anonymous_users_may_do_nothing(users, make):
    from django.contrib.auth.models import AnonymousUser

    make.customer()
    user = users["admin"]
    user.is_active = False
    assert not Customer.objects.restrict(user, "view").exists()
    assert not Customer.objects.restrict(AnonymousUser(), "view").exists()


def test_get_for_tells_missing_from_forbidden(users, make, orders):
    order = orders.draft()
    assert Order.objects.get_for(users["merchandiser"], "release", pk=order.pk) == order
    with pytest.raises(PermissionDenied):
        Order.objects.get_for(users["production"], "release", pk=order.pk)
    with pytest.raises(Order.DoesNotExist):
        Order.objects.get_for(users["merchandiser"], "release", pk=order.pk + 1000)
    assert Order.objects.get_for(None, "release", pk=order.pk) == order


def test_a_pages_buttons_cost_at_most_one_query(users, make, orders):
    order = orders.draft()
    customer = make.customer()
    with CaptureQueriesContext(connection) as queries:
        allowed = Order.objects.allowed_actions(
            users["merchandiser"], order, ["view", "change", "review", "release"]
        )
    assert allowed == {"view", "change", "review", "release"} and len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        allowed = Customer.objects.allowed_actions(
            users["merchandiser"], customer, ["view", "change", "archive"]
        )
    # Customers have no rule of their own: the role table answers without asking the database.
    assert allowed == {"view", "change", "archive"} and len(queries) == 0
