"""The order archive (R-6.1, R-6.3): documents (uploaded, or filed from another app's records by a
source in `sources.py`), requests for access to confidential ones, the grants they give, and the
log of every view and download."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.models import generated_upload_name

from .choices import RESTRICTED_LEVELS, Level, LogAction, RequestStatus
from .querysets import AccessLogQuerySet, AccessRequestQuerySet, DocumentQuerySet, GrantQuerySet


def document_upload_to(instance, filename: str) -> str:
    return generated_upload_name("archive", filename)


class Document(models.Model):
    """One version of one document of an order. A new upload of the same title and kind is a new
    version; the older ones stay."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="archive_documents"
    )
    # Copied from the order (customer) or named by the uploader (product), so the search filters
    # on this table alone.
    customer = models.ForeignKey(
        "masterdata.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "masterdata.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30)  # sources.kind_choices(): open to new sources
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    filed_on = models.DateField(_("filed on"))
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # A system-made document: its source's reference ("po:7"); empty for an upload.
    source_ref = models.CharField(_("source"), max_length=100, blank=True)
    level = models.CharField(
        _("confidentiality"), max_length=20, choices=Level.choices, default=Level.INTERNAL
    )
    allowed_roles = models.JSONField(_("allowed roles"), default=list, blank=True)
    allowed_departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("allowed departments"), blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive document")
        verbose_name_plural = _("archive documents")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_ref"], condition=~Q(source_ref=""), name="archive_document_source"
            ),
            models.UniqueConstraint(
                fields=["order", "kind", "title", "version"],
                condition=Q(source_ref=""),
                name="archive_document_version",
            ),
        ]
        indexes = [
            models.Index(fields=["-filed_on", "-id"], name="archive_doc_filed"),
            models.Index(fields=["order", "-filed_on"], name="archive_doc_order"),
            models.Index(fields=["customer", "-filed_on"], name="archive_doc_customer"),
            models.Index(fields=["product", "-filed_on"], name="archive_doc_product"),
            models.Index(fields=["kind", "-filed_on"], name="archive_doc_kind"),
            models.Index(fields=["level", "-filed_on"], name="archive_doc_level"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_restricted(self) -> bool:
        return self.level in RESTRICTED_LEVELS

    @property
    def kind_label(self):
        from .sources import kind_label

        return kind_label(self.kind)

    @property
    def is_system(self) -> bool:
        return bool(self.source_ref)


class AccessRequest(models.Model):
    """Someone outside a confidential document's roles and departments asks to open it."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="access_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    days = models.PositiveSmallIntegerField(_("period (days)"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    seen_at = models.DateTimeField(_("decision seen"), null=True, blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="archive_req_status")]
        permissions = [("approve_accessrequest", _("Can decide access requests"))]

    def __str__(self) -> str:
        return f"{self.document} · {self.requester}"


class Grant(models.Model):
    """What an approved request gives: the requester may open the document until `expires_at`.
    Nothing has to run when it expires: every access compares the time."""

    request = models.OneToOneField(
        AccessRequest, verbose_name=_("access request"), on_delete=models.PROTECT, related_name="grant"
    )
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted to"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("from"))
    expires_at = models.DateTimeField(_("until"))

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-expires_at", "-id"]
        indexes = [models.Index(fields=["document", "user", "expires_at"], name="archive_grant_live")]

    def __str__(self) -> str:
        return f"{self.document} · {self.user}"

    @property
    def is_live(self) -> bool:
        return self.starts_at <= timezone.now() < self.expires_at


class AccessLog(models.Model):
    """One view or download of one version of a document (R-6.3)."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=LogAction.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("access grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="archive_log_at"),
            models.Index(fields=["document", "-at"], name="archive_log_doc"),
            models.Index(fields=["user", "-at"], name="archive_log_user"),
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.user} · {self.action}"
