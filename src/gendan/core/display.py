"""Stored values as the pages show them: the label of a choice, yes/no, a local time.

The audit trail keeps raw values (the stored choice "reviewed", True, an ISO time) so that it stays
true whatever the labels become; its readers word them at display time through the model's field
definitions, in the reader's language."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .i18n import local_text

EMPTY = "—"


def model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The field's label as the record's page shows it ("Created by"), or the name itself."""
    field = model_field(model, name)
    return capfirst(str(field.verbose_name)) if field is not None else name


def field_value(model: type[models.Model] | None, name: str, value: Any) -> Any:
    """A raw value of `model.name` (as the audit trail stores it) worded as the pages show it."""
    value = local_text(value)  # a name stored in both languages: the reader's
    if value is None or value == "" or value == []:
        return EMPTY
    field = model_field(model, name)
    if isinstance(value, list):
        return ", ".join(str(field_value(model, name, v)) for v in value)
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "Y-m-d H:i")
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "Y-m-d")
    return plain(value)


def plain(value: Any) -> Any:
    """A value of a list or detail page: numbers without trailing zeros, times to the minute."""
    value = local_text(value)
    if value is None or value == "":
        return EMPTY
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize() if value == value.to_integral() else value.normalize())
    if isinstance(value, datetime.datetime):
        # Stored in UTC; shown in the factory's time like every other time on the page.
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(moment, "Y-m-d H:i")
    if isinstance(value, list):
        return ", ".join(str(local_text(v)) for v in value) or EMPTY
    return value
