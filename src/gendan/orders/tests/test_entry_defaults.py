"""What a new merchandiser met entering orders: an order he enters is his, an order for someone else
is said so before saving and leaves him on a page he may see, the delivery address comes from the
customer, and the review tells gaps from the product's standards and re-checks after an edit."""

import pytest
from django.utils import timezone

from gendan.orders import services
from gendan.orders.models import Finding, Order
from gendan.orders.tests.test_entry import _form, _line

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make, users):
    return make.user(role="merchandiser", username="chen", department=users["merchandiser"].department)


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_an_order_entered_with_no_merchandiser_is_its_creators(customer, product, colleague):
    """The customer belongs to `merchandiser`; `chen` enters an order for it and leaves 跟单员 empty."""
    client = _client(colleague)
    data = _form(customer, colleague, [_line(product)]) | {"merchandiser": ""}
    response = client.post("/orders/order/new/", data)
    order = Order.objects.get()
    assert order.merchandiser == colleague
    assert response["Location"] == f"/orders/order/{order.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_an_order_for_another_merchandiser_is_said_before_saving(customer, product, colleague, users):
    client = _client(colleague)
    data = _form(customer, users["merchandiser"], [_line(product)])
    response = client.post("/orders/order/new/", data)
    assert response.status_code == 200 and not Order.objects.exists()
    assert "hand_over" in response.context["form"].errors
    assert str(users["merchandiser"]) in response.content.decode()

    response = client.post("/orders/order/new/", data | {"hand_over": "on"}, follow=True)
    order = Order.objects.get()
    assert order.merchandiser == users["merchandiser"]
    # He lands on the order list with a message, not on a 404.
    assert response.redirect_chain[-1][0] == "/orders/order/"
    assert order.number in response.content.decode()


def test_the_delivery_address_comes_from_the_customer(customer, product, users, make):
    order = services.order_create(
        actor=users["merchandiser"], data={"customer": customer}, lines=[{"product": product}]
    )
    assert order.delivery_address == customer.addresses.get(is_default=True)
    bare = make.customer(merchandiser=users["merchandiser"])
    order = services.order_create(actor=users["merchandiser"], data={"customer": bare}, lines=[])
    services.order_submit(actor=users["merchandiser"], order_id=order.pk, check_capacity=False)
    assert "missing_address" in set(order.findings.values_list("key", flat=True))


def test_a_line_without_requirements_is_information_when_the_product_has_a_standard(orders, make, users):
    standard = make.product(quality_standard="GB 4706.27", packaging_standard="彩盒 + 五层瓦楞纸箱")
    bare = make.product()
    order = orders.in_review(
        lines=[
            {
                "product": standard,
                "quantity": 10,
                "delivery_date": timezone.localdate().replace(year=timezone.localdate().year + 1),
            },
            {
                "product": bare,
                "quantity": 10,
                "delivery_date": timezone.localdate().replace(year=timezone.localdate().year + 1),
            },
        ]
    )
    findings = {(f.line.line_no, f.key): f for f in order.findings.filter(is_current=True)}
    assert not findings[(1, "standard_quality")].is_open and not findings[(1, "standard_packaging")].is_open
    assert "GB 4706.27" not in findings[(1, "standard_quality")].message  # the text names the product
    assert standard.code in findings[(1, "standard_quality")].message
    assert findings[(2, "missing_quality")].is_open and findings[(2, "missing_packaging")].is_open
    open_now = {key for (_no, key), f in findings.items() if f.is_open}
    assert open_now == {"missing_quality", "missing_packaging"}


def test_an_edit_re_runs_the_checks_at_once(orders, users):
    order = orders.in_review(customer_po="")
    assert order.findings.get(key="missing_customer_po").is_open
    services.order_update(
        actor=users["merchandiser"],
        order_id=order.pk,
        data={"customer": order.customer, "customer_po": "PO-9"},
    )
    finding = Finding.objects.get(order=order, key="missing_customer_po")
    assert not finding.is_current and not finding.is_open
