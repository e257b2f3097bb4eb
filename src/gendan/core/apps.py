from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gendan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the SQLite pragma check)
        from .periodic import register_periodic
        from .tasks import cleanup_import_files, daily_backup_task

        register_periodic(cleanup_import_files, every_seconds=24 * 3600)
        register_periodic(daily_backup_task, every_seconds=3600)
        self.register_menu()
        from .api.schema import load_schema_extensions

        load_schema_extensions()

    def register_menu(self) -> None:
        from .menu import register_menu

        items = [(_("Audit trail"), "core:audit_list", "core.view_auditentry")]
        register_menu("admin", _("Administration"), 90, items, position=90)
