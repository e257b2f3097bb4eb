"""Periodic jobs (acknowledgement chasing, notification retries) without a separate scheduler:
`gendan worker` runs a small timer thread that enqueues each registered task when it is due.
The tasks themselves are idempotent (conditional updates), so two workers enqueueing the same
job do no harm; a daily job (the backup) runs once a day through a unique (job, day) row
(core.operations.worker.run_once_a_day). The same thread writes the worker's heartbeat and recovers
tasks a killed worker left "running"."""

import logging
import threading
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class Periodic:
    task: object  # a django-tasks Task
    every_seconds: float
    last: float | None = None  # never run in this process: due at the first tick


_JOBS: list[Periodic] = []


def register_periodic(task, *, every_seconds: float) -> None:
    if not any(job.task is task for job in _JOBS):
        _JOBS.append(Periodic(task, every_seconds))


def due_jobs(now: float) -> list[Periodic]:
    return [job for job in _JOBS if job.last is None or now - job.last >= job.every_seconds]


def run_due(now: float | None = None) -> int:
    now = time.monotonic() if now is None else now
    count = 0
    for job in due_jobs(now):
        try:
            job.task.enqueue()
            count += 1
        except Exception:  # a failed enqueue (database busy) is retried on the next tick
            logger.exception("could not enqueue periodic task %s", job.task)
            continue
        job.last = now
    return count


def housekeeping(worker_id: str) -> None:
    """The worker's heartbeat, and recovery of what a killed worker left "running"."""
    from django.db import close_old_connections

    from .operations.worker import beat, recover_stale_tasks

    try:
        beat(worker_id)
        recover_stale_tasks()
    except Exception:  # database busy or briefly away: the next tick tries again
        logger.exception("worker housekeeping failed")
    finally:
        # This thread lives as long as the worker: drop a broken or aged connection as a request would.
        close_old_connections()


def start_timer(stop: threading.Event, tick_seconds: float = 30.0, worker_id: str = "") -> threading.Thread:
    from django.conf import settings

    beat_every = settings.GENDAN_WORKER_HEARTBEAT_SECONDS

    def loop():
        last_enqueue = 0.0
        while not stop.is_set():
            if worker_id:
                housekeeping(worker_id)
            now = time.monotonic()
            if now - last_enqueue >= tick_seconds:
                run_due(now)
                last_enqueue = now
            stop.wait(min(beat_every, tick_seconds) if worker_id else tick_seconds)

    thread = threading.Thread(target=loop, name="gendan-periodic", daemon=True)
    thread.start()
    return thread
