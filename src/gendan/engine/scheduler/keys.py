"""Priority keys the schedule builders place operations by."""

from __future__ import annotations

import numpy as np


class Keys:
    """Priority of each operation as sort columns, the most significant first (the last one is the
    topological position: no two operations tie). The builders take these or a list of tuples."""

    def __init__(self, *columns: np.ndarray) -> None:
        self.columns = columns

    def order(self) -> np.ndarray:
        """Operations by priority."""
        return np.lexsort(self.columns[::-1])

    def tuples(self) -> list[tuple]:
        return list(zip(*(c.tolist() for c in self.columns), strict=True))


def as_list(key: Keys | list) -> list:
    return key.tuples() if isinstance(key, Keys) else key
