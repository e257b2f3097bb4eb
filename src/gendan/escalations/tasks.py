"""Background work of escalation: the tick every few minutes (core.periodic)."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def escalations_tick_task() -> dict:
    """Close escalations of closed issues, escalate by rule, pass up what nobody acknowledged."""
    from .services import escalations_tick

    with audit_source("task"):
        return escalations_tick()
