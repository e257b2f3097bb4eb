"""Delivery tracking (R-3.5): when a PO line's date moves, the kit check of the orders it serves is
computed again and the merchandiser hears which orders are short, of what and by how much (and
when they are covered again); late and at-risk lines are chased once a day and escalated past the
threshold, naming the PO, the line, the material, the days late and the orders waiting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone, translation

from gendan.notifications.models import Notification
from gendan.planning.services.build import plan_build
from gendan.planning.tests.helpers import put_in_force
from gendan.purchasing.models import POLineConfirmation, PurchaseOrderLine
from gendan.purchasing.services.tracking import lines_moved, orders_recheck, po_lines_chase

from .po_rows import days, po_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_force(released, planner, make, product):
    """The released order's plan in force: its seals in stock, its steel (165 kg) not."""
    seal = product.bom_lines.get(component_material__code="SEAL").component_material
    make.stock(material=seal, quantity=1000)
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    return put_in_force(version)


def steel_row(version):
    return version.materials.get(material__code="STEEL")


def told(user, event="purchasing.shortage"):
    return list(Notification.objects.filter(recipient=user, event=event).order_by("pk"))


def move(line, django_capture_on_commit_callbacks, **fields):
    """A confirmation or change as the PO services record it: the line changes, lines_moved is
    called in the same transaction, the worker runs after commit."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        PurchaseOrderLine.objects.filter(pk=line.pk).update(**fields)
        lines_moved(line_ids=[line.pk])


def test_a_po_line_confirmed_in_time_covers_the_order_and_moved_late_makes_it_short_again(
    in_force, released, make, users, django_capture_on_commit_callbacks
):
    steel = steel_row(in_force)
    assert steel.shortage == Decimal("165")
    merchandiser = users["merchandiser"]
    line = po_line(
        make=make,
        actor=users["purchasing"],
        material=steel.material,
        quantity=165,
        delivery=steel.need_date,
        orders=[released],
    )
    move(line, django_capture_on_commit_callbacks, expected_date=steel.need_date - dt.timedelta(days=1))
    steel.refresh_from_db()
    assert (steel.shortage, steel.on_order) == (0, 165)
    (covered,) = told(merchandiser)
    with translation.override("en"):
        assert released.number in covered.title
    # Worded in the merchandiser's language (Chinese, the default).
    with translation.override("zh-hans"):
        again = translation.gettext("Order %(order)s: all its materials are covered again.")
    assert again % {"order": released.number} in covered.body

    # The supplier moves it past the need date: short again, and the merchandiser is told by how much.
    late = steel.need_date + dt.timedelta(days=4)
    merchandiser.language = "en"
    merchandiser.save(update_fields=["language"])
    move(line, django_capture_on_commit_callbacks, expected_date=late)
    steel.refresh_from_db()
    assert (steel.shortage, steel.covered_on) == (165, late)
    short = told(merchandiser)[-1]
    assert short.title == f"Orders short of material after a delivery moved: {released.number}"
    assert f"short of {steel.material} by 165 kg, needed {steel.need_date}, covered {late}" in short.body

    # Running the check again tells nobody anything new.
    assert orders_recheck(line_ids=[line.pk]) == []
    assert len(told(merchandiser)) == 2


def test_the_shortage_is_told_in_chinese_with_the_unit_and_the_date_it_is_covered(
    in_force, released, make, users, django_capture_on_commit_callbacks
):
    steel = steel_row(in_force)
    steel.material.unit = "pcs"  # counted in pieces: 个 in Chinese
    steel.material.save(update_fields=["unit"])
    line = po_line(
        make=make,
        actor=users["purchasing"],
        material=steel.material,
        quantity=165,
        delivery=steel.need_date,
        orders=[released],
    )
    move(line, django_capture_on_commit_callbacks, expected_date=steel.need_date - dt.timedelta(days=1))
    late = steel.need_date + dt.timedelta(days=4)
    move(line, django_capture_on_commit_callbacks, expected_date=late)
    short = told(users["merchandiser"])[-1]  # his language: Chinese
    assert f"缺料 165 个，需求 {steel.need_date}，补齐日期 {late}" in short.body


def test_nothing_is_checked_before_the_change_is_committed(in_force, released, make, users):
    steel = steel_row(in_force)
    line = po_line(
        make=make, actor=users["purchasing"], material=steel.material, quantity=165, delivery=steel.need_date
    )
    with transaction.atomic():
        lines_moved(line_ids=[line.pk])
        transaction.set_rollback(True)
    steel.refresh_from_db()
    assert steel.shortage == 165 and told(users["merchandiser"]) == []


def test_an_order_needing_the_material_is_checked_even_when_the_line_is_not_pegged_to_it(
    in_force, make, users
):
    steel = steel_row(in_force)
    line = po_line(
        make=make, actor=users["purchasing"], material=steel.material, quantity=200, delivery=days(1)
    )
    (changed,) = orders_recheck(line_ids=[line.pk])
    assert changed.order == in_force.plan.order and not changed.still_short


# Chasing ----------------------------------------------------------------------------------------


@pytest.fixture
def late_line(make, users, released, product):
    steel = product.bom_lines.get(component_product__isnull=False).component_product.bom_lines.get()
    line = po_line(
        make=make,
        actor=users["purchasing"],
        material=steel.component_material,
        quantity=50,
        delivery=days(-2),
        expected=days(-2),
        status="confirmed",
        orders=[released],
    )
    POLineConfirmation.objects.create(line=line, quantity=50, promised_date=days(-2))
    return line


def at(day_offset: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=day_offset)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_a_late_line_is_chased_once_a_day_naming_po_line_material_days_and_orders(late_line, released, users):
    purchaser = users["purchasing"]
    purchaser.language = "en"
    purchaser.save(update_fields=["language"])
    assert po_lines_chase(at(0, 9)) == (1, 0)
    assert po_lines_chase(at(0, 15)) == (0, 0)  # the same day: nobody told twice
    (reminder,) = told(purchaser, "purchasing.po_chase")
    assert reminder.title.startswith(f"{late_line.order.number} line 10, {late_line.material}")
    assert "2 days late" in reminder.title and released.number in reminder.title
    assert po_lines_chase(at(1, 9)) == (1, 0)  # the next day, again


def test_a_line_late_more_than_the_threshold_is_escalated_once(late_line, users, settings):
    settings.GENDAN_PO_ESCALATE_DAYS = 3
    assert po_lines_chase(at(1)) == (1, 0)  # 3 days late: not more than 3
    assert po_lines_chase(at(2)) == (1, 1)  # 4 days late
    assert po_lines_chase(at(3)) == (1, 0)  # escalated once
    assert len(told(users["management"], "purchasing.po_escalated")) == 1
    assert told(users["purchasing"], "purchasing.po_escalated") == []  # not a manager


def test_lines_at_risk_are_chased_and_lines_on_track_are_not(make, users, product):
    material = product.bom_lines.get(component_material__code="SEAL").component_material
    buyer = users["purchasing"]
    unconfirmed_soon = po_line(make=make, actor=buyer, material=material, quantity=5, delivery=days(3))
    confirmed_after = po_line(
        make=make, actor=buyer, material=material, quantity=5, delivery=days(20), expected=days(25)
    )
    on_track = po_line(
        make=make, actor=buyer, material=material, quantity=5, delivery=days(3), expected=days(3)
    )
    POLineConfirmation.objects.create(line=on_track, quantity=5, promised_date=days(3))
    draft = po_line(
        make=make, actor=buyer, material=material, quantity=5, delivery=days(-3), po_status="draft"
    )
    assert po_lines_chase(at(0)) == (2, 0)
    chased = set(PurchaseOrderLine.objects.filter(chased_at__isnull=False).values_list("pk", flat=True))
    assert chased == {unconfirmed_soon.pk, confirmed_after.pk}
    assert draft.pk not in chased
