"""Building plans (R-2.1): the engine places every operation of the routing, sub-assemblies first,
and the plan lists the materials exploded from the BOM with scrap."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.orders.engine_adapter import load_factory, open_load
from gendan.planning.models import OrderOperation, PlanVersion
from gendan.planning.services.adjust import plan_pin, plan_split, plan_unpin
from gendan.planning.services.build import plan_build, plan_rerun
from gendan.testing.helpers import audit_actions

from .helpers import put_in_force


def test_a_two_level_order_places_the_sub_assembly_before_the_parent(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    assert version.status == "draft" and version.number == 1
    rows = {
        (r.operation.job_key.count("."), r.operation.name): r
        for r in version.operations.select_related("operation")
    }
    turning, assembly, test = rows[(1, "车削")], rows[(0, "装配")], rows[(0, "测试")]
    assert turning.end <= assembly.start <= assembly.end <= test.start
    assert turning.work_centre.code in {"CNC", "CNC2"} and assembly.work_centre.code == "ASM"
    assert OrderOperation.objects.filter(order=released).count() == 3
    materials = {m.material.code: m for m in version.materials.select_related("material")}
    assert materials["STEEL"].quantity == Decimal("165")  # 100 shafts × 1.5 kg + 10 % scrap
    assert materials["SEAL"].quantity == Decimal("210")
    assert materials["STEEL"].need_date == turning.start.date()
    assert version.planned_start == turning.start and version.planned_finish == test.end


def by_name(version):
    return {r.operation.name: r for r in version.operations.select_related("operation", "work_centre")}


def test_only_released_orders_are_planned(orders, planner):
    draft = orders.draft()
    with pytest.raises(ValidationError) as exc:
        plan_build(actor=planner, order_ids=[draft.pk])
    assert draft.number in str(exc.value) and "已下达" in str(exc.value)  # worded in the default language
    assert not PlanVersion.objects.exists()


def test_a_merchandiser_cannot_build_a_plan(released, users):
    with pytest.raises(PermissionDenied):
        plan_build(actor=users["merchandiser"], order_ids=[released.pk])


def test_building_again_withdraws_the_open_draft_and_numbers_the_next_version(released, planner):
    (first,) = plan_build(actor=planner, order_ids=[released.pk])
    (second,) = plan_build(actor=planner, order_ids=[released.pk])
    first.refresh_from_db()
    assert (first.status, second.status, second.number) == ("withdrawn", "draft", 2)
    assert OrderOperation.objects.filter(order=released).count() == 3  # the same operations, reused
    assert "plan_build" in audit_actions(second)


def test_two_orders_planned_at_once_share_the_machines(orders, product, planner):
    a, b = orders.released(), orders.released()
    va, vb = plan_build(actor=planner, order_ids=[a.pk, b.pk])
    turning_a, turning_b = by_name(va)["车削"], by_name(vb)["车削"]
    same_machine = turning_a.work_centre_id == turning_b.work_centre_id
    assert not same_machine or turning_a.end <= turning_b.start or turning_b.end <= turning_a.start


def test_a_pin_holds_when_the_draft_is_run_again(released, planner, factory):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    turning = by_name(version)["车削"]
    start = timezone.localtime(turning.start).replace(hour=9, minute=0) + dt.timedelta(days=2)
    plan_pin(actor=planner, planned_id=turning.pk, work_centre_id=factory["spare"].pk, start=start)
    version = plan_rerun(actor=planner, version_id=version.pk)
    turning = by_name(version)["车削"]
    assert turning.work_centre == factory["spare"] and turning.start == start
    assert turning.pinned_work_centre and turning.pinned_start == start
    assert by_name(version)["装配"].start >= turning.end  # the parent still waits for its shaft
    version = plan_unpin(actor=planner, planned_id=turning.pk)
    assert not by_name(version)["车削"].pinned_work_centre


def test_pinning_to_a_centre_the_routing_does_not_allow_is_refused(released, planner, factory):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    with pytest.raises(ValidationError):
        plan_pin(actor=planner, planned_id=by_name(version)["车削"].pk, work_centre_id=factory["asm"].pk)


def test_purchasing_cannot_pin(released, planner, users, factory):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    with pytest.raises(PermissionDenied):
        plan_pin(
            actor=users["purchasing"],
            planned_id=by_name(version)["车削"].pk,
            work_centre_id=factory["spare"].pk,
        )


def test_a_split_operation_runs_in_parts_and_the_next_one_waits_for_all(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    turning = by_name(version)["车削"]
    version = plan_split(actor=planner, planned_id=turning.pk, quantities=[60, 40])
    parts = list(version.operations.filter(operation=turning.operation).order_by("part"))
    assert [(p.part, p.quantity) for p in parts] == [(1, Decimal(60)), (2, Decimal(40))]
    assembly = by_name(version)["装配"]
    assert assembly.start >= max(p.end for p in parts)
    with pytest.raises(ValidationError):
        plan_split(actor=planner, planned_id=parts[0].pk, quantities=[50, 10])  # not 100


def test_only_a_draft_is_re_planned(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    put_in_force(version)
    with pytest.raises(WorkflowConflict):
        plan_rerun(actor=planner, version_id=version.pk)


def test_a_started_operation_stays_where_the_plan_in_force_put_it(released, planner):
    (first,) = plan_build(actor=planner, order_ids=[released.pk])
    put_in_force(first)
    turning = by_name(first)["车削"]
    OrderOperation.objects.filter(pk=turning.operation_id).update(status="started", started_at=turning.start)
    (second,) = plan_build(actor=planner, order_ids=[released.pk])
    again = by_name(second)["车削"]
    assert (again.start, again.end, again.work_centre_id, again.frozen) == (
        turning.start,
        turning.end,
        turning.work_centre_id,
        True,
    )
    with pytest.raises(WorkflowConflict):
        plan_split(actor=planner, planned_id=again.pk, quantities=[50, 50])


def test_the_order_review_sees_the_plan_in_force_where_it_was_placed(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    put_in_force(version)
    factory = load_factory()
    jobs = open_load(factory)
    frozen = [op.frozen for job in jobs for op in job.operations]
    assert jobs and all(job.id.startswith("F") for job in jobs) and all(frozen)
    starts = sorted(f.start for f in frozen)
    assert starts[0] == factory.minute_of(version.planned_start)


def test_plans_in_force_that_overlap_do_not_stop_the_next_plan(orders, planner):
    first, second, third = orders.released(), orders.released(), orders.released()
    v1, v2 = plan_build(actor=planner, order_ids=[first.pk, second.pk])
    # Both approved, one moved onto the other's machine and hours (drafts built at the same time).
    for mine in v2.operations.select_related("operation"):
        v1.operations.filter(operation__name=mine.operation.name).update(
            start=mine.start, end=mine.end, work_centre=mine.work_centre
        )
    put_in_force(v1)
    put_in_force(v2)
    (v3,) = plan_build(actor=planner, order_ids=[third.pk])
    assert v3.operations.count() == 3
