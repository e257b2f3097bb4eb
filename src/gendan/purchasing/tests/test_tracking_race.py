"""Two workers chasing at once (on a file database): each late line is told once, escalated once."""

import pytest

from gendan.notifications.models import Notification
from gendan.purchasing.services.tracking import po_lines_chase
from gendan.testing import race

from .po_rows import days, po_line

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_chasing_at_once_tell_purchasing_and_management_once(make, users):
    line = po_line(
        make=make,
        actor=users["purchasing"],
        material=make.material(),
        quantity=10,
        delivery=days(-9),
        expected=days(-9),
        status="confirmed",
    )
    results = race(2, lambda _i: po_lines_chase())
    assert all(isinstance(r, tuple) for r in results), results
    assert (sum(r[0] for r in results), sum(r[1] for r in results)) == (1, 1)
    assert (
        Notification.objects.filter(recipient=users["purchasing"], event="purchasing.po_chase").count() == 1
    )
    assert (
        Notification.objects.filter(recipient=users["management"], event="purchasing.po_escalated").count()
        == 1
    )
    line.refresh_from_db()
    assert line.chased_at and line.escalated_at
