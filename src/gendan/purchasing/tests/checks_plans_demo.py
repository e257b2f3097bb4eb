"""The demo's purchase plan (step 61): drafted from the demo's requirements, most lines approved by
the demo merchandisers, one rejected with its reason, a revision submitted; built once."""

from gendan.purchasing.choices import Decision, PlanLineStatus, PlanStatus
from gendan.purchasing.demo_plans import build_purchase_plans
from gendan.purchasing.models import PlanLineDecision, PurchasePlan, PurchasePlanLine


def check_the_demo_has_a_plan_decided_with_one_rejection_and_its_revision(demo):
    first = PurchasePlan.objects.get(version=1)
    assert first.status == PlanStatus.SUPERSEDED
    assert first.lines.filter(status=PlanLineStatus.APPROVED).count() >= first.lines.count() - 1 > 0
    rejected = PlanLineDecision.objects.get(line__plan=first, decision=Decision.REJECTED)
    assert rejected.reason and rejected.merchandiser.role == "merchandiser"
    second = PurchasePlan.objects.get(version=2)
    assert second.status == PlanStatus.SUBMITTED and second.previous == first
    assert PlanLineDecision.objects.filter(line__plan=second, decision=Decision.PENDING).exists()
    count = PurchasePlanLine.objects.count()
    from gendan.accounts.models import User

    build_purchase_plans(users={u.username: u for u in User.objects.all()})
    assert PurchasePlanLine.objects.count() == count
