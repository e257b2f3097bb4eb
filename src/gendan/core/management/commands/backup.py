"""`gendan backup [--to DIR]`: the database and the uploaded files in one checked archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gendan.core.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (safe while Gendan runs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", type=Path, default=None, help="folder for the archive (GENDAN_BACKUP_DIR)"
        )

    def handle(self, *args, **options):
        try:
            archive = create_backup(options["to"] or Path(settings.GENDAN_BACKUP_DIR))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
