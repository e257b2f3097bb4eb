"""Acknowledging for another department is refused as not allowed (403), never as a conflict (409),
whatever state the other department's acknowledgement is in (issue 14, item 6)."""

import pytest

from gendan.orders import services

pytestmark = pytest.mark.django_db


def test_an_acknowledgement_already_given_or_superseded_is_still_a_403_for_another_department(
    orders, users, client_purchasing, api_purchasing
):
    order = orders.released()
    ack = order.acknowledgements.get(department__kind="production")
    services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    ack.refresh_from_db()
    stamp = ack.acknowledged_at

    assert client_purchasing.post(f"/orders/order/{order.pk}/acknowledgements/{ack.pk}/").status_code == 403
    response = api_purchasing.post(f"/api/acknowledgements/{ack.pk}/acknowledge/")
    assert response.status_code == 403

    type(order).objects.filter(pk=order.pk).update(version=order.version + 1)
    assert api_purchasing.post(f"/api/acknowledgements/{ack.pk}/acknowledge/").status_code == 403
    ack.refresh_from_db()
    assert ack.acknowledged_by == users["production"] and ack.acknowledged_at == stamp
