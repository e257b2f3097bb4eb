from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gendan.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from gendan.core.periodic import register_periodic

        from .tasks import retry_due

        # Failed e-mails and robot messages are retried when due (see RETRY_DELAYS).
        register_periodic(retry_due, every_seconds=60)
        self.register_action_labels()

    def register_action_labels(self) -> None:
        from gendan.core.templatetags.gendan import register_action_labels

        register_action_labels(
            {"webhook_test_sent": _("Test message sent"), "webhook_test_failed": _("Test message failed")}
        )
