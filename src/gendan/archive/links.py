"""The order archive's link on the order's dossier (core.registry.register_record_link)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def order_links(user, order) -> list[tuple[str, str]]:
    if not user.has_perm("archive.view_document"):
        return []
    return [(_("Archive"), reverse("archive:order", args=[order.pk]))]
