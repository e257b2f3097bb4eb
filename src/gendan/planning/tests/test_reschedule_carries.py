"""Reschedule all open orders sends each order to the engine as building its plan does: the
planner's pins and splits in the version in force stay, started work stays where it is, and an
accepted proposal gives the version its parts, pins and materials (R-2.3)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.planning.models import OrderOperation, PlanVersion
from gendan.planning.services.adjust import plan_pin, plan_split
from gendan.planning.services.build import plan_build
from gendan.planning.services.reschedule import proposal_create
from gendan.planning.services.reschedule_accept import proposal_accept

from .helpers import put_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _deterministic(settings):
    settings.GENDAN_RESCHEDULE_WORK_LIMIT = 1


def _named(version: PlanVersion, name: str):
    return list(version.operations.filter(operation__name=name).order_by("part"))


def _proposal(actor, capture):
    with capture(execute=True):
        proposal = proposal_create(actor=actor, seconds=10)
    proposal.refresh_from_db()
    assert proposal.status == "ready", proposal.summary
    return proposal


def test_pins_splits_and_started_work_of_the_plan_in_force_are_kept(
    released, planner, factory, django_capture_on_commit_callbacks
):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    (turning,) = _named(version, "车削")
    version = plan_split(actor=planner, planned_id=turning.pk, quantities=[60, 40])
    (assembly,) = _named(version, "装配")
    start = timezone.localtime(assembly.start).replace(hour=9, minute=0, second=0) + dt.timedelta(days=3)
    version = plan_pin(actor=planner, planned_id=assembly.pk, start=start)
    put_in_force(version)
    first_part = _named(version, "车削")[0]
    OrderOperation.objects.filter(pk=first_part.operation_id).update(
        status="started", started_at=first_part.start
    )

    proposal = _proposal(planner, django_capture_on_commit_callbacks)
    (row,) = proposal.result["orders"]
    ops = {(op["name"], op["part"]): op for op in row["ops"]}
    # Started: the turning stays where the plan in force put it, whole, frozen.
    assert ops[("车削", 1)]["frozen"] and ops[("车削", 1)]["start"] == timezone.localtime(
        first_part.start
    ).isoformat(timespec="minutes")
    # The assembly keeps its pinned start.
    assert ops[("装配", 1)]["pinned_start"] and dt.datetime.fromisoformat(ops[("装配", 1)]["start"]) == start
    assert row["materials"] and all(Decimal(m["qty"]) > 0 for m in row["materials"])

    (accepted,) = proposal_accept(actor=planner, proposal_id=proposal.pk, order_ids=[released.pk])
    (pinned,) = _named(accepted, "装配")
    assert pinned.pinned_start == start and pinned.start == start
    assert accepted.materials.count() == len(row["materials"])
    assert {m.material.code for m in accepted.materials.all()} == {
        m.material.code for m in version.materials.all()
    }


def test_a_split_not_started_is_placed_in_its_parts(
    released, planner, factory, django_capture_on_commit_callbacks
):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    (turning,) = _named(version, "车削")
    version = plan_split(actor=planner, planned_id=turning.pk, quantities=[70, 30])
    put_in_force(version)

    proposal = _proposal(planner, django_capture_on_commit_callbacks)
    (row,) = proposal.result["orders"]
    parts = sorted((op["part"], Decimal(op["qty"])) for op in row["ops"] if op["name"] == "车削")
    assert parts == [(1, Decimal(70)), (2, Decimal(30))]
    assembly = next(op for op in row["ops"] if op["name"] == "装配")
    turned = max(op["end"] for op in row["ops"] if op["name"] == "车削")
    assert assembly["start"] >= turned  # the assembly waits for both parts

    (accepted,) = proposal_accept(actor=planner, proposal_id=proposal.pk, order_ids=[released.pk])
    assert [(p.part, p.quantity) for p in _named(accepted, "车削")] == [(1, Decimal(70)), (2, Decimal(30))]
