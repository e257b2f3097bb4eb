import datetime
from decimal import Decimal

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

ACTION_LABELS = {
    "create": "Created",
    "update": "Changed",
    "archive": "Archived",
    "restore": "Restored",
    "import_create": "Created by import",
    "import_update": "Changed by import",
    "stock_move": "Stock movement",
}


@register.filter
def index(sequence, i):
    return sequence[i]


@register.filter
def display(value):
    """Show a value in a list or detail page: booleans as ✓, numbers without trailing zeros."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize() if value == value.to_integral() else value.normalize())
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "Y-m-d H:i")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return value


@register.filter
def action_label(action):
    label = ACTION_LABELS.get(action)
    return _(label) if label else action


@register.filter
def field_label(name, entry):
    model = entry.content_type.model_class()
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
