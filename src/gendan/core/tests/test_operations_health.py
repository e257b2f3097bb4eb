"""/healthz for load balancers and the request id on responses, logs and error pages."""

import datetime
import logging

import pytest
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gendan.core.models import WorkerHeartbeat
from gendan.core.operations.requestid import RequestIdFilter


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]
handler500 = "gendan.core.operations.requestid.server_error"


def _queued(age_seconds: int) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="gendan.orders.tasks.chase_acknowledgements",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(seconds=age_seconds),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=age_seconds)
    )
    return task


@pytest.mark.django_db
def test_healthz_is_ok_with_a_live_worker_and_a_moving_queue():
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now())
    _queued(5)
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["worker"]["ok"] and body["queue"]["ok"]
    assert body["queue"]["oldest_seconds"] >= 5


@pytest.mark.django_db
def test_healthz_fails_without_a_worker_heartbeat():
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "last_seen_seconds": None}


@pytest.mark.django_db
def test_healthz_fails_when_the_worker_stopped_beating():
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now() - datetime.timedelta(minutes=10))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"


@pytest.mark.django_db
def test_healthz_fails_when_the_queue_is_stuck():
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now())
    _queued(3600)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"]["ok"] is False


@pytest.mark.django_db
def test_healthz_needs_no_login_and_tells_no_names(users):
    WorkerHeartbeat.objects.create(worker_id="secret-host-1234", seen_at=timezone.now())
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert b"secret-host" not in response.content


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy():
    client = Client()
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert (
        client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345678")["X-Request-ID"] == "proxy-id-12345678"
    )
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert "<" not in hostile and len(hostile) == 32


@pytest.mark.django_db
def test_404_page_shows_the_request_id_to_quote(client_merchandiser):
    response = client_merchandiser.get("/no/such/page/", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response.status_code == 404
    assert "abcdef0123456789" in response.content.decode()
    assert "如需帮助，请把这个编号告诉系统管理员" in response.content.decode()


@pytest.mark.django_db
def test_403_page_shows_the_request_id_in_the_readers_language(client_merchandiser):
    client_merchandiser.cookies["django_language"] = "en"
    response = client_merchandiser.get(
        "/audit/", HTTP_X_REQUEST_ID="forbidden-0123456789", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "forbidden-0123456789" in page
    assert "quote this number to your administrator" in page or "请把这个编号告诉系统管理员" in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_page_shows_the_request_id_in_both_languages():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-500-abcdef12")
    assert response.status_code == 500
    page = response.content.decode()
    assert "req-500-abcdef12" in page
    assert "请把这个编号告诉系统管理员" in page and "Quote this number to your administrator" in page
    assert response["X-Request-ID"] == "req-500-abcdef12"


def test_log_lines_carry_the_request_id():
    from gendan.core.operations import requestid

    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    token = requestid._current.set("req-log-12345678")
    try:
        RequestIdFilter().filter(record)
    finally:
        requestid._current.reset(token)
    assert record.request_id == "req-log-12345678"
    from django.conf import settings

    assert "%(request_id)s" in settings.LOGGING["formatters"]["plain"]["format"]
    assert "request_id" in settings.LOGGING["handlers"]["console"]["filters"]
