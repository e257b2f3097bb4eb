"""Purchasing's demo: the material requirements of the demo's plans and orders, computed as the
worker would (after planning and the shop floor have made theirs)."""

from gendan.core.demo import DemoPart

from .choices import RunStatus
from .models import MaterialRequirement, RequirementRun
from .services import requirements_request, requirements_run


def build_purchasing(**_earlier) -> DemoPart:
    # Computed once: a second build finds the purchases of the later steps in the fingerprint and
    # would compute again (the worker does that when the server runs), so the demo stays as built.
    done = RequirementRun.objects.filter(status=RunStatus.DONE).order_by("-pk").first()
    if done is None:
        run = requirements_request(enqueue=False)
        requirements_run(run_id=run.pk)  # here and now: the demo does not wait for the worker
    return DemoPart(
        counts={
            "material requirements": MaterialRequirement.objects.count(),
            "to buy": MaterialRequirement.objects.filter(to_buy__gt=0).count(),
        }
    )
