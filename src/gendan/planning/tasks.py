"""Background work of production planning."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def reschedule_task(proposal_id: int) -> str:
    """Reschedule all open orders (R-2.3): the engine's proposal, stored for the planner to review."""
    from .services.reschedule import proposal_run

    with audit_source("task"):
        return proposal_run(proposal_id=proposal_id).status


@task()
def versions_check_task(version_ids: list[int]) -> int:
    """The checks of the versions a reschedule brought in (kit numbers, warnings): in the worker, as
    accepting a whole factory's proposal would otherwise hold the planner's page for minutes."""
    from .models import PlanVersion
    from .services.checks import calendars, version_check

    factory = calendars()
    versions = PlanVersion.objects.filter(pk__in=version_ids).select_related("plan__order")
    with audit_source("task"):
        for version in versions:
            version_check(version, factory)
    return len(version_ids)
