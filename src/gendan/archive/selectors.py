"""Reads of the archive, each restricted to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.orders.models import Order

from .access import openable_ids
from .choices import RequestStatus
from .filters import AccessLogFilter, DocumentFilter
from .models import AccessLog, AccessRequest, Document, Grant

PAGE_SIZE = 50
MAX_PAGE = 200  # deep pages: narrow the search instead


@dataclass
class SearchPage:
    rows: list[Document]
    page: int
    has_next: bool
    form: Any
    openable: set[int]


def document_list(*, user, action: str = "view") -> QuerySet[Document]:
    return Document.objects.restrict(user, action)


def _page_number(value: Any) -> int:
    try:
        return min(max(int(value), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def document_search(*, user, params: Any) -> SearchPage:
    """One page of the search, newest first. No COUNT: a page reads PAGE_SIZE + 1 rows through the
    filed-on index (or the filter's), so its time and queries do not grow with the archive."""
    f = DocumentFilter(params, queryset=document_list(user=user))
    page = _page_number(params.get("page"))
    if not f.is_valid():
        return SearchPage([], page, False, f.form, set())
    start = (page - 1) * PAGE_SIZE
    rows = list(
        f.qs.select_related("order", "customer")
        .prefetch_related(Prefetch("allowed_departments", queryset=Department.objects.only("pk")))
        .order_by("-filed_on", "-id")[start : start + PAGE_SIZE + 1]
    )
    return SearchPage(
        rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE, f.form, openable_ids(user, rows[:PAGE_SIZE])
    )


def order_archive(*, user, order: Order) -> list[Document]:
    """The order's archive tab, filed by date (newest first), each version apart."""
    return list(
        document_list(user=user)
        .filter(order=order)
        .select_related("uploaded_by", "product")
        .prefetch_related("allowed_departments")
        .order_by("-filed_on", "kind", "title", "-version", "-id")
    )


def document_versions(*, user, document: Document) -> list[Document]:
    """Every version of an upload (the same order, kind and title), newest first."""
    if document.source_ref:
        return [document]
    return list(
        document_list(user=user)
        .filter(order_id=document.order_id, kind=document.kind, title=document.title, source_ref="")
        .select_related("uploaded_by")
        .order_by("-version")
    )


def access_log_list(*, user, params: Any = None) -> tuple[QuerySet[AccessLog], Any]:
    f = AccessLogFilter(params or {}, queryset=AccessLog.objects.restrict(user, "view"))
    qs = f.qs if f.is_valid() else AccessLog.objects.none()
    return qs.select_related("document", "document__order", "user").order_by("-at", "-id"), f.form


def document_log(*, user, document: Document) -> list[AccessLog]:
    if not user.has_perm("archive.view_accesslog"):
        return []
    return list(
        AccessLog.objects.restrict(user, "view")
        .filter(document=document)
        .select_related("user")
        .order_by("-at")[:50]
    )


def requests_waiting(*, user) -> QuerySet[AccessRequest]:
    """The requests a manager may decide, oldest first."""
    return (
        AccessRequest.objects.restrict(user, "approve")
        .filter(status=RequestStatus.PENDING)
        .select_related("document", "document__order", "requester")
        .order_by("requested_at", "id")
    )


def requests_decided(*, user) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.restrict(user, "view")
        .exclude(status=RequestStatus.PENDING)
        .select_related("document", "document__order", "requester", "decided_by")
        .order_by("-decided_at", "-id")
    )


def my_requests(*, user) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(requester=user)
        .select_related("document", "document__order", "decided_by", "grant")
        .order_by("-requested_at", "-id")
    )


def grant_list(*, user, live_only: bool = False) -> QuerySet[Grant]:
    qs = Grant.objects.restrict(user, "view").select_related("document", "document__order", "user")
    if live_only:
        now = timezone.now()
        qs = qs.filter(starts_at__lte=now, expires_at__gt=now)
    return qs.order_by("-expires_at", "-id")


def pending_request(*, user, document: Document) -> AccessRequest | None:
    return AccessRequest.objects.filter(
        document=document, requester=user, status=RequestStatus.PENDING
    ).first()
