"""File every released order's system documents in the archive (nightly in the worker; opening an
order's archive files its own at once). Filing twice files nothing new."""

from django.core.management.base import BaseCommand

from gendan.archive.tasks import archive_file_all


class Command(BaseCommand):
    help = "File the system's documents of every released order in the archive."

    def handle(self, *args, **options):
        self.stdout.write(str(archive_file_all()))
