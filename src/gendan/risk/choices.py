"""The levels of delivery risk (gendan.engine.delivery_risk.LEVELS), worded for the pages."""

from django.db import models
from django.utils.translation import pgettext_lazy

from gendan.engine import delivery_risk as dr
from gendan.orders.choices import OrderStatus

# Orders whose delivery is still ahead of them: released, in production, ready to ship, shipped
# and not yet delivered (what the delivery app reports delivered per line comes through adapter.py).
RISK_STATES = (
    OrderStatus.RELEASED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.SHIPPED,
)


class Level(models.TextChoices):
    ON_TRACK = dr.ON_TRACK, pgettext_lazy("delivery risk", "On track")
    WATCH = dr.WATCH, pgettext_lazy("delivery risk", "Watch")
    AT_RISK = dr.AT_RISK, pgettext_lazy("delivery risk", "At risk")
    LATE = dr.LATE, pgettext_lazy("delivery risk", "Late")


# The badge of each level on the pages (app.css: danger red, warn amber, info blue, ok green).
LEVEL_CSS = {Level.LATE: "danger", Level.AT_RISK: "warn", Level.WATCH: "info", Level.ON_TRACK: "ok"}
GRAVEST_FIRST = tuple(reversed(dr.LEVELS))
