"""The race helper itself: outcomes in thread order, exceptions returned, a stuck thread reported."""

import threading
import time

import pytest

from gendan.testing import race


def test_each_thread_outcome_is_at_its_index_and_exceptions_are_returned():
    def worker(i):
        if i == 1:
            raise ValueError("lost")
        return i * 10

    results = race(3, worker)
    assert results[0] == 0 and results[2] == 20
    assert isinstance(results[1], ValueError)


def test_the_threads_run_at_the_same_time():
    # Each worker waits for all the others: that only returns if all n are running together.
    together = threading.Barrier(4)
    results = race(4, lambda i: together.wait(timeout=5))
    assert sorted(results) == [0, 1, 2, 3]


def test_a_thread_that_does_not_finish_fails_the_test():
    with pytest.raises(AssertionError, match="did not finish"):
        race(2, lambda i: time.sleep(1 if i else 0), timeout=0.2)
