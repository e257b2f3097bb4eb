import datetime
from decimal import Decimal

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ..i18n import local_text, unit_label

register = template.Library()

# Action keys of audit entries and their (English, translated at display) labels; apps add theirs
# with register_action_labels() in their AppConfig.ready().
ACTION_LABELS = {
    "create": _("Created"),
    "update": _("Changed"),
    "archive": _("Archived"),
    "restore": _("Restored"),
    "import_create": _("Created by import"),
    "import_update": _("Changed by import"),
    "stock_move": _("Stock movement"),
    "delete": _("Deleted"),
    "password_reset": _("Password reset"),
}


def register_action_labels(labels: dict) -> None:
    ACTION_LABELS.update(labels)


@register.filter
def index(sequence, i):
    return sequence[i]


@register.filter
def display(value):
    """Show a value in a list or detail page: booleans as ✓, numbers without trailing zeros."""
    value = local_text(value)  # a stored name in both languages: the reader's
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
        return ", ".join(str(local_text(v)) for v in value) or "—"
    return value


@register.filter
def unit(value):
    """A stored unit (台, 米, pcs) as the reader says it."""
    return unit_label(value)


@register.filter
def action_label(action):
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


@register.filter
def field_label(name, entry):
    model = entry.content_type.model_class()
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
