"""Two people acting on one purchase order line at once (a file database, real threads)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.purchasing.models import POLineChange, POLineConfirmation, PurchaseOrderLine
from gendan.purchasing.services.po import po_line_cancel, po_line_change, po_line_confirm
from gendan.testing import race

from .po_fixtures import Buying


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_never_confirm_more_than_ordered(make, users, released):
    buying = Buying(make, users, released)
    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    line = po.lines.get()
    when = timezone.localdate() + dt.timedelta(days=7)
    results = race(
        2,
        lambda i: po_line_confirm(
            actor=buying.purchaser, line=line.pk, quantity=Decimal(60), promised_date=when
        ),
    )
    assert sum(isinstance(r, POLineConfirmation) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert POLineConfirmation.objects.filter(line=line).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_change_and_a_cancel_at_once_one_stands(make, users, released):
    buying = Buying(make, users, released)
    po = buying.po(buying.plan_line(quantity="100"), sent=True)
    line = po.lines.get()
    calls = [
        lambda: po_line_change(actor=buying.purchaser, line=line.pk, quantity=Decimal(80), reason="减量"),
        lambda: po_line_cancel(actor=buying.purchaser, line=line.pk, reason="取消"),
    ]
    results = race(2, lambda i: calls[i]())
    assert sum(isinstance(r, WorkflowConflict) for r in results) <= 1, results
    assert not any(isinstance(r, Exception) and not isinstance(r, WorkflowConflict) for r in results), results
    # Whatever the order, the line's records tell its story: never a change of a cancelled line.
    line = PurchaseOrderLine.objects.get(pk=line.pk)
    kinds = list(POLineChange.objects.filter(line=line).values_list("kind", flat=True))
    assert kinds in (["cancel"], ["quantity", "cancel"])
