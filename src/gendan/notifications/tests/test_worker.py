"""With the production queue (the database), the worker sends the outbox and schedules retries itself."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gendan.notifications.choices import DeliveryStatus, WebhookKind
from gendan.notifications.models import Delivery, DepartmentWebhook
from gendan.notifications.services import notify

pytestmark = pytest.mark.django_db


def run_queue() -> int:
    """What `gendan worker` does, in the test's own connection: run each ready task once."""
    done = 0
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.claim("test-worker")
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.set_successful(None)
        done += 1
    return done


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_sends_after_commit_and_queues_the_retry_for_later(
    database_queue, production, robots, django_capture_on_commit_callbacks
):
    DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    robots.reply("/wecom", 503, {})
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="order.released", recipients=[], title="订单已下达", departments=[production])
    # Queued, not sent: the user's request is done before any robot is contacted.
    assert robots.requests == []
    assert DBTaskResult.objects.filter(task_path__endswith="tasks.deliver").count() == 1

    run_queue()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    retry = DBTaskResult.objects.filter(task_path__endswith="tasks.deliver", status="READY").get()
    assert abs(retry.run_after - delivery.next_attempt_at) < datetime.timedelta(seconds=1)

    # When the retry is due the worker picks it up and the robot accepts it.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    Delivery.objects.update(next_attempt_at=timezone.now())
    run_queue()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert len(robots.requests) == 2


def test_the_sweeper_command_queues_what_is_due(database_queue, production, robots):
    webhook = DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    Delivery.objects.create(
        channel="webhook",
        event="order.released",
        webhook=webhook,
        target="g",
        payload={"msgtype": "text", "text": {"content": "x"}},
        status=DeliveryStatus.FAILED,
        attempts=1,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    call_command("notifications_retry")
    assert DBTaskResult.objects.filter(task_path__endswith="tasks.deliver").count() == 1
    run_queue()
    assert Delivery.objects.get().status == DeliveryStatus.SENT
