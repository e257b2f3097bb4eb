"""`gendan cleanup_imports`: delete the uploaded sheets imports no longer need (the worker does it
daily; see core.import_files)."""

from django.core.management.base import BaseCommand

from gendan.core.import_files import import_files_cleanup


class Command(BaseCommand):
    help = (
        "Delete the files of rejected imports, of successful ones older than "
        "GENDAN_IMPORT_KEEP_FILES_DAYS days, and files no import refers to."
    )

    def handle(self, *args, **options):
        deleted = import_files_cleanup()
        self.stdout.write(f"deleted {deleted} import file(s)")
