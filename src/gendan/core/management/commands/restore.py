"""`gendan restore ARCHIVE [--yes]`: put a backup back (database and uploaded files)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gendan.core.operations.backup import BackupError, database_has_data, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `gendan backup`: its checksums are checked first. Stop the server and workers."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="replace a database that already has data")

    def handle(self, *args, **options):
        archive = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        if database_has_data() and not options["yes"]:
            raise CommandError(
                "The database already has data: the restore would replace all of it with the backup. "
                "Run again with --yes if that is what you want (stop the server and workers first)."
            )
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = len(manifest.data["files"])
        self.stdout.write(
            f"Restored the {manifest.vendor} database and {files} files of {manifest.data['created_at']}."
        )
