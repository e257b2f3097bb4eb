"""Complaints get the generic checks of a record (list, detail, create, history, export, read-only
beyond creating, the API) and the role table's permissions for every role."""

import datetime as dt
from decimal import Decimal

from gendan.aftersales import views
from gendan.testing import EntityCase, EntityChecks


def _order(make, merchandiser=None):
    from gendan.accounts.models import User
    from gendan.orders.models import Order, OrderLine

    n = make.n()
    merchandiser = merchandiser or User.objects.get(username="merchandiser")
    order = Order.objects.create(
        number=f"SO-E{n:04}", customer=make.customer(), merchandiser=merchandiser, status="released"
    )
    OrderLine.objects.create(order=order, line_no=1, product=make.product(), quantity=Decimal(100))
    return order


def _complaint(make, merchandiser=None):
    from gendan.aftersales.services import complaint_create

    order = _order(make, merchandiser)
    return complaint_create(
        actor=order.merchandiser,
        order=order,
        order_line=order.lines.first(),
        quantity=Decimal(3),
        description="划伤",
        channel="phone",
        received_on=dt.date(2026, 3, 1),
    )


class TestComplaintEntities(EntityChecks):
    modules = (views,)
    cases = {
        "complaint": EntityCase(
            existing=_complaint,
            create=lambda make: {
                "order": (order := _order(make)),
                "order_line": order.lines.first(),
                "quantity": Decimal(2),
                "description": "包装破损",
                "channel": "email",
                "received_on": dt.date(2026, 3, 2),
                "severity": "high",
            },
            search=lambda obj: obj.number,
            existing_for=lambda make, user: _complaint(make, user if user.role == "merchandiser" else None),
        ),
    }
