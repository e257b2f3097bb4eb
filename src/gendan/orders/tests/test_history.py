"""An order's history is one click from its dossier and reads like the pages: status, priority and
"received via" by their labels, field names as the order page names them, the parts of the order
(lines, acknowledgements) included."""

import html as htmllib

import pytest

from gendan.core.services import record_create, record_set_archived
from gendan.masterdata.models import Customer
from gendan.orders import services

pytestmark = pytest.mark.django_db


def _english(users, *roles):
    for role in roles:
        users[role].language = "en"
        users[role].save()


def _text(response) -> str:
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def test_the_dossier_links_to_the_orders_history(orders, users, client_merchandiser):
    order = orders.draft()
    html = _text(client_merchandiser.get(f"/orders/order/{order.pk}/"))
    assert f'href="/orders/order/{order.pk}/history/"' in html


def test_the_order_history_shows_labels_not_stored_values(orders, users, client_merchandiser):
    _english(users, "merchandiser", "production")
    order = orders.released(received_via="email")
    ack = order.acknowledgements.get(department__kind="production")
    services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    html = _text(client_merchandiser.get(f"/orders/order/{order.pk}/history/"))
    # Status steps, by their labels.
    assert "<s>Reviewed</s> → Released" in html
    assert "reviewed</s> → released" not in html
    # The order as created: field names as the order page says them, choices by their labels.
    assert "<b>Customer PO number</b>" in html and "<b>customer PO number</b>" not in html
    assert "<b>Priority</b>: <s>—</s> → Normal" in html
    assert "<b>Received via</b>: <s>—</s> → E-mail" in html
    # Its parts are there too, each saying what it is about.
    assert "Acknowledged" in html and f"Acknowledgement: {order.number} · " in html


def test_the_timeline_shows_what_changed_in_words(orders, users, client_merchandiser):
    _english(users, "merchandiser")
    order = orders.draft(priority="normal")
    services.order_update(
        actor=users["merchandiser"],
        order_id=order.pk,
        data={"customer": order.customer, "priority": "urgent"},
    )
    html = _text(client_merchandiser.get(f"/orders/order/{order.pk}/"))
    timeline = html[html.index('id="timeline"') :]
    assert "<b>Priority</b>: <s>Normal</s> → Urgent" in timeline


def test_master_record_history_shows_choice_labels_and_yes_no(users, client_merchandiser):
    _english(users, "merchandiser")
    customer = record_create(
        actor=users["merchandiser"],
        model=Customer,
        data={"code": "C-H1", "name": "Hist", "credit_status": "ok"},
    )
    record_set_archived(actor=users["merchandiser"], model=Customer, pk=customer.pk, archived=True)
    html = _text(client_merchandiser.get(f"/masterdata/customer/{customer.pk}/history/"))
    assert "<b>Credit status</b>: <s>—</s> → Normal" in html
    assert "<b>Archived</b>: <s>no</s> → yes" in html
