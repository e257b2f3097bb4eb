"""Records of the KPIs that live in apps above this one or beside it (delivery, after-sales): each
registers a source from its AppConfig.ready().

    register_source("lines", fn, describe=None)      # fn → engine.kpi.DueLine per merchandiser
    register_source("complaints", fn)                # engine.kpi.Complaint
    register_source("ratings", fn)                   # engine.kpi.Rating

`fn(merchandiser_ids, start, end)` returns {user id: [records]} for the records of those
merchandisers whose day (promised, received, rated) is in [start, end] (dates, both included; a
line also needs its deliveries up to today). `describe(kind, ids)` may return {id: (label, url)}
for the drill-down (kind: "line", "shipment", "complaint", "rating"); without it the id is shown.
With nothing registered a figure has no data and leaves the score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NAMES = ("lines", "complaints", "ratings")

Fetch = Callable[[Sequence[int], dt.date, dt.date], Mapping[int, Iterable[Any]]]
Describe = Callable[[str, Sequence[Any]], Mapping[Any, tuple[str, str]]]


@dataclass(frozen=True)
class Source:
    fetch: Fetch
    describe: Describe | None = None


_SOURCES: dict[str, Source] = {}


def register_source(name: str, fn: Fetch, *, describe: Describe | None = None) -> None:
    if name not in NAMES:
        raise ValueError(f"a KPI source is one of {', '.join(NAMES)}")
    _SOURCES[name] = Source(fn, describe)


def unregister_source(name: str) -> None:
    """For tests: take a source away again."""
    _SOURCES.pop(name, None)


def source(name: str) -> Source | None:
    return _SOURCES.get(name)
