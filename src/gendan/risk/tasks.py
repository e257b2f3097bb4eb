"""Background work of the delivery risk: every open order assessed again (core.periodic)."""

from django_tasks import task


@task()
def risk_refresh_task() -> int:
    """Store the delivery risk of every open order (the dates move by themselves: a day passing
    makes an order later, so the refresh is periodic, not only after a write)."""
    from .services import risk_refresh

    return risk_refresh()
