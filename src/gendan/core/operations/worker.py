"""The worker's own bookkeeping: a heartbeat row per worker, recovery of tasks left "running" by a
worker that was killed, and jobs that must run once a day however many workers there are."""

import datetime
import logging
import os
import socket
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..excel import RowError
from ..models import ImportJob, JobRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task that killed its worker this many times is not tried again (it may be what kills it).
MAX_ATTEMPTS = 3
LOST = "gendan.core.operations.worker.WorkerLost"


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()},
    )


def stop_beating(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _alive_workers(now: datetime.datetime) -> set[str]:
    since = now - datetime.timedelta(seconds=settings.GENDAN_WORKER_STALE_SECONDS)
    return set(WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True))


def recover_stale_tasks(now: datetime.datetime | None = None) -> dict[str, int]:
    """Tasks "running" under a worker that no longer beats were interrupted (SIGKILL, power cut):
    put them back in the queue, or mark them failed after MAX_ATTEMPTS. An import left "running" is
    shown as failed: its sheet is one transaction, so it wrote all of it or nothing, and the person
    who started it is told to check and import again rather than the worker guessing."""
    now = now or timezone.now()
    alive = _alive_workers(now)
    retried = failed = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        ):
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            if len(task.worker_ids) < MAX_ATTEMPTS:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                retried += 1
            else:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = LOST
                task.traceback = "The worker running this task stopped (killed or crashed)."
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                failed += 1
    imports = recover_stale_imports(now) + requeue_lost_imports(now)
    if retried or failed or imports:
        logger.warning(
            "recovered interrupted work: %s retried, %s failed, %s imports", retried, failed, imports
        )
    return {"retried": retried, "failed": failed, "imports": imports}


def _import_ids(tasks) -> set:
    return {
        job_id
        for job_id in {
            (task.args_kwargs.get("kwargs") or {}).get("job_id", (task.args_kwargs.get("args") or [None])[0])
            for task in tasks
        }
        if job_id is not None
    }


def requeue_lost_imports(now: datetime.datetime) -> int:
    """An import is queued after its upload is committed: a server killed in between leaves a
    queued job without a task. Queue it again (only old ones: a live server may be about to)."""
    from ..tasks import run_import

    pending = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING], task_path__endswith=".run_import"
    )
    queued = _import_ids(pending)
    since = now - datetime.timedelta(seconds=settings.GENDAN_WORKER_STALE_SECONDS)
    lost = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=since).exclude(
        pk__in=queued
    )
    count = 0
    for pk in lost.values_list("pk", flat=True):
        run_import.enqueue(pk)
        count += 1
    return count


def recover_stale_imports(now: datetime.datetime) -> int:
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path__endswith=".run_import")
    busy = _import_ids(running)
    count = 0
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING).exclude(pk__in=busy):
        with translation.override(job.language):
            message = _(
                "The import was interrupted (the server stopped). A sheet is saved entirely or not "
                "at all: check the list, then import the file again if its rows are missing."
            )
        count += ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.FAILED,
            errors=[RowError(0, "", message).as_dict()],
            done=0,
            finished_at=now,
        )
    return count


def run_once_a_day(job: str, run: Callable[[], str], *, worker_id: str = "", day=None) -> bool:
    """Run `run` unless this job already ran (or is running) today: the unique (job, day) row is
    inserted first, so of two workers only one gets to run it. Returns whether it ran here."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            record = JobRun.objects.create(job=job, day=day, worker_id=worker_id)
    except IntegrityError:
        return False
    try:
        outcome = run()
    except Exception as exc:
        JobRun.objects.filter(pk=record.pk).update(finished_at=timezone.now(), outcome=f"failed: {exc}")
        raise
    JobRun.objects.filter(pk=record.pk).update(finished_at=timezone.now(), outcome=outcome[:2000])
    return True
