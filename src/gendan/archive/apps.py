from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "gendan.archive"
    label = "archive"
    verbose_name = _("Order archive")

    def ready(self) -> None:
        from gendan.core.attention import register_attention
        from gendan.core.demo import register_demo
        from gendan.core.menu import register_menu
        from gendan.core.periodic import register_periodic
        from gendan.core.registry import register_record_link
        from gendan.core.templatetags.gendan import register_action_labels
        from gendan.notifications.registry import register_event

        from .attention import archive_attention
        from .demo import build_archive
        from .links import order_links
        from .sources import register_upload_kinds
        from .sources_delivery import register_delivery_sources
        from .system_sources import register_system_sources
        from .tasks import archive_file_task

        register_upload_kinds()
        register_system_sources()
        register_delivery_sources()
        register_record_link("orders.order", order_links)
        register_attention(archive_attention)
        register_event("archive.access_requested", _("Access to a confidential document requested"))
        register_event("archive.access_decided", _("Access request decided"))
        register_action_labels(
            {
                "archive_upload": _("Document filed in the archive"),
                "archive_access_requested": _("Access to a document requested"),
                "archive_access_approved": _("Access to a document approved"),
                "archive_access_rejected": _("Access to a document rejected"),
                "archive_dossier": _("Order dossier exported"),
            }
        )
        register_menu(
            "orders",
            _("Orders"),
            10,
            [
                (_("Archive search"), "archive:search", "archive.view_document"),
                (_("Access requests"), "archive:requests", "archive.approve_accessrequest"),
                (_("My access requests"), "archive:my_requests", "archive.add_accessrequest"),
                (_("Archive access log"), "archive:log", "archive.view_accesslog"),
            ],
            position=80,
        )
        register_demo(95, build_archive)
        register_periodic(archive_file_task, every_seconds=24 * 3600)
