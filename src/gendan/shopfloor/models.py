"""The shop floor (R-2.5, R-4.1, R-6.2): daily production reports per operation, the reasons for
scrap, and the read-only links of the progress board on a wall screen.

A report is never edited: a wrong one is reversed by a report of the opposite quantities that
points at it (`reverses`), so the running totals on the order operation always add up to the
reports, and both the mistake and its correction stay on record."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import LocalName
from gendan.core.models import MasterRecord

from .choices import BoardScope, ReportChannel
from .querysets import BoardLinkQuerySet, ReportQuerySet

ZERO = Decimal(0)


class ScrapReason(LocalName, MasterRecord):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("scrap reason")
        verbose_name_plural = _("scrap reasons")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class ProductionReport(models.Model):
    """生产日报: what one operation produced on one shift of one day."""

    operation = models.ForeignKey(
        "planning.OrderOperation",
        verbose_name=_("operation"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    work_date = models.DateField(_("date"), default=timezone.localdate)
    shift = models.ForeignKey(
        "masterdata.Shift",
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre", verbose_name=_("work centre"), on_delete=models.PROTECT, related_name="+"
    )
    good_qty = models.DecimalField(_("good quantity"), max_digits=14, decimal_places=4, default=ZERO)
    scrap_qty = models.DecimalField(_("scrap"), max_digits=14, decimal_places=4, default=ZERO)
    scrap_reason = models.ForeignKey(
        ScrapReason,
        verbose_name=_("scrap reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, default=ZERO)
    people = models.PositiveIntegerField(_("people"), default=1)
    finished = models.BooleanField(_("operation finished"), default=False)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    channel = models.CharField(
        _("entered by"), max_length=10, choices=ReportChannel.choices, default=ReportChannel.DESKTOP
    )
    # The report this one reverses (its quantities negated), and who allowed more good units than
    # the previous operation passed on.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    over_allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("more than passed on allowed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily production report")
        verbose_name_plural = _("daily production reports")
        ordering = ["-work_date", "-pk"]
        permissions = [
            ("allow_over_report", _("Can allow more good units than the previous operation passed on"))
        ]
        indexes = [
            models.Index(fields=["work_date", "work_centre"]),
            models.Index(fields=["operation", "work_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.work_date}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class BoardLink(models.Model):
    """A read-only link to the progress board for a wall screen: no login, nothing else reachable
    with it, revocable. Only a hash of the token is stored; the link is shown once."""

    name = models.CharField(_("screen"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("shows"), max_length=12, choices=BoardScope.choices, default=BoardScope.FACTORY
    )
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre",
        verbose_name=_("work centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_seen_at = models.DateTimeField(_("last shown"), null=True, blank=True)

    objects = BoardLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("board link")
        verbose_name_plural = _("board links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
