"""Purchasing's rating of a supplier's service for a period (R-3.4): 1–5 stars with a note, one per
supplier and period; the scorecard reads it beside the figures computed from the records."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.permissions import RestrictedQuerySet


class ServiceRating(models.Model):
    """How the supplier served in a period (answers, documents, help with problems). `period` is
    the period's key (2026-03, 2026-Q1, 2026); a scorecard averages the ratings whose period
    overlaps its own."""

    supplier = models.ForeignKey(
        "masterdata.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=10)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    rating = models.PositiveSmallIntegerField(
        _("service rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Nobody for a rating taken over by a command or an import.
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["supplier_id", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "period"], name="service_rating_once_per_period"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1) & models.Q(rating__lte=5), name="service_rating_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.period}: {self.rating}"
