"""After-sales (售后, R-5.3): a customer's complaint on an order, traced back through production,
inspections and materials, investigated by quality (its issue in the register), answered to the
customer with a reply PDF and rated; satisfaction per order and per complaint, entered by the
merchandiser or given by the customer through a signed, expiring, single-use link."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.models import generated_upload_name
from gendan.issues.choices import Severity

from .choices import SCORES, Channel, ComplaintStatus, RatingSource
from .querysets import ComplaintPartQuerySet, ComplaintQuerySet, RatingQuerySet


def _user(verbose, **kw):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **kw,
    )


class Complaint(models.Model):
    """客户投诉 KS-<year>-<nnnn>. (A shipment link is one nullable FK beside `order`.)"""

    number = models.CharField(_("number"), max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="complaints"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The delivery the customer complains about, when he names one (a line may ship in several).
    shipment = models.ForeignKey(
        "delivery.Shipment",
        verbose_name=_("shipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    quantity = models.DecimalField(_("quantity affected"), max_digits=14, decimal_places=4)
    description = models.TextField(pgettext_lazy("complaint", "what the customer reports"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contact_name = models.CharField(_("customer contact"), max_length=100, blank=True)
    received_on = models.DateField(pgettext_lazy("complaint", "received on"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=14, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    issue = models.OneToOneField(
        "issues.Issue",
        verbose_name=_("quality issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint",
    )
    # The investigation (quality): findings, or the corrective action of a nonconformance.
    root_cause = models.TextField(_("root cause"), blank=True)
    containment = models.TextField(_("containment"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    action_owner = _user(_("action owner"))
    action_due = models.DateField(_("action due"), null=True, blank=True)
    quality_action = models.ForeignKey(
        "quality.CorrectiveAction",
        verbose_name=_("corrective action of quality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigated_by = _user(_("investigated by"))
    investigated_at = models.DateTimeField(_("investigated"), null=True, blank=True)
    # The reply to the customer.
    reply = models.TextField(_("reply to the customer"), blank=True)
    answered_by = _user(_("answered by"))
    answered_at = models.DateTimeField(pgettext_lazy("complaint", "answered"), null=True, blank=True)
    closed_by = _user(_("closed by"))
    closed_at = models.DateTimeField(pgettext_lazy("complaint", "closed"), null=True, blank=True)
    reopened = models.PositiveIntegerField(_("times reopened"), default=0)
    created_by = _user(_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer complaint")
        verbose_name_plural = _("customer complaints")
        ordering = ["-received_on", "-pk"]
        permissions = [("investigate_complaint", "Can investigate customer complaints")]
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def fingerprint(self) -> str:
        return f"complaint:{self.pk}"

    @property
    def investigated(self) -> bool:
        """Quality recorded its findings (since it last took the complaint back)."""
        return bool(self.investigated_at and self.root_cause.strip() and self.corrective_action.strip())


def photo_upload_to(instance, filename: str) -> str:
    return generated_upload_name("complaints", filename)


class ComplaintPhoto(models.Model):
    """A photo the customer sent: stored under a generated name, always served as a download."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("photo"), upload_to=photo_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = _user(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ComplaintPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint photo")
        verbose_name_plural = _("complaint photos")
        ordering = ["complaint_id", "pk"]

    def __str__(self) -> str:
        return self.original_name


class RatingLink(models.Model):
    """A link the customer rates through, without an account: only the hash of its token is kept;
    it expires, and it is used once (`used_at` is set by a conditional UPDATE)."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating_links",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_by = _user(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating link")
        verbose_name_plural = _("rating links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.complaint_id or '-'} {self.expires_at:%Y-%m-%d}"


class Rating(models.Model):
    """满意度: the customer's score 1–5 for an order, or for one complaint on it."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="ratings"
    )
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), choices=SCORES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_on = models.DateField(_("rated on"))
    source = models.CharField(_("given"), max_length=14, choices=RatingSource.choices)
    link = models.OneToOneField(
        RatingLink,
        verbose_name=_("link"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    recorded_by = _user(_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-rated_on", "-pk"]
        constraints = [
            # One rating of the order as a whole; one per complaint (the OneToOne).
            models.UniqueConstraint(
                fields=["order"], condition=Q(complaint__isnull=True), name="aftersales_one_order_rating"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="aftersales_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"
