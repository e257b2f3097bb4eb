"""Reschedule all open orders (R-2.3): the worker proposes, the planner accepts all or some; an
order that keeps its approved finish comes into force at once, one that moves later waits for its
merchandiser; a proposal made against another schedule in force is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.models import Notification
from gendan.planning.choices import ProposalStatus, VersionSource, VersionStatus
from gendan.planning.models import Plan, PlanMaterial
from gendan.planning.services.reschedule import proposal_create, proposal_discard
from gendan.planning.services.reschedule_accept import proposal_accept

from .conftest import at, clean_line, in_days, plan_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _deterministic(settings):
    settings.GENDAN_RESCHEDULE_WORK_LIMIT = 1


@pytest.fixture
def factory(orders, product, line_centre, make, other_customer):
    """Three open orders: A planned to finish in six weeks (the engine brings it forward), B
    released but not planned, C planned to finish in an hour (impossible: it moves later)."""
    motor = make.material(code="M-MOTOR", name="电机")
    make.bom_line(product, material=motor, quantity=Decimal("1"))
    make.stock(material=motor, quantity=100000)
    a = orders.released(lines=[clean_line(product, quantity=Decimal("80"), delivery_date=in_days(60))])
    va = plan_in_force(a, start=at(40), end=at(42, 17), centre=line_centre)
    PlanMaterial.objects.create(
        version=va, order_line=a.lines.get(), material=motor, quantity=Decimal("80"), need_date=in_days(39)
    )
    b = orders.released(
        customer=other_customer,
        lines=[clean_line(product, quantity=Decimal("160"), delivery_date=in_days(50))],
    )
    c = orders.released(lines=[clean_line(product, quantity=Decimal("400"), delivery_date=in_days(60))])
    vc = plan_in_force(c, start=at(0, 0), end=at(0, 1), centre=line_centre)
    return {"A": a, "B": b, "C": c, "va": va, "vc": vc}


def _ready(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_create(actor=user, seconds=10)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY, proposal.summary
    return proposal


def test_the_worker_proposes_for_every_open_order(users, factory, django_capture_on_commit_callbacks):
    proposal = _ready(users["production"], django_capture_on_commit_callbacks)
    assert proposal.progress == 100
    rows = {row["number"]: row for row in proposal.result["orders"]}
    a, b, c = (rows[factory[k].number] for k in "ABC")
    assert a["moved"] and not a["later"] and a["before"]["finish"] > a["after"]["finish"]
    assert b["before"] is None and b["moved"] and b["ops"][0]["wc"] == "WC-ASM"
    assert c["later"] and c["after"]["finish"] > c["before"]["finish"]
    assert all(op["start"] < op["end"] for row in rows.values() for op in row["ops"])
    assert proposal.summary["orders"] == 3 and proposal.summary["new"] == 1 and proposal.summary["moved"] == 3


def test_accept_some_approves_what_keeps_its_finish_and_submits_what_moves_later(
    users, factory, django_capture_on_commit_callbacks
):
    proposal = _ready(users["production"], django_capture_on_commit_callbacks)
    a, b, c = factory["A"], factory["B"], factory["C"]
    with django_capture_on_commit_callbacks(execute=True):  # the worker checks the new versions
        versions = proposal_accept(actor=users["production"], proposal_id=proposal.pk, order_ids=[a.pk, c.pk])
    by_order = {v.plan.order_id: v for v in versions}
    assert set(by_order) == {a.pk, c.pk}
    va, vc = by_order[a.pk], by_order[c.pk]
    assert (
        va.status == VersionStatus.APPROVED
        and va.source == VersionSource.RESCHEDULE
        and va.proposal == proposal
    )
    assert Plan.objects.get(order=a).in_force == va
    factory["va"].refresh_from_db()
    assert factory["va"].status == VersionStatus.SUPERSEDED
    # the materials are needed on the day the order now starts, and checked against stock
    [material] = va.materials.all()
    assert material.need_date == timezone.localtime(va.planned_start).date() < in_days(39)
    assert material.quantity == Decimal("80") and material.shortage == 0 and material.on_hand > 0
    assert vc.status == VersionStatus.SUBMITTED and Plan.objects.get(order=c).in_force == factory["vc"]
    assert Notification.objects.filter(recipient=c.merchandiser, event="plan.rescheduled").exists()
    assert vc.operations.count() == 1 and va.operations.get().work_centre.code == "WC-ASM"
    assert not Plan.objects.filter(order=b).exists()  # not accepted: nothing changes for B
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == users["production"]
    with pytest.raises(WorkflowConflict):
        proposal_accept(actor=users["production"], proposal_id=proposal.pk, order_ids=[b.pk])


def test_an_order_planned_for_the_first_time_gets_its_operations_and_waits_for_approval(
    users, factory, django_capture_on_commit_callbacks
):
    proposal = _ready(users["production"], django_capture_on_commit_callbacks)
    b = factory["B"]
    [version] = proposal_accept(actor=users["production"], proposal_id=proposal.pk, order_ids=[b.pk])
    assert version.status == VersionStatus.SUBMITTED and version.number == 1
    assert b.operations.count() == 1 and version.operations.get().operation.job_key.startswith("L")


def test_a_stale_proposal_is_refused(users, factory, orders, product, django_capture_on_commit_callbacks):
    proposal = _ready(users["production"], django_capture_on_commit_callbacks)
    orders.released(lines=[clean_line(product, delivery_date=in_days(70))])  # the factory changed
    with pytest.raises(WorkflowConflict, match="生效排程已发生变化"):
        proposal_accept(actor=users["production"], proposal_id=proposal.pk, order_ids=[factory["A"].pk])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY and not proposal.versions.exists()


def test_only_planners_run_accept_and_discard(users, factory, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        proposal_create(actor=users["merchandiser"], seconds=10)
    proposal = _ready(users["production"], django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        proposal_accept(actor=users["merchandiser"], proposal_id=proposal.pk, order_ids=[factory["A"].pk])
    with pytest.raises(PermissionDenied):
        proposal_discard(actor=users["quality"], proposal_id=proposal.pk)
    proposal_discard(actor=users["production"], proposal_id=proposal.pk)
    with pytest.raises(WorkflowConflict):
        proposal_accept(actor=users["production"], proposal_id=proposal.pk, order_ids=[factory["A"].pk])


def test_the_pages(
    client_production, client_merchandiser, users, factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_production.post("/planning/reschedule/", {"seconds": "10"})
    assert response.status_code == 302
    detail = client_production.get(response["Location"])
    html = detail.content.decode()
    assert detail.status_code == 200 and factory["A"].number in html and 'name="orders"' in html
    assert html.count("layer") == 0 and '<g class="bar' in html
    assert client_production.get(response["Location"] + "?days=abc").status_code == 400
    progress = client_production.get(response["Location"] + "?part=progress", HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"  # done: show the proposal
    assert client_merchandiser.get(response["Location"]).status_code == 200  # reads, cannot accept
    assert 'name="orders"' not in client_merchandiser.get(response["Location"]).content.decode()
    assert client_production.post("/planning/reschedule/", {"seconds": "99999"}).status_code == 302
    proposal_id = int(response["Location"].rstrip("/").split("/")[-1])
    accepted = client_production.post(f"/planning/reschedule/{proposal_id}/accept/", {"all": "1"})
    assert accepted.status_code == 302
    assert Plan.objects.filter(order=factory["B"]).exists()
    assert client_production.get("/planning/reschedule/").status_code == 200
    assert client_production.post("/planning/reschedule/999999/accept/", {"all": "1"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_planners_accepting_at_once_only_one_wins(users, factory, make):
    from gendan.planning.models import PlanVersion
    from gendan.testing import race

    proposal = proposal_create(actor=users["production"], seconds=10)  # committed: the task ran
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    actors = [users["production"], make.user(role="production")]
    ids = [factory["A"].pk, factory["B"].pk]

    results = race(2, lambda i: proposal_accept(actor=actors[i], proposal_id=proposal.pk, order_ids=ids))

    wins = [r for r in results if isinstance(r, list)]
    conflicts = [r for r in results if isinstance(r, WorkflowConflict)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    assert PlanVersion.objects.filter(proposal=proposal).count() == 2
