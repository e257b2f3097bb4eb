"""Purchase plans' demo (step 61, after the requirements of step 60): a plan drafted from the
demo's requirements by the purchaser, submitted, most lines approved by the demo merchandisers
(and the manager for safety stock), one rejected with a reason, then a revision with that line
changed, submitted again. Built through the services; a second run adds nothing."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from gendan.core.demo import DemoPart

from .choices import Decision, PlanLineStatus
from .models import PlanLineDecision, PurchasePlan, PurchasePlanLine
from .services.plans import plan_draft, plan_line_remove, plan_line_update
from .services.plans_flow import plan_line_decide, plan_revise, plan_submit

REJECT_REASON = "客户要求推迟交期，本批先不采购 / The customer postponed delivery: not this batch"


def _counts() -> DemoPart:
    return DemoPart(
        counts={
            "purchase plans": PurchasePlan.objects.count(),
            "purchase plan lines": PurchasePlanLine.objects.count(),
        }
    )


def build_purchase_plans(users=None, **_earlier) -> DemoPart:
    if not users or PurchasePlan.objects.exists():
        return _counts()
    purchaser = users["purchaser"]
    try:
        plan = plan_draft(actor=purchaser)
    except ValidationError:
        return _counts()  # nothing to buy in this demo
    for line in plan.lines.filter(supplier__isnull=True):
        plan_line_remove(actor=purchaser, line_id=line.pk)
    if not plan.lines.exists():
        return _counts()
    plan = plan_submit(actor=purchaser, plan_id=plan.pk)
    pending = PlanLineDecision.objects.filter(line__plan=plan, decision=Decision.PENDING).select_related(
        "merchandiser"
    )
    rejected = pending.filter(merchandiser__role="merchandiser").order_by("line__position").first()
    if rejected is not None:
        plan_line_decide(
            actor=rejected.merchandiser, line=rejected.line_id, approve=False, reason=REJECT_REASON
        )
    for decision in pending.filter(line__status=PlanLineStatus.PROPOSED).order_by("line__position", "pk"):
        plan_line_decide(actor=decision.merchandiser, line=decision.line_id, approve=True)
    plan.refresh_from_db()
    if rejected is not None and plan.status == "decided":
        revision = plan_revise(actor=purchaser, plan_id=plan.pk)
        again = revision.lines.get(carried_from_id=rejected.line_id)
        half = max((again.quantity / 2).quantize(Decimal(1)), Decimal(1))
        plan_line_update(
            actor=purchaser,
            line_id=again.pk,
            data={"quantity": half, "note": "减半，分两批 / halved, two batches"},
        )
        plan_submit(actor=purchaser, plan_id=revision.pk)
    return _counts()
