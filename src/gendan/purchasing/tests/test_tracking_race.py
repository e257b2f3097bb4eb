"""Two workers at once (on a file database): each late line is told once and escalated once; an
order re-checked by two workers is told once."""

import pytest

from gendan.notifications.models import Notification
from gendan.planning.services.build import plan_build
from gendan.planning.tests.helpers import put_in_force
from gendan.purchasing.services.tracking import orders_recheck, po_lines_chase
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


def test_two_workers_re_checking_the_same_order_tell_its_merchandiser_once(
    released, planner, make, users, product
):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    steel = put_in_force(version).materials.get(material__code="STEEL")
    line = po_line(
        make=make, actor=users["purchasing"], material=steel.material, quantity=500, delivery=days(1)
    )
    results = race(2, lambda _i: len(orders_recheck(line_ids=[line.pk])))
    assert sorted(results) == [0, 1], results
    assert (
        Notification.objects.filter(recipient=users["merchandiser"], event="purchasing.shortage").count() == 1
    )
