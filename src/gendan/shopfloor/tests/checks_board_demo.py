"""The demo factory can take a typical new order (issue 15, item 11): with its second motor line,
the second shifts on the bottlenecks and the assembly lines' station groups, the order a user
enters first — 500 desk fans for delivery in a month — passes the review's capacity check, while
a rushed order (delivery inside the product's lead time) still gets a capacity finding."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.accounts.models import User
from gendan.masterdata.models import Customer, Product
from gendan.orders import services
from gendan.orders.choices import FindingCode
from gendan.orders.services.review import order_check_capacity


def _enter(merchandiser, customer, product, *, quantity, days):
    order = services.order_create(
        actor=merchandiser,
        data={"customer": customer, "customer_po": f"PO-T{quantity}-{days}", "merchandiser": merchandiser},
        lines=[
            {
                "product": product,
                "quantity": Decimal(quantity),
                "unit_price": Decimal("95"),
                "delivery_date": timezone.localdate() + dt.timedelta(days=days),
                "quality_requirements": "AQL 1.0 抽检，外观无划伤",
                "packaging_requirements": "彩盒 + 五层瓦楞外箱，每箱 2 台",
            }
        ],
    )
    services.order_submit(actor=merchandiser, order_id=order.pk, check_capacity=False)
    return order_check_capacity(order_id=order.pk)


def check_a_typical_new_order_is_feasible_and_a_rushed_one_is_not(demo):
    merchandiser = User.objects.get(username="merchandiser")
    customer = Customer.objects.filter(merchandiser=merchandiser, credit_status="ok").order_by("code").first()
    desk_fan = Product.objects.get(code="FS-40")

    typical = _enter(merchandiser, customer, desk_fan, quantity=500, days=30)
    assert [f for f in typical if f.code == FindingCode.CAPACITY] == []

    rushed = _enter(merchandiser, customer, desk_fan, quantity=3000, days=8)
    assert [f.code for f in rushed if f.code == FindingCode.CAPACITY] == [FindingCode.CAPACITY]
