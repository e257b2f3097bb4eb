"""Helpers for the test suite (importable from any test module, unlike conftest.py). Not an app and
not part of core: it knows every app (the role table, the API routes), like urls.py.

- `race(n, worker)`: run a function in n threads released at the same instant (races on the database).
- `EntityChecks` and `EntityCase`: the same checks for every master entity built on `core.crud.EntityViews`
  (list, detail, create, edit, archive/restore, history, export, import round trip, the API, and the
  role table's permissions), like NetBox's view test cases. An app gets them with a few lines:

      class TestPlanningEntities(EntityChecks):
          modules = (gendan.planning.views,)
          cases = {"plan": EntityCase(existing=lambda make: make.plan(), create=..., edit={"note": "改"})}
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

TEST_PASSWORD = "Factory-Floor-2026"


# ---------------------------------------------------------------- races


def race(n_threads: int, worker: Callable[[int], Any], *, timeout: float = 30.0) -> list[Any]:
    """Call worker(0) … worker(n_threads - 1) in as many threads, released together by a barrier.

    Returns what each call returned or raised, in thread order (index i is worker(i)'s outcome), so
    a test counts winners and losers. Each thread closes its own database connections when done;
    the test needs `django_db(transaction=True)` for the threads to see its data. A thread still
    running after `timeout` seconds fails the test (a deadlock), rather than being silently dropped.
    """
    from django.db import connections

    barrier = threading.Barrier(n_threads)
    pending = object()
    results: list[Any] = [pending] * n_threads

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[i] = worker(i)
        except BaseException as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()  # this thread's connections only

    threads = [
        threading.Thread(target=run, args=(i,), name=f"race-{i}", daemon=True) for i in range(n_threads)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = [i for i, thread in enumerate(threads) if thread.is_alive() or results[i] is pending]
    if stuck:
        raise AssertionError(f"race: threads {stuck} did not finish within {timeout} s (a deadlock?)")
    return results


from .entities import EntityCase, EntityChecks  # noqa: E402  (re-exported)

__all__ = ["TEST_PASSWORD", "EntityCase", "EntityChecks", "race"]
