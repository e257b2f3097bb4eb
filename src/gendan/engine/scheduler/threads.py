"""One piece of work in a background thread beside the caller's: CP-SAT and the compiled tabu kernel
release the GIL, so on two cores the two run at full speed side by side."""

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
