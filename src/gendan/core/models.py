import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .display import field_label, field_value
from .i18n import pick
from .permissions import RestrictedQuerySet

SYSTEM = "system"  # the actor name of what no person did (tasks, the worker)


class MasterRecord(models.Model):
    """Common shape of master data: archived instead of deleted, timestamps for the history."""

    is_archived = models.BooleanField(_("archived"), default=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    audit_exclude = ("created_at", "updated_at")

    class Meta:
        abstract = True


class AuditSource(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    IMPORT = "import", _("Excel import")
    COMMAND = "command", _("Command")
    TASK = "task", _("Background task")


class AuditEntry(models.Model):
    """One recorded change (R-8.1). Written by services, in the same transaction as the change."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("user name"), max_length=150)
    source = models.CharField(_("source"), max_length=16, choices=AuditSource.choices)
    action = models.CharField(_("action"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    object_repr_en = models.CharField(_("object (English)"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    # The dossier an entry belongs to, e.g. "order:42": an order's timeline gathers the entries of
    # the order, its lines, acknowledgements, plans, purchases and deliveries in one indexed query.
    scope = models.CharField(_("dossier"), max_length=40, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    # What the pages show: the reader's language (the English text is kept where it differs).
    @property
    def shown_object(self) -> str:
        return pick(self.object_repr, self.object_repr_en)

    @property
    def shown_note(self) -> str:
        return pick(self.note, self.note_en)

    @property
    def shown_actor(self) -> str:
        """Who did it: the person, or "System" (in the reader's language) for the worker."""
        if self.actor is not None:
            return str(self.actor)
        return self.shown_actor_name

    @property
    def shown_actor_name(self) -> str:
        """The log-in name, or "System" (in the reader's language) for the worker."""
        if self.actor_id is None and self.actor_name == SYSTEM:
            return str(_("System"))
        return self.actor_name

    @property
    def shown_changes(self) -> list[tuple[str, Any, Any]]:
        """(field label, old, new) for the reader, as the record's pages show them (core.display):
        labels capitalised, choices by their label, yes/no, local times, names in his language."""
        model = self.content_type.model_class()
        rows = []
        for name, pair in (self.changes or {}).items():
            old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
            rows.append(
                (field_label(model, name), field_value(model, name, old), field_value(model, name, new))
            )
        return rows


def generated_upload_name(folder: str, filename: str) -> str:
    """Uploads are stored under a generated name: the user's file name is kept only as data."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else ""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def import_upload_to(instance, filename: str) -> str:
    return generated_upload_name("imports", filename)


class ImportJob(models.Model):
    """An Excel import running in the worker; the page polls it for the progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Rejected")

    kind = models.CharField(_("import"), max_length=60)
    file = models.FileField(upload_to=import_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(default=list, blank=True)  # the first MAX_REPORTED_ERRORS problems
    error_count = models.PositiveIntegerField(default=0)  # all of them
    # What the import created (primary keys), and the list it was started from: its result page
    # links to them.
    created_ids = models.JSONField(default=list, blank=True)
    list_url = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="zh-hans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def problem_count(self) -> int:
        return max(self.error_count, len(self.errors))

    @property
    def problems_not_shown(self) -> int:
        return self.problem_count - len(self.errors)

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class WorkerHeartbeat(models.Model):
    """Each running `gendan worker` refreshes its row: /healthz reports a worker that stopped, and a
    task still "running" under a worker that stopped beating is recovered (core.operations.worker)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self) -> str:
        return self.worker_id


class JobRun(models.Model):
    """One run of a daily job: the unique (job, day) row is what lets only one of several workers run
    it (the second insert fails, whatever the database)."""

    job = models.CharField(max_length=60)
    day = models.DateField()
    worker_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        verbose_name = _("job run")
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="core_jobrun_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
