"""The delivery risk of each open order as last assessed (one row per order), so the order list
can sort and filter by it in the database and the home page reads it in one query. It is derived
data: `services.risk_refresh` rewrites it from the sources (every minute in the worker, and for an
order at once when a page finds its row missing or older than yesterday)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Level


class OrderRisk(models.Model):
    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="risk",
    )
    level = models.CharField(_("delivery risk"), max_length=10, choices=Level.choices)
    score = models.PositiveSmallIntegerField(_("risk score"))
    slack_days = models.IntegerField(_("slack (days)"), null=True, blank=True)
    expected_finish = models.DateField(_("expected finish"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    # [[code, params], ...] as gendan.engine.delivery_risk gives them; worded when shown.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_at = models.DateTimeField(_("assessed at"))

    objects: models.Manager["OrderRisk"] = models.Manager()

    class Meta:
        verbose_name = _("delivery risk")
        verbose_name_plural = _("delivery risks")
        indexes = [models.Index(fields=["score"]), models.Index(fields=["level"])]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.level}"
