"""Order fixtures: a customer owned by the merchandiser, a product, clean lines, and orders driven
through the real services to each stage of the flow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.orders import services
from gendan.orders.models import Order
from gendan.orders.services.review import order_check_capacity


def clean_line(product, **kw) -> dict:
    """A line the review finds nothing wrong with."""
    return {
        "product": product,
        "quantity": Decimal("100"),
        "unit_price": Decimal("12.5"),
        "delivery_date": timezone.localdate() + dt.timedelta(days=60),
        "quality_requirements": "AQL 1.0",
        "packaging_requirements": "彩盒，每箱 2 台",
        **kw,
    }


class Orders:
    """Builds orders through the services, as the merchandiser would."""

    def __init__(self, make, users, customer, product):
        self.make, self.users = make, users
        self.customer, self.product = customer, product

    @property
    def approver(self):
        """A second person who decides customer changes (never who recorded them): management."""
        return self.users["management"]

    def approver_client(self):
        from django.test import Client

        client = Client()
        client.force_login(self.approver)
        return client

    def draft(self, *, lines=None, n_lines=1, owner=None, **data) -> Order:
        owner = owner or self.users["merchandiser"]
        if lines is None:
            lines = [clean_line(self.product) for _ in range(n_lines)]
        header = {
            "customer": self.customer,
            "customer_po": f"PO-{self.make.n()}",
            "merchandiser": owner,
            **data,
        }
        return services.order_create(actor=owner, data=header, lines=lines)

    def in_review(self, **kw) -> Order:
        """Sent to review, and the worker's capacity check has answered (tests do not commit, so
        the check queued on commit is run here, as the worker would)."""
        order = self.draft(**kw)
        services.order_submit(actor=order.merchandiser, order_id=order.pk)
        order_check_capacity(order_id=order.pk)
        order.refresh_from_db()
        return order

    def reviewed(self, **kw) -> Order:
        order = self.in_review(**kw)
        for finding in order.findings.all():
            if finding.is_open:
                services.finding_resolve(actor=order.merchandiser, finding_id=finding.pk, resolution="ok")
        return services.order_mark_reviewed(actor=order.merchandiser, order_id=order.pk)

    def released(self, **kw) -> Order:
        order = self.reviewed(**kw)
        return services.order_release(actor=order.merchandiser, order_id=order.pk)


@pytest.fixture
def customer(make, users):
    """The merchandiser's customer, with a default delivery address (new orders take it)."""
    customer = make.customer(merchandiser=users["merchandiser"])
    make.address(customer=customer, is_default=True)
    return customer


@pytest.fixture
def product(make):
    return make.product(spec="220V 50Hz", lead_time_days=10, unit="pcs")


@pytest.fixture
def orders(make, users, customer, product):
    return Orders(make, users, customer, product)
