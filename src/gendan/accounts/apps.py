from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gendan.accounts"
    label = "accounts"
    verbose_name = _("People and permissions")

    def ready(self) -> None:
        self.register_menu()
        self.register_demo()
        self.register_field_access()

    def register_field_access(self) -> None:
        from gendan.core.fieldaccess import register_field_access

        from .roles import hidden_fields

        register_field_access(hidden_fields)

    def register_menu(self) -> None:
        from gendan.core.menu import register_menu

        items = [
            (_("Users"), "accounts:user_list", "accounts.view_user"),
            (_("Departments"), "accounts:department_list", "accounts.view_department"),
        ]
        register_menu("admin", _("Administration"), 90, items, position=10)

    def register_demo(self) -> None:
        from gendan.core.demo import register_demo

        from .demo import build_people

        register_demo(10, build_people)
