"""Background work of purchasing."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def requirements_task(run_id: int) -> str:
    """Compute the material requirements (R-3.1)."""
    from .services import requirements_run

    with audit_source("task"):
        return requirements_run(run_id=run_id).status


@task()
def requirements_refresh_task() -> str:
    """Every minute: compute again if plans, orders, stock or material settings changed."""
    from .services import requirements_refresh

    with audit_source("task"):
        run = requirements_refresh()
        return "queued" if run is not None else "unchanged"


@task()
def po_email_task(po_id: int, attempt: int = 1) -> str:
    """Mail a sent purchase order's PDF to the supplier (R-3.3); retried with back-off."""
    from .pdf_po import po_email_send

    with audit_source("task"):
        return po_email_send(po_id=po_id, attempt=attempt)


@task()
def orders_recheck_task(line_ids: list[int]) -> int:
    """After PO lines moved: the kit check of the orders they serve again, merchandisers told."""
    from .services.tracking import orders_recheck

    with audit_source("task"):
        return len(orders_recheck(line_ids=line_ids))


@task()
def po_chase_task() -> str:
    """Every hour: remind purchasing of late and at-risk PO lines, escalate the long-late ones."""
    from .services.tracking import po_lines_chase

    with audit_source("task"):
        reminded, escalated = po_lines_chase()
        return f"{reminded} reminded, {escalated} escalated"
