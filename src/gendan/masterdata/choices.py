from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    FINISHED = "finished", _("Finished product")
    SUB_ASSEMBLY = "sub_assembly", _("Sub-assembly")


class MaterialKind(models.TextChoices):
    RAW = "raw", _("Raw material")
    PART = "part", _("Purchased part")
    PACKAGING = "packaging", _("Packaging")
    CONSUMABLE = "consumable", _("Consumable")


class CreditStatus(models.TextChoices):
    OK = "ok", _("Normal")
    HOLD = "hold", _("On hold")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (no work)")
    OVERTIME = "overtime", _("Overtime day (work)")


WEEKDAY_CHOICES = [
    (1, _("Mon")),
    (2, _("Tue")),
    (3, _("Wed")),
    (4, _("Thu")),
    (5, _("Fri")),
    (6, _("Sat")),
    (7, _("Sun")),
]
