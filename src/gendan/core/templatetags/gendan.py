from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..display import plain
from ..i18n import unit_label

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
def unit(value):
    """A stored unit (台, 米, pcs) as the reader says it."""
    return unit_label(value)


@register.filter
def action_label(action):
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


@register.simple_tag(takes_context=True)
def record_panels(context, obj):
    """Panels other apps registered for this record (core.registry.register_record_panel)."""
    from ..registry import record_panels as panels_for

    request = context.get("request")
    return mark_safe("".join(panels_for(request, obj)))  # noqa: S308 - rendered by templates


@register.simple_tag(takes_context=True)
def record_links(context, obj):
    """Links other apps registered for this record (core.registry.register_record_link)."""
    from ..registry import record_links as links_for

    request = context.get("request")
    return links_for(getattr(request, "user", None), obj)
