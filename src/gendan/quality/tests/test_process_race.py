"""Two inspectors at once on the same lot (file database, real threads): of two starting it, one
inspects; of two deciding it, one decision stands, and a failed lot opens one nonconformance and
tells production and the merchandiser once."""

import pytest

from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.models import Notification
from gendan.quality import services_process as svc
from gendan.quality.models import Nonconformance, ProcessInspection
from gendan.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inspectors(inspector, make):
    return [inspector, make.user(role="quality", department=inspector.department)]


@pytest.fixture
def pending(line_with_plans, inspector):
    w = line_with_plans
    return svc.process_inspection_create(
        actor=inspector, kind="in_process", order_line_id=w.line.pk, operation_id=w.ops[0].pk, lot_quantity=80
    )


def test_two_inspectors_starting_the_same_lot_at_once_one_inspects(pending, inspectors):
    results = race(2, lambda i: svc.process_inspection_start(actor=inspectors[i], inspection_id=pending.pk))

    winners = [r for r in results if isinstance(r, ProcessInspection)]
    assert len(winners) == 1, results
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    assert ProcessInspection.objects.get(pk=pending.pk).inspector == winners[0].inspector


def test_two_inspectors_deciding_the_same_lot_at_once_one_decision_stands(
    pending, inspectors, line_with_plans
):
    first = inspectors[0]
    svc.process_inspection_start(actor=first, inspection_id=pending.pk)
    svc.process_measurement_record(
        actor=first, inspection_id=pending.pk, item_id=line_with_plans.diameter.pk, unit_no=1, value="20.4"
    )
    notes = ["外径超差", "复测仍超差"]

    results = race(
        2,
        lambda i: svc.process_inspection_complete(
            actor=inspectors[i], inspection_id=pending.pk, note=notes[i]
        ),
    )

    winners = [i for i, r in enumerate(results) if isinstance(r, ProcessInspection)]
    assert len(winners) == 1, results
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    decided = ProcessInspection.objects.get(pk=pending.pk)
    assert (decided.status, decided.note) == ("failed", notes[winners[0]])
    assert Nonconformance.objects.filter(inspection=decided).count() == 1
    told = Notification.objects.filter(event="quality.process_failed")
    assert told.filter(recipient__username="merchandiser").count() == 1
