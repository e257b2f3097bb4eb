"""Background work of notifications: sending e-mails and robot messages, with retries."""

from django_tasks import task


@task()
def deliver(delivery_id: int) -> None:
    from .services import delivery_attempt

    delivery_attempt(delivery_id=delivery_id)


@task()
def retry_due() -> int:
    from .services import deliveries_retry_due

    return deliveries_retry_due()
