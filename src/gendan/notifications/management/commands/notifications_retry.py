from django.core.management.base import BaseCommand

from gendan.notifications.services import deliveries_retry_due


class Command(BaseCommand):
    help = (
        "Queue the notification e-mails and robot messages that are due: failed ones whose retry "
        "time has come and any the worker never picked up. Run it every few minutes (cron)."
    )

    def handle(self, *args, **options):
        count = deliveries_retry_due()
        self.stdout.write(f"{count} queued")
