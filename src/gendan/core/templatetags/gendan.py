from django import template
from django.utils.translation import gettext_lazy as _

from ..display import field_label as display_field_label
from ..display import field_value, plain

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
    return plain(value)


@register.filter
def action_label(action):
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


@register.filter
def field_label(name, entry):
    """The label of a changed field of an audit entry, as the record's page shows it."""
    return display_field_label(entry.content_type.model_class(), name)


@register.simple_tag
def audit_value(entry, name, value):
    """A changed value of an audit entry as the pages show it: the choice's label, yes/no, the
    local time, in the reader's language (the entry keeps the raw value)."""
    return field_value(entry.content_type.model_class(), name, value)
