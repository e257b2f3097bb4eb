"""In-process and final inspection (R-4.2): tasks appear when good units are reported, the plan
fixes the sample when an inspector starts, measurements out of limits make defective units, the
lot passes or fails by Ac/Re, failures are told, two inspectors deciding at once: one wins."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.exceptions import WorkflowConflict
from gendan.engine import sampling
from gendan.notifications.models import Notification
from gendan.quality import services_process as svc
from gendan.quality.models import DefectCode, ProcessInspection
from gendan.shopfloor.services import report_create, report_reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(users, django_capture_on_commit_callbacks):
    def run(op, good, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return report_create(actor=users["production"], operation_id=op.pk, good_qty=good, **kw)

    return run


def _started(inspector, line_with_plans, report, good="100"):
    report(line_with_plans.ops[0], good)
    task = ProcessInspection.objects.get(kind="in_process")
    return svc.process_inspection_start(actor=inspector, inspection_id=task.pk)


def test_good_units_at_an_operation_with_a_plan_wait_for_in_process_inspection(line_with_plans, report):
    w = line_with_plans
    report(w.ops[0], "30")
    report(w.ops[0], "20")  # before anyone started: the same lot grows
    task = ProcessInspection.objects.get()
    assert (task.kind, task.status, task.operation, task.plan, task.lot_quantity) == (
        "in_process",
        "pending",
        w.ops[0],
        w.in_process,
        50,
    )
    assert task.order_line == w.line and task.order == w.line.order


def test_the_last_operations_good_units_wait_for_final_inspection(line_with_plans, report):
    w = line_with_plans
    report(w.ops[0], "40")
    report(w.ops[1], "40")  # the second operation has no in-process plan
    final = ProcessInspection.objects.get(kind="final")
    assert (final.operation, final.plan, final.lot_quantity) == (None, w.final, 40)
    assert ProcessInspection.objects.filter(kind="in_process").count() == 1


def test_a_product_without_plans_gets_no_task_and_a_reversal_none(
    shop_order, report, users, django_capture_on_commit_callbacks
):
    report(shop_order.ops[0], "10")
    assert not ProcessInspection.objects.exists()


def test_a_reversal_opens_no_task(line_with_plans, report, users, django_capture_on_commit_callbacks):
    made = report(line_with_plans.ops[0], "10")
    with django_capture_on_commit_callbacks(execute=True):
        report_reverse(actor=users["production"], report_id=made.pk, reason="录错")
    assert ProcessInspection.objects.get().lot_quantity == 10


def test_starting_fixes_the_sample_from_the_plan(line_with_plans, report, inspector):
    started = _started(inspector, line_with_plans, report, "500")
    expected = sampling.plan(500, "II", "1.0")
    assert (started.status, started.inspector, started.sample_size) == (
        "in_progress",
        inspector,
        expected.sample_size,
    )
    assert (started.accept_number, started.reject_number) == (expected.accept, expected.reject)
    # Reports after the start make a new lot.
    report(line_with_plans.ops[0], "10")
    assert ProcessInspection.objects.filter(status="pending").get().lot_quantity == 10


def test_a_value_out_of_limits_is_flagged_and_an_implausible_one_refused(line_with_plans, report, inspector):
    started = _started(inspector, line_with_plans, report)
    item = line_with_plans.diameter
    ok = svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=item.pk, unit_no=1, value="20.05"
    )
    bad = svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=item.pk, unit_no=2, value="20.3"
    )
    assert ok.ok and not bad.ok
    with pytest.raises(ValidationError) as exc:  # 200 for 20.0: a slip of the decimal point
        svc.process_measurement_record(
            actor=inspector, inspection_id=started.pk, item_id=item.pk, unit_no=3, value="200"
        )
    assert "value" in exc.value.message_dict and "不合理" in str(exc.value)
    started.refresh_from_db()
    assert started.nonconforming == 1
    assert started.measurements.count() == 2


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"value": "abc"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": ""}, "value"),
        ({"value": "20", "unit_no": 0}, "unit_no"),
        ({"value": "20", "unit_no": 10**6}, "unit_no"),
        ({"value": "20", "item_id": 999999}, "item"),
    ],
)
def test_bad_measurements_are_refused_by_field(line_with_plans, report, inspector, fields, bad):
    started = _started(inspector, line_with_plans, report)
    args = {"item_id": line_with_plans.diameter.pk, "unit_no": 1, **fields}
    with pytest.raises(ValidationError) as exc:
        svc.process_measurement_record(actor=inspector, inspection_id=started.pk, **args)
    assert bad in exc.value.message_dict
    assert not started.measurements.exists()


def test_the_lot_passes_within_ac(line_with_plans, report, inspector):
    started = _started(inspector, line_with_plans, report)
    with pytest.raises(ValidationError) as exc:  # nothing measured yet
        svc.process_inspection_complete(actor=inspector, inspection_id=started.pk)
    assert "外径" in str(exc.value)
    svc.process_measurement_record(
        actor=inspector,
        inspection_id=started.pk,
        item_id=line_with_plans.diameter.pk,
        unit_no=1,
        value="20.0",
    )
    done = svc.process_inspection_complete(actor=inspector, inspection_id=started.pk)
    assert done.status == "passed" and done.completed_at is not None
    assert not Notification.objects.filter(event="quality.process_failed").exists()


def test_a_failed_lot_tells_production_and_the_merchandiser(line_with_plans, report, inspector, users):
    started = _started(inspector, line_with_plans, report)
    svc.process_measurement_record(
        actor=inspector,
        inspection_id=started.pk,
        item_id=line_with_plans.diameter.pk,
        unit_no=1,
        value="20.5",
    )
    code = DefectCode.objects.create(code="D09", name="毛刺")
    svc.process_defect_add(actor=inspector, inspection_id=started.pk, code_id=code.pk, count=2)
    done = svc.process_inspection_complete(actor=inspector, inspection_id=started.pk, note="外径偏大")
    assert (done.status, done.nonconforming) == ("failed", 3)
    told = set(
        Notification.objects.filter(event="quality.process_failed").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"production", "merchandiser"} <= told
    with pytest.raises(WorkflowConflict):  # decided: nothing more is recorded
        svc.process_defect_add(actor=inspector, inspection_id=started.pk, code_id=code.pk, count=1)


def test_two_inspectors_deciding_at_once_one_wins(line_with_plans, report, inspector, make):
    started = _started(inspector, line_with_plans, report)
    svc.process_measurement_record(
        actor=inspector, inspection_id=started.pk, item_id=line_with_plans.diameter.pk, unit_no=1, value="20"
    )
    other = make.user(role="quality")
    stale = ProcessInspection.objects.get(pk=started.pk)  # what the second inspector read
    svc.process_inspection_complete(actor=inspector, inspection_id=started.pk)
    with pytest.raises(WorkflowConflict):
        svc._move(stale, "failed")  # his conditional update finds the row decided
    with pytest.raises(WorkflowConflict):
        svc.process_inspection_complete(actor=other, inspection_id=started.pk)
    assert ProcessInspection.objects.get(pk=started.pk).status == "passed"


def test_two_inspectors_starting_at_once_one_wins(line_with_plans, report, inspector, make):
    report(line_with_plans.ops[0], "10")
    task = ProcessInspection.objects.get()
    svc.process_inspection_start(actor=inspector, inspection_id=task.pk)
    with pytest.raises(WorkflowConflict):
        svc.process_inspection_start(actor=make.user(role="quality"), inspection_id=task.pk)
    assert ProcessInspection.objects.get().inspector == inspector


def test_only_quality_inspects(line_with_plans, report, users):
    report(line_with_plans.ops[0], "10")
    task = ProcessInspection.objects.get()
    with pytest.raises(PermissionDenied):
        svc.process_inspection_start(actor=users["production"], inspection_id=task.pk)
    with pytest.raises(PermissionDenied):
        svc.process_inspection_create(
            actor=users["production"], kind="final", order_line_id=line_with_plans.line.pk, lot_quantity=5
        )


def test_a_task_by_hand_needs_a_plan(line_with_plans, inspector):
    w = line_with_plans
    made = svc.process_inspection_create(
        actor=inspector,
        kind="in_process",
        order_line_id=w.line.pk,
        operation_id=w.ops[0].pk,
        lot_quantity="25",
    )
    assert (made.status, made.lot_quantity, made.plan) == ("pending", 25, w.in_process)
    with pytest.raises(ValidationError) as exc:
        svc.process_inspection_create(
            actor=inspector,
            kind="in_process",
            order_line_id=w.line.pk,
            operation_id=w.ops[1].pk,
            lot_quantity=5,
        )
    assert "operation" in exc.value.message_dict
    for bad in ("0", "-3", "x", "1e20"):
        with pytest.raises(ValidationError) as exc:
            svc.process_inspection_create(
                actor=inspector, kind="final", order_line_id=w.line.pk, lot_quantity=bad
            )
        assert "lot_quantity" in exc.value.message_dict
    with pytest.raises(ValidationError):
        svc.process_inspection_create(actor=inspector, kind="bogus", order_line_id=w.line.pk, lot_quantity=1)
    with pytest.raises(ValidationError):
        svc.process_inspection_create(actor=inspector, kind="final", order_line_id="nope", lot_quantity=1)
    w.final.is_archived = True
    w.final.save()
    with pytest.raises(ValidationError):
        svc.process_inspection_create(actor=inspector, kind="final", order_line_id=w.line.pk, lot_quantity=1)


@pytest.fixture
def shop_order(make, users):
    from gendan.shopfloor.tests.factories import ShopFactory

    return ShopFactory(make, users).planned_order()


def test_a_plan_without_items_cannot_be_started(line_with_plans, inspector):
    w = line_with_plans
    w.appearance.is_archived = True
    w.appearance.save()
    made = svc.process_inspection_create(
        actor=inspector, kind="final", order_line_id=w.line.pk, lot_quantity=5
    )
    with pytest.raises(ValidationError):
        svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    assert ProcessInspection.objects.get().status == "pending"


def test_pass_fail_items_need_a_verdict(line_with_plans, inspector):
    w = line_with_plans
    made = svc.process_inspection_create(
        actor=inspector, kind="final", order_line_id=w.line.pk, lot_quantity=5
    )
    svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    with pytest.raises(ValidationError) as exc:
        svc.process_measurement_record(
            actor=inspector, inspection_id=made.pk, item_id=w.appearance.pk, unit_no=1
        )
    assert "ok" in exc.value.message_dict
    m = svc.process_measurement_record(
        actor=inspector, inspection_id=made.pk, item_id=w.appearance.pk, unit_no=1, ok="0"
    )
    assert not m.ok and m.value is None
    assert svc.process_inspection_complete(actor=inspector, inspection_id=made.pk).status == "failed"
    assert Decimal(made.lot_quantity) == 5
