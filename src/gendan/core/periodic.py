"""Periodic jobs (acknowledgement chasing, notification retries) without a separate scheduler:
`gendan worker` runs a small timer thread that enqueues each registered task when it is due.
The tasks themselves are idempotent (conditional updates), so two workers enqueueing the same
job do no harm."""

import logging
import threading
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class Periodic:
    task: object  # a django-tasks Task
    every_seconds: float
    last: float = 0.0


_JOBS: list[Periodic] = []


def register_periodic(task, *, every_seconds: float) -> None:
    if not any(job.task is task for job in _JOBS):
        _JOBS.append(Periodic(task, every_seconds))


def due_jobs(now: float) -> list[Periodic]:
    return [job for job in _JOBS if now - job.last >= job.every_seconds]


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


def start_timer(stop: threading.Event, tick_seconds: float = 30.0) -> threading.Thread:
    def loop():
        while not stop.is_set():
            run_due()
            stop.wait(tick_seconds)

    thread = threading.Thread(target=loop, name="gendan-periodic", daemon=True)
    thread.start()
    return thread
