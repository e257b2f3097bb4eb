"""Compile the .po message catalogues to .mo in pure Python (no GNU gettext on a fresh machine)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile Gendan's translation catalogues (.po → .mo) without gettext tools."

    def handle(self, *args, **options):
        compiled = 0
        # The project catalogue (LOCALE_PATHS) and each app's own locale/ folder.
        roots = [Path(p) for p in settings.LOCALE_PATHS] + sorted(Path(settings.BASE_DIR).glob("*/locale"))
        for root in roots:
            for po_path in root.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        if options["verbosity"] > 1 or compiled:
            self.stdout.write(f"compiled {compiled} catalogue(s)")
