"""A disposition reaches the shop floor (R-4.2): a reworked lot goes back to its operation, to be done
and inspected again; a scrapped lot is the operation's scrap; either way the order is short of those
good units. Units the next step already took stay there."""

from decimal import Decimal

import pytest

from gendan.quality import services_nc as nc_svc
from gendan.quality import services_process as svc
from gendan.quality.models import Nonconformance, ProcessInspection
from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.services import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(users, django_capture_on_commit_callbacks):
    def run(op, good, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return report_create(actor=users["production"], operation_id=op.pk, good_qty=good, **kw)

    return run


@pytest.fixture
def failed(line_with_plans, report, users):
    """80 good units reported at the first operation, inspected and failed (one unit oversize)."""

    def run(later: str | None = None) -> Nonconformance:
        w = line_with_plans
        report(w.ops[0], "80")
        if later:
            report(w.ops[1], later)
        task = ProcessInspection.objects.get(kind="in_process", status="pending")
        svc.process_inspection_start(actor=users["quality"], inspection_id=task.pk)
        svc.process_measurement_record(
            actor=users["quality"], inspection_id=task.pk, item_id=w.diameter.pk, unit_no=1, value="20.4"
        )
        svc.process_inspection_complete(actor=users["quality"], inspection_id=task.pk)
        return Nonconformance.objects.get(inspection=task)

    return run


def _op(w, i=0):
    op = w.ops[i]
    op.refresh_from_db()
    return op


def test_a_reworked_lot_goes_back_to_its_operation_and_is_inspected_again_when_reported(
    failed, line_with_plans, report, users
):
    w = line_with_plans
    nc = failed()
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="rework")
    op = _op(w)
    assert (op.good_qty, op.scrap_qty) == (Decimal(0), Decimal(0))
    (back,) = ProductionReport.objects.filter(operation=op, channel="quality")
    assert back.good_qty == Decimal(-80) and "NC-" in back.remarks and back.reported_by == users["quality"]
    report(w.ops[0], "80")  # reworked and reported again: a new lot to inspect
    assert ProcessInspection.objects.filter(kind="in_process", status="pending", lot_quantity=80).exists()


def test_a_scrapped_lot_is_scrap_of_the_operation(failed, line_with_plans, users):
    w = line_with_plans
    nc = failed()
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="scrap")
    op = _op(w)
    assert (op.good_qty, op.scrap_qty) == (Decimal(0), Decimal(80))


def test_units_the_next_step_took_stay_there(failed, line_with_plans, users):
    w = line_with_plans
    nc = failed(later="30")
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="rework")
    assert _op(w).good_qty == Decimal(30) and _op(w, 1).good_qty == Decimal(30)


def test_use_as_is_and_return_leave_the_counts_alone(failed, line_with_plans, users):
    w = line_with_plans
    nc = failed()
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="use_as_is", note="客户同意")
    assert _op(w).good_qty == Decimal(80)
    assert not ProductionReport.objects.filter(channel="quality").exists()
