import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gendan.core.operations.worker import beat, new_worker_id, recover_stale_tasks, stop_beating
from gendan.core.periodic import start_timer
from gendan.engine.scheduler import fastbuild, tabu


class Command(BaseCommand):
    help = "Run the background worker (imports, reminders, notifications) on the database queue."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of the queue")
        parser.add_argument("--batch", action="store_true", help="process what is queued, then exit")

    def handle(self, *args, **options):
        worker_id = new_worker_id()
        extra = ["--batch"] if options["batch"] else []
        # Beat before claiming anything: another worker's recovery takes a task whose worker does
        # not beat for an interrupted one.
        beat(worker_id)
        recover_stale_tasks()
        stop = threading.Event()
        if not options["batch"]:
            # heartbeat, recovery, and periodic jobs (acknowledgement chasing, retries, backup) when due
            start_timer(stop, worker_id=worker_id)
            # load the scheduling engine's compiled tabu search and schedule builder in the background,
            # so that capacity checks can use them (until then the engine goes on without them)
            tabu.ready()
            fastbuild.ready()
        try:
            call_command(
                "db_worker", "--interval", str(options["interval"]), "--worker-id", worker_id, *extra
            )
        finally:
            stop.set()
            stop_beating(worker_id)
