"""The `gendan` command: Django's manage.py plus Gendan's own commands (demo, worker, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs on plain HTTP on this machine and prints e-mails instead of sending them.
        os.environ.setdefault("GENDAN_HTTPS", "0")
        os.environ.setdefault("GENDAN_DEMO", "1")
        os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
