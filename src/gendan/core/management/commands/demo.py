"""`gendan demo`: migrate, build the demo factory, start the web server and the worker together."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gendan.core.demo import DEMO_PASSWORD, build_demo_factory


class Command(BaseCommand):
    help = "Start Gendan on a demo factory (web server + background worker)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="prepare the demo database and exit")

    def handle(self, *args, **options):
        if os.environ.get("GENDAN_DEMO") != "1":
            raise CommandError("Run the demo through the `gendan demo` command.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("compile_catalogues", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Building the demo factory …")
        factory = build_demo_factory()
        self.stdout.write(factory.summary())
        if options["no_serve"]:
            return
        self.serve(options["host"], options["port"], factory.logins)

    def serve(self, host: str, port: int, logins: list[str]) -> None:
        from waitress import create_server

        from gendan.wsgi import application

        worker = subprocess.Popen([sys.executable, "-m", "gendan.cli", "worker"], env=os.environ.copy())
        server = create_server(application, host=host, port=port, threads=8)

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nGendan is running at {url}"))
        self.stdout.write(f"Demo logins (password “{DEMO_PASSWORD}”): " + ", ".join(logins))
        self.stdout.write("API docs: " + url + "api/docs/   Stop with Ctrl-C.\n")
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            self.stdout.write("Stopping …")
            server.close()
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
