from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gendan.accounts"
    label = "accounts"
    verbose_name = _("People and permissions")

    def ready(self) -> None:
        self.register_menu()
        self.register_demo()
        self.register_login_audit()
        self.register_field_access()

    def register_login_audit(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from gendan.core.templatetags.gendan import register_action_labels

        from .login_guard import on_login, on_login_failed

        # Django's own signals: every login (page, API, admin) passes through authenticate().
        user_logged_in.connect(on_login, dispatch_uid="gendan.login_audit")
        user_login_failed.connect(on_login_failed, dispatch_uid="gendan.login_failed_audit")
        register_action_labels(
            {
                "login": _("Logged in"),
                "login_failed": _("Failed login"),
                "token_revoked": _("API token revoked"),
                "login_unlocked": _("Login unlocked"),
            }
        )

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
