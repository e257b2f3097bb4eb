"""What the apps above the issue register hook into it (issues imports none of them: each registers
from its AppConfig.ready(), like orders/hooks.py):

- close listeners: told, inside `issue_close`'s transaction, which issues were closed
  (escalations closes their live escalations at once);
- sources: the record an issue was opened from, read off its fingerprint (`nc:<pk>`, `case:<pk>`,
  `meeting-action:<pk>`) without a query, for the API;
- linked records: the rows the issue page lists under "Linked records" (where it comes from, its
  escalations, the meetings that discussed it), each asked for what the user may see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

# --------------------------------------------------------------------------- closing

_CLOSE_LISTENERS: list[Callable[..., Any]] = []


def register_close_listener(fn: Callable[..., Any]) -> None:
    """fn(*, actor, issue_ids: list[int]) is called inside the transaction that closed the issues.
    Inside, not after the commit: what it changes is part of closing (an issue closed with a live
    escalation would be a state nobody can act on), it is written or rolled back with the close,
    and a failure is seen by the person closing instead of being lost after the commit."""
    if fn not in _CLOSE_LISTENERS:
        _CLOSE_LISTENERS.append(fn)


def issues_closed(*, actor, issue_ids: Iterable[int]) -> None:
    ids = sorted(set(issue_ids))
    if ids:
        for fn in _CLOSE_LISTENERS:
            fn(actor=actor, issue_ids=ids)


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    kind: str  # a stable name for the API: "nonconformance", "supplier_case", "meeting_action"
    api_route: str  # the record's API detail route ("<basename>-detail"), taking its pk


@dataclass(frozen=True)
class SourceRef:
    kind: str
    id: int
    api: str


_SOURCES: dict[str, Source] = {}


def register_source(prefix: str, *, kind: str, api_route: str) -> None:
    """Issues whose fingerprint is `<prefix>:<pk>` were opened from that record."""
    known = _SOURCES.setdefault(prefix, Source(kind, api_route))
    if known.kind != kind:
        raise ValueError(f"Two sources share the fingerprint prefix {prefix!r}")


def source_of(issue) -> SourceRef | None:
    """The record the issue was opened from, if an app registered its kind: read off the
    fingerprint, so a list of issues costs no query for it."""
    prefix, _sep, pk = (issue.fingerprint or "").partition(":")
    source = _SOURCES.get(prefix)
    if source is None or not (pk.isascii() and pk.isdigit()):
        return None
    return SourceRef(source.kind, int(pk), reverse(source.api_route, args=[int(pk)]))


# --------------------------------------------------------------------------- linked records


@dataclass(frozen=True)
class LinkedRecord:
    """One row of the issue page's "Linked records": what it is, the record, and its state."""

    kind: Any
    text: str
    url: str = ""
    detail: str = ""
    source: bool = False  # the record the issue was opened from: listed first


_LINKED: list[Callable[[Any, Any], list[LinkedRecord]]] = []


def register_linked_records(fn: Callable[[Any, Any], list[LinkedRecord]]) -> None:
    """fn(user, issue) -> [LinkedRecord]: only records the user may see."""
    if fn not in _LINKED:
        _LINKED.append(fn)


def linked_records(user, issue) -> list[LinkedRecord]:
    rows = [row for fn in _LINKED for row in fn(user, issue)]
    return sorted(rows, key=lambda row: not row.source)  # stable: each app's order is kept
