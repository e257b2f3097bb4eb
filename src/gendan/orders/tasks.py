"""Background work of the order flow."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def chase_acknowledgements() -> dict:
    """Remind and escalate missing acknowledgements (R-1.5); runs every few minutes in the worker."""
    from .services import acknowledgements_chase

    with audit_source("task"):
        return acknowledgements_chase()
