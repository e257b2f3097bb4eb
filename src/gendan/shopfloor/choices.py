"""Fixed lists of the shop floor: where a report came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportChannel(models.TextChoices):
    PHONE = "phone", _("Phone (traveller QR code)")
    DESKTOP = "desktop", _("Desktop grid")
    API = "api", _("API")
    QUALITY = "quality", _("Quality disposition")  # units set back by a nonconformance's disposition


class BoardScope(models.TextChoices):
    FACTORY = "factory", _("Whole factory")
    WORK_CENTRE = "work_centre", _("One work centre")
