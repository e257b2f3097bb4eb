"""What the quality records (R-4.2) register at start-up (called from apps.py): the menu entry."""

from django.utils.translation import gettext_lazy as _


def ready_records() -> None:
    from gendan.core.menu import register_menu

    from .selectors_records import RECORDS_PERMISSION

    register_menu(
        "quality",
        _("Quality"),
        18,
        [(_("Quality records"), "quality:records", RECORDS_PERMISSION)],
        position=60,
    )
