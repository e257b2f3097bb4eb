"""Background work of the order flow."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def chase_acknowledgements() -> dict:
    """Remind and escalate missing acknowledgements (R-1.5); runs every few minutes in the worker."""
    from .services import acknowledgements_chase

    with audit_source("task"):
        return acknowledgements_chase()


@task()
def capacity_check_task(order_id: int) -> int:
    """The review's capacity-and-materials check (R-1.3), run in the worker."""
    from .services.review import order_check_capacity

    with audit_source("task"):
        return len(order_check_capacity(order_id=order_id))


@task()
def change_capacity_task(change_id: int) -> int:
    """Capacity and materials for a customer's new quantity or date (R-1.6), run in the worker."""
    from .services.changes import change_request_check_capacity

    with audit_source("task"):
        return change_request_check_capacity(change_id=change_id).pk
