"""/healthz for load balancers: is the database reachable, is a worker alive, is the queue moving.
No login and nothing sensitive: states and ages in seconds only."""

import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from ..models import WorkerHeartbeat


def _age(since: datetime.datetime | None, now: datetime.datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def check() -> dict:
    now = timezone.now()
    report: dict = {"database": {"ok": True}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the database is down: nothing else can be checked
        report["database"] = {"ok": False}
        report["ok"] = False
        return report
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    worker_age = _age(seen, now)
    report["worker"] = {
        "ok": worker_age is not None and worker_age <= settings.GENDAN_WORKER_STALE_SECONDS,
        "last_seen_seconds": worker_age,
    }
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    queue_age = _age(oldest, now)
    report["queue"] = {
        "ok": queue_age is None or queue_age <= settings.GENDAN_QUEUE_MAX_AGE_SECONDS,
        "oldest_seconds": queue_age,
    }
    report["ok"] = all(part["ok"] for part in (report["database"], report["worker"], report["queue"]))
    return report


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = check()
    report["status"] = "ok" if report["ok"] else "unhealthy"
    return JsonResponse(report, status=200 if report["ok"] else 503)
