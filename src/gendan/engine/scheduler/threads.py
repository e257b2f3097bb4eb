"""Work in background threads: one piece beside the caller's (CP-SAT and the compiled kernels release
the GIL, so on two cores the two run at full speed side by side), and one-time loads of the compiled
kernels."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def beside(fn: Callable[[], T], name: str) -> Callable[[], T]:
    """Start ``fn`` in a daemon thread. The function returned waits for it and returns its result, or
    raises in the caller's thread what ``fn`` raised (an error must not vanish with its thread)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()

    def join() -> T:
        thread.join()
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        return box["result"]  # type: ignore[return-value]

    return join


class Loader:
    """A one-time load in a background thread: a numba kernel, loaded from numba's disk cache in about
    a second, compiled (several seconds) the first time after installation. A time limit is a promise,
    so callers go without the kernel until it is there, or wait for it a bounded time."""

    def __init__(self, load: Callable[[], object], name: str) -> None:
        self._load, self._name = load, name
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._started = False

    def load(self) -> None:
        self._load()
        self._done.set()

    def ready(self, *, wait: bool = False, up_to: float = 0.0) -> bool:
        """Whether it is loaded. If not, ``wait`` loads it now; otherwise the load starts in the
        background (once) and the caller waits ``up_to`` seconds at most."""
        if self._done.is_set():
            return True
        with self._lock:
            started, self._started = self._started, True
        if wait:
            # a load already under way in the background is waited for, not started a second time
            if started:
                self._done.wait()
            else:
                self.load()
            return True
        if not started:
            threading.Thread(target=self.load, name=self._name, daemon=True).start()
        return up_to > 0 and self._done.wait(up_to)
