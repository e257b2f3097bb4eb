"""A daily report is refused, with a message naming the field, for each wrong input (issue 15's
"bad input"), and nothing changes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.orders.choices import OrderStatus
from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.services import report_create

pytestmark = pytest.mark.django_db


def refused(leader, field: str, **kw) -> str:
    with pytest.raises(ValidationError) as exc:
        report_create(actor=leader, **kw)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert ProductionReport.objects.count() == 0
    return " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize(
    "status", [OrderStatus.CANCELLED, OrderStatus.ON_HOLD, OrderStatus.REVIEWED, OrderStatus.DRAFT]
)
def test_an_order_not_in_production_takes_no_report(shop, leader, status):
    p = shop.planned_order(status=status)
    message = refused(leader, "operation", operation_id=p.ops[0].pk, good_qty=5)
    assert p.order.number in message
    p.refresh()
    assert p.ops[0].good_qty == 0 and p.ops[0].status == "pending"


def test_an_operation_not_in_the_plan_in_force_is_refused(shop, leader):
    p = shop.planned_order(in_force=False)
    assert p.order.number in refused(leader, "operation", operation_id=p.ops[0].pk, good_qty=5)


def test_an_unknown_operation_is_refused(leader):
    refused(leader, "operation", operation_id=999999, good_qty=5)
    refused(leader, "operation", operation_id="abc", good_qty=5)


@pytest.mark.parametrize("field", ["good_qty", "scrap_qty", "hours"])
@pytest.mark.parametrize("value", ["-1", "abc", "1e400", "NaN", "1.23456"])
def test_negative_or_non_numeric_quantities_are_refused(shop, leader, field, value):
    p = shop.planned_order()
    refused(leader, field, operation_id=p.ops[0].pk, **{field: value})


def test_hours_over_the_shift_for_the_people_are_refused(shop, leader):
    p = shop.planned_order()
    shift = p.work_centre.shifts.get()
    message = refused(
        leader, "hours", operation_id=p.ops[0].pk, good_qty=5, hours="17", people=2, shift_id=shift.pk
    )
    assert "17" in message
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty=5, hours="16", people=2, shift_id=shift.pk)


def test_hours_over_a_day_are_refused_without_a_shift(shop, leader):
    p = shop.planned_order()
    refused(leader, "hours", operation_id=p.ops[0].pk, good_qty=5, hours="25")


def test_a_date_in_the_future_is_refused(shop, leader):
    p = shop.planned_order()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(leader, "work_date", operation_id=p.ops[0].pk, good_qty=5, work_date=tomorrow)
    refused(leader, "work_date", operation_id=p.ops[0].pk, good_qty=5, work_date="29.11.2026")


def test_scrap_needs_a_reason_from_the_list(shop, leader):
    p = shop.planned_order()
    refused(leader, "scrap_reason", operation_id=p.ops[0].pk, scrap_qty=2)
    refused(leader, "scrap_reason", operation_id=p.ops[0].pk, scrap_qty=2, scrap_reason_id=999999)
    reason = shop.reason(is_archived=True)
    refused(leader, "scrap_reason", operation_id=p.ops[0].pk, scrap_qty=2, scrap_reason_id=reason.pk)


def test_a_report_of_nothing_is_refused(shop, leader):
    p = shop.planned_order()
    refused(leader, "good_qty", operation_id=p.ops[0].pk)


def test_a_shift_of_another_work_centre_is_refused(shop, leader, make):
    p = shop.planned_order()
    other = make.shift()
    refused(leader, "shift", operation_id=p.ops[0].pk, good_qty=1, shift_id=other.pk)


def test_the_first_operation_reports_at_most_the_job_quantity(shop, leader):
    p = shop.planned_order(quantity="100")
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="60")
    message = refused_after(leader, "good_qty", operation_id=p.ops[0].pk, good_qty="41")
    assert "100" in message and "60" in message


def refused_after(leader, field, **kw) -> str:
    before = ProductionReport.objects.count()
    with pytest.raises(ValidationError) as exc:
        report_create(actor=leader, **kw)
    assert field in exc.value.message_dict
    assert ProductionReport.objects.count() == before
    return " ".join(exc.value.message_dict[field])


def test_an_operation_reports_no_more_than_the_previous_one_passed_on(shop, leader):
    p = shop.planned_order(quantity="100")
    report_create(
        actor=leader, operation_id=p.ops[0].pk, good_qty="30", scrap_qty="2", scrap_reason_id=shop.reason().pk
    )
    refused_after(leader, "good_qty", operation_id=p.ops[1].pk, good_qty="31")
    report_create(actor=leader, operation_id=p.ops[1].pk, good_qty="30")
    p.refresh()
    assert p.ops[1].good_qty == 30


def test_a_supervisor_may_allow_more_and_is_recorded(shop, leader):
    p = shop.planned_order(quantity="100")
    report = report_create(actor=leader, operation_id=p.ops[1].pk, good_qty="5", allow_over=True)
    assert report.over_allowed_by == leader
    p.refresh()
    assert p.ops[1].good_qty == 5


def test_who_may_not_allow_more_cannot_tick_it(shop, users):
    p = shop.planned_order()
    with pytest.raises(Exception):  # noqa: B017 - the merchandiser may not report at all
        report_create(actor=users["merchandiser"], operation_id=p.ops[0].pk, good_qty="5", allow_over=True)
    assert ProductionReport.objects.count() == 0


def test_a_job_with_a_sub_assembly_passes_on_what_the_sub_assembly_passed_on(shop, leader):
    """Two brackets per unit: 40 brackets made let the first operation of the unit report 20."""
    p = shop.planned_order(quantity="100", sub_assembly="200")
    first_sub, last_sub = p.sub_ops
    refused(leader, "good_qty", operation_id=p.ops[0].pk, good_qty="1")
    report_create(actor=leader, operation_id=first_sub.pk, good_qty="50")
    report_create(actor=leader, operation_id=last_sub.pk, good_qty="40")
    refused_after(leader, "good_qty", operation_id=p.ops[0].pk, good_qty="21")
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="20")
    p.refresh()
    assert p.ops[0].good_qty == Decimal("20")
