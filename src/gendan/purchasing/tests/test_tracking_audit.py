"""Purchasing events on the orders' timelines: each dossier shows the event once, naming the
document, and the document's own history shows it once (not once per order it serves)."""

import pytest
from django.utils import translation

from gendan.core.selectors import history_for
from gendan.orders.selectors import order_timeline
from gendan.purchasing.services.common import audit_for_orders

from .po_rows import days, po_line

pytestmark = pytest.mark.django_db


def test_an_event_is_on_each_orders_timeline_once_and_in_the_documents_history_once(orders, make, users):
    first, second = orders.released(), orders.released()
    line = po_line(
        make=make, actor=users["purchasing"], material=make.material(), quantity=5, delivery=days(9)
    )
    po = line.order
    audit_for_orders(
        actor=users["purchasing"],
        obj=po,
        action="po_sent",
        order_ids=[first.pk, second.pk, first.pk],
        note=lambda: translation.gettext("Sent to the supplier"),
    )
    assert [e.action for e in history_for(user=users["admin"], obj=po)] == ["po_sent"]
    for order in (first, second):
        (entry,) = [e for e in order_timeline(order=order) if e.action == "po_sent"]
        assert (
            entry.note_en == f"{po.number}: Sent to the supplier"
            or entry.note == f"{po.number}: Sent to the supplier"
        )
    assert [e.action for e in history_for(user=users["admin"], obj=first)].count("po_sent") == 1
