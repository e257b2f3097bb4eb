"""Background work of production planning."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def reschedule_task(proposal_id: int) -> str:
    """Reschedule all open orders (R-2.3): the engine's proposal, stored for the planner to review."""
    from .services.reschedule import proposal_run

    with audit_source("task"):
        return proposal_run(proposal_id=proposal_id).status
