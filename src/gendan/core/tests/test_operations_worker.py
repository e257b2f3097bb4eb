"""Several `gendan worker`s on one database: each task runs once, a daily job runs once a day, and
what a killed worker left "running" is retried or shown as failed."""

import contextlib
import datetime
import threading
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from gendan.core.models import ImportJob, JobRun, WorkerHeartbeat
from gendan.core.operations.worker import MAX_ATTEMPTS, recover_stale_tasks, run_once_a_day
from gendan.testing import race

RUNS: list[tuple[int, str]] = []
_runs_lock = threading.Lock()


@task()
def record_run(n: int) -> None:
    with _runs_lock:
        RUNS.append((n, threading.current_thread().name))
    time.sleep(0.002)


DB_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def _two_workers_run(count: int) -> list[int]:
    RUNS.clear()
    for n in range(count):
        record_run.using(backend="db").enqueue(n)

    def work(i: int) -> None:
        try:
            db_worker.Worker(
                queue_names=["default"],
                interval=0.01,
                batch=True,
                backend_name="db",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"worker-{i}",
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    outcomes = race(2, work, timeout=120)
    assert all(outcome is None for outcome in outcomes), outcomes
    return sorted(n for n, _ in RUNS)


@pytest.fixture
def slow_claim(monkeypatch):
    """Widen the window between reading a queued task and marking it claimed: two workers that
    both read it before either claims it would both run it."""
    claim = DBTaskResult.claim

    def slow(self, worker_id):
        time.sleep(0.02)
        claim(self, worker_id)

    monkeypatch.setattr(DBTaskResult, "claim", slow)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_two_workers_never_run_the_same_task_twice(slow_claim):
    ran = _two_workers_run(30)
    assert ran == list(range(30))
    # Each task was claimed once, by one of the two workers.
    claims = list(DBTaskResult.objects.values_list("worker_ids", flat=True))
    assert all(len(ids) == 1 and ids[0] in {"worker-0", "worker-1"} for ids in claims)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 30


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_without_an_exclusive_claim_the_same_task_would_run_twice(slow_claim, monkeypatch):
    """The check above can fail: the same two workers with a claim that does not lock run tasks twice."""
    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", lambda self: self.first())
    monkeypatch.setattr(db_worker, "exclusive_transaction", lambda using=None: contextlib.nullcontext())
    ran = _two_workers_run(30)
    assert len(ran) > len(set(ran)), "two workers without locking ran every task once: the race was not hit"


@pytest.mark.django_db(transaction=True)
def test_a_daily_job_runs_once_a_day_whatever_the_number_of_workers():
    ran = []
    together = threading.Barrier(4)

    def worker(i: int) -> bool:
        together.wait(timeout=10)
        try:
            return run_once_a_day("backup", lambda: ran.append(i) or "done", worker_id=f"w{i}")
        finally:
            connection.close()

    results = race(4, worker, timeout=60)
    assert sorted(results) == [False, False, False, True]
    assert len(ran) == 1
    run = JobRun.objects.get(job="backup")
    assert run.outcome == "done" and run.finished_at is not None
    # The next day it runs again.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert run_once_a_day("backup", lambda: "again", day=tomorrow)


def _running(worker_ids: list[str], path: str = "gendan.orders.tasks.chase_acknowledgements", args=None):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": args or [], "kwargs": {}},
        task_path=path,
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=worker_ids,
    )


@pytest.mark.django_db
def test_a_task_left_running_by_a_killed_worker_is_queued_again():
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=timezone.now() - datetime.timedelta(hours=1))
    busy = _running(["alive"])
    killed = _running(["dead"])
    vanished = _running(["never-beat"])
    assert recover_stale_tasks() == {"retried": 2, "failed": 0, "imports": 0}
    busy.refresh_from_db(), killed.refresh_from_db(), vanished.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING  # its worker is alive: still running
    assert killed.status == TaskResultStatus.READY and vanished.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_task_that_killed_its_worker_again_and_again_is_shown_as_failed():
    repeat = _running([f"dead{i}" for i in range(MAX_ATTEMPTS)])
    assert recover_stale_tasks()["failed"] == 1
    repeat.refresh_from_db()
    assert repeat.status == TaskResultStatus.FAILED
    assert "stopped" in repeat.traceback


@pytest.mark.django_db
def test_an_interrupted_import_is_shown_as_failed_not_running_for_ever(user_merchandiser):
    job = ImportJob.objects.create(
        kind="customers",
        file="imports/x.xlsx",
        original_name="x.xlsx",
        status=ImportJob.Status.RUNNING,
        created_by=user_merchandiser,
        language="en",
    )
    _running(["dead"], path="gendan.core.tasks.run_import", args=[job.pk])
    recover_stale_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "interrupted" in job.errors[0]["message"]
    assert job.finished_at is not None


@pytest.mark.django_db
def test_an_import_whose_worker_is_alive_is_left_running(user_merchandiser):
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    job = ImportJob.objects.create(
        kind="customers",
        file="imports/x.xlsx",
        original_name="x.xlsx",
        status=ImportJob.Status.RUNNING,
        created_by=user_merchandiser,
    )
    _running(["alive"], path="gendan.core.tasks.run_import", args=[job.pk])
    recover_stale_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


@pytest.mark.django_db
def test_an_import_queued_by_a_server_killed_before_it_queued_the_task_is_queued_again(user_merchandiser):
    """The upload is committed, then the task is queued (on commit): a kill in between leaves a
    queued job that no worker would ever pick up."""
    job = ImportJob.objects.create(
        kind="customers",
        file="imports/missing.xlsx",
        original_name="missing.xlsx",
        created_by=user_merchandiser,
        language="en",
    )
    recent = ImportJob.objects.create(
        kind="customers",
        file="imports/y.xlsx",
        original_name="y.xlsx",
        created_by=user_merchandiser,
    )
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert recover_stale_tasks()["imports"] == 1
    job.refresh_from_db(), recent.refresh_from_db()
    # The test runs tasks at once: the import ran (and reports the unreadable file) instead of waiting.
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert recent.status == ImportJob.Status.QUEUED  # a live server may be about to queue it


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_starting_worker_runs_again_what_a_killed_worker_left_running():
    from django.core.management import call_command

    RUNS.clear()
    left = record_run.enqueue(7)
    DBTaskResult.objects.filter(pk=left.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["killed-worker"]
    )
    call_command("worker", "--batch", "--interval", "0.01")
    assert [n for n, _ in RUNS] == [7]
    assert DBTaskResult.objects.get(pk=left.id).status == TaskResultStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops removes its heartbeat


@pytest.mark.django_db(transaction=True)
def test_the_workers_timer_beats_and_recovers():
    from gendan.core.periodic import housekeeping

    killed = _running(["dead"])
    race(1, lambda i: housekeeping("timer-worker"))  # in its own thread, as in the worker
    assert WorkerHeartbeat.objects.filter(worker_id="timer-worker").exists()
    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.READY
