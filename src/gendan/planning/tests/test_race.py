"""Two people approving the same plan at once (a file database, real threads)."""

import pytest

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.planning.choices import VersionStatus as V
from gendan.planning.models import Plan, PlanVersion
from gendan.planning.services.flow import plan_approve, plan_reject
from gendan.testing import race


@pytest.mark.django_db(transaction=True)
def test_two_people_approving_at_once_only_one_wins(plans, users):
    old = plans.version(status=V.APPROVED)
    version = plans.version(old.plan.order, status=V.SUBMITTED)
    actors = [users["merchandiser"], users["admin"]]

    results = race(2, lambda i: plan_approve(actor=actors[i], version_id=version.pk))

    wins = [r for r in results if isinstance(r, PlanVersion)]
    conflicts = [r for r in results if isinstance(r, WorkflowConflict)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    assert AuditEntry.objects.filter(action="plan_approved", object_id=str(version.pk)).count() == 1
    assert AuditEntry.objects.filter(action="plan_superseded", object_id=str(old.pk)).count() == 1
    assert Plan.objects.get(pk=version.plan_id).in_force_id == version.pk


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_once_one_decision_stands(plans, users):
    version = plans.version(status=V.SUBMITTED)
    calls = [
        lambda: plan_approve(actor=users["merchandiser"], version_id=version.pk),
        lambda: plan_reject(actor=users["admin"], version_id=version.pk, reason="不行"),
    ]
    results = race(2, lambda i: calls[i]())
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    status = PlanVersion.objects.get(pk=version.pk).status
    assert status in (V.APPROVED, V.REJECTED)
    assert (
        AuditEntry.objects.filter(
            object_id=str(version.pk), action__in=["plan_approved", "plan_rejected"]
        ).count()
        == 1
    )
