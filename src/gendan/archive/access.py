"""May this person open this document? (R-6.3) The listing follows the order's rules (querysets.py);
opening a confidential or secret document further needs one of: administrator, the uploader, a role
or department the document allows, or a live grant. A grant's end is compared at every access, so
nothing has to run when it expires."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .models import Document, Grant


@dataclass(frozen=True)
class Access:
    may_open: bool
    grant: Grant | None = None  # the live grant it opens by, if that is the reason
    expired: Grant | None = None  # the last grant that ran out, when nothing else opens it


def allowed_without_grant(user: Any, document: Document) -> bool:
    if not document.is_restricted or user.is_admin:
        return True
    if document.uploaded_by_id == user.pk:
        return True
    if user.role in (document.allowed_roles or []):
        return True
    if user.department_id is None:
        return False
    return document.allowed_departments.filter(pk=user.department_id).exists()


def access_for(user: Any, document: Document) -> Access:
    if allowed_without_grant(user, document):
        return Access(True)
    now = timezone.now()
    grants = Grant.objects.filter(document=document, user=user)
    live = grants.filter(starts_at__lte=now, expires_at__gt=now).order_by("-expires_at").first()
    if live:
        return Access(True, grant=live)
    return Access(False, expired=grants.filter(expires_at__lte=now).order_by("-expires_at").first())


def openable_ids(user: Any, documents: list[Document]) -> set[int]:
    """Of `documents` (their allowed departments prefetched), those `user` may open: a few queries
    for any number (the archive tab, the dossier)."""
    now = timezone.now()
    restricted = [d for d in documents if d.is_restricted]
    granted = set(
        Grant.objects.filter(
            user=user, document__in=[d.pk for d in restricted], starts_at__lte=now, expires_at__gt=now
        ).values_list("document_id", flat=True)
    )
    result = set()
    for d in documents:
        if (
            not d.is_restricted
            or d.pk in granted
            or user.is_admin
            or d.uploaded_by_id == user.pk
            or user.role in (d.allowed_roles or [])
            or user.department_id
            and any(dep.pk == user.department_id for dep in d.allowed_departments.all())
        ):
            result.add(d.pk)
    return result
