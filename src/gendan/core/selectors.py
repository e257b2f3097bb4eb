"""Core's reads: the audit trail, an object's history, a person's import jobs."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models
from django.utils.translation import gettext as _

from .models import AuditEntry, ImportJob
from .registry import ImportedLinks, get_import

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


def import_job_links(*, job: ImportJob, user) -> ImportedLinks:
    """What a finished import's page links to: what it created, as its import kind shows that to
    `user` (e.g. the orders it created), else the list the import was started from."""
    links = ImportedLinks()
    if job.status == ImportJob.Status.SUCCEEDED and job.created_ids:
        try:
            hook = getattr(get_import(job.kind), "created_links", None)
        except KeyError:
            hook = None
        if hook is not None:
            links = hook(job, user=user)
    if links.list_link is None and job.list_url:
        links.list_link = (_("Open the list"), job.list_url)
    return links
