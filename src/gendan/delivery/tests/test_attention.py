"""Home "needs your attention": the merchandiser's ready orders not all arranged and his shipments
waiting for the customer; logistics' confirmed shipments to ship and shipped ones without a proof."""

import pytest
from django.utils import translation

from ..attention import attention

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    with translation.override("en"):
        return {str(item.title): item.count for item in attention(user)}


def test_each_sees_the_step_that_waits_for_him(dlv, users):
    ready = dlv.order(quantity="100", stock_in="100")
    merchandiser, logistics = users["merchandiser"], users["logistics"]
    assert _counts(merchandiser)["Orders ready to ship, not all arranged"] == 1

    draft = dlv.shipment(ready, "40")
    counts = _counts(merchandiser)
    assert counts["Orders ready to ship, not all arranged"] == 1  # 60 not arranged yet
    assert counts["Shipments waiting for the customer's confirmation"] == 1
    assert _counts(logistics)["Confirmed shipments to ship"] == 0

    dlv.shipped(ready, "60")
    assert _counts(merchandiser)["Orders ready to ship, not all arranged"] == 0
    assert _counts(logistics)["Shipped, waiting for the proof of delivery"] == 1
    assert "Confirmed shipments to ship" not in _counts(merchandiser)
    assert draft.number in [text for item in attention(merchandiser) for text, _url in item.examples][0]
    assert attention(users["production"]) == []
