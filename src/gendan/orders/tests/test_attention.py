"""The home page's order items lead somewhere: each opens the list filtered to exactly its orders,
names each order by number and customer, and tells overdue orders from those merely due soon."""

import datetime as dt
import html as htmllib

import pytest
from django.utils import timezone

from gendan.orders import services

from .conftest import clean_line

pytestmark = pytest.mark.django_db


def _items(client) -> dict[str, object]:
    response = client.get("/")
    assert response.status_code == 200
    return {
        item.url.split("attention=")[1].split("&")[0]: item
        for item in response.context["attention"]
        if "attention=" in item.url
    }


def _listed(client, url) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [obj.pk for obj, _values in response.context["rows"]]


def _ids(response) -> set[int]:
    data = response.json()
    return {o["id"] for o in (data["results"] if isinstance(data, dict) else data)}


def test_not_acknowledged_by_my_department_opens_exactly_those_orders(
    orders, users, client_production, api_production
):
    first, second, third = orders.released(), orders.released(), orders.released()
    for order in (first, third):
        ack = order.acknowledgements.get(department__kind="production")
        services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    # Quality's acknowledgement of the first is still missing: not the planner's business.
    item = _items(client_production)["unacknowledged"]
    assert item.count == 1
    assert item.url == "/orders/order/?attention=unacknowledged&state=all"
    assert _listed(client_production, item.url) == [second.pk]
    # The API answers the same question with the same filter.
    assert _ids(api_production.get("/api/orders/?attention=unacknowledged&state=all")) == {second.pk}


def test_home_examples_name_the_customer_not_only_its_code(orders, users, client_production):
    order = orders.released()
    item = _items(client_production)["unacknowledged"]
    assert item.examples == [(f"{order.number} · {order.customer.name}", f"/orders/order/{order.pk}/")]


def test_overdue_orders_are_listed_apart_from_those_due_soon(orders, users, product, client_merchandiser):
    users["merchandiser"].language = "en"
    users["merchandiser"].save()
    today = timezone.localdate()
    soon = orders.draft(lines=[clean_line(product, delivery_date=today + dt.timedelta(days=3))])
    late = orders.draft(
        lines=[
            clean_line(product, delivery_date=today - dt.timedelta(days=2)),
            clean_line(product, delivery_date=today + dt.timedelta(days=5)),
        ]
    )
    later = orders.draft(lines=[clean_line(product, delivery_date=today + dt.timedelta(days=30))])
    items = _items(client_merchandiser)
    overdue, due = items["overdue"], items["due"]
    assert (overdue.count, overdue.level) == (1, "danger")
    assert overdue.examples[0][0] == (
        f"{late.number} · {late.customer.name} · {today - dt.timedelta(days=2):%Y-%m-%d}"
    )
    assert due.count == 1 and due.examples[0][0].startswith(soon.number)
    assert _listed(client_merchandiser, overdue.url) == [late.pk]
    assert _listed(client_merchandiser, due.url) == [soon.pk]
    # In the list of all open orders the overdue one is marked, and sorting by first delivery puts it first.
    response = client_merchandiser.get("/orders/order/?sort=first_delivery")
    assert [obj.pk for obj, _v in response.context["rows"]] == [late.pk, soon.pk, later.pk]
    html = htmllib.unescape(response.content.decode())
    assert f'<span class="badge danger">{today - dt.timedelta(days=2)} · overdue</span>' in html
    assert html.count("· overdue") == 1
