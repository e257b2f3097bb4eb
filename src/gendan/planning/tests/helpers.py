"""What the planning tests share: a version put in force as the merchandiser's approval would."""

from gendan.planning.models import Plan, PlanVersion


def put_in_force(version: PlanVersion) -> PlanVersion:
    """Approve a version by hand (the approval workflow is tested with its own services)."""
    PlanVersion.objects.filter(pk=version.pk).update(status="approved")
    Plan.objects.filter(pk=version.plan_id).update(in_force=version)
    version.refresh_from_db()
    return version
