"""Core's reads: the audit trail, an object's history, a person's import jobs."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models

from .models import AuditEntry, ImportJob

AUDIT_PAGE_SIZE = 50


def audit_page(*, user, actor_name: str = "", page: str | int | None = None) -> Page:
    """One page of the whole audit trail, newest first, for those whose role may read it; narrowed
    to the people whose name contains `actor_name`."""
    qs = AuditEntry.objects.restrict(user, "view").select_related("actor", "content_type")
    actor_name = actor_name.strip()
    if actor_name:
        qs = qs.filter(actor_name__icontains=actor_name)
    return Paginator(qs, AUDIT_PAGE_SIZE).get_page(page)


def history_for(*, user, obj: models.Model):
    """Audit entries of one object. Callers have already checked the user may see the object."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    # content_type: the history rows look up each field's label through it (one query per row otherwise).
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related(
        "actor", "content_type"
    )


def import_jobs(*, user):
    """A person's own import jobs: nobody else sees them (their errors quote the sheet's contents)."""
    return ImportJob.objects.filter(created_by=user)
