from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gendan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the SQLite pragma check)

        self.register_menu()
        from .api.schema import load_schema_extensions

        load_schema_extensions()

    def register_menu(self) -> None:
        from .menu import register_menu

        items = [(_("Audit trail"), "core:audit_list", "core.view_auditentry")]
        register_menu("admin", _("Administration"), 90, items, position=90)
