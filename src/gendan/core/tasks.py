"""Background work of the core app: Excel imports with a progress bar, and the daily removal of
the files imports no longer need."""

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .audit import audit_source
from .excel import ImportResult, RowError, import_workbook
from .import_files import import_file_delete, import_files_cleanup
from .models import ImportJob
from .registry import get_import

logger = logging.getLogger(__name__)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run one queued import. Safe to call twice: only a queued job is started (conditional update)."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    ):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    spec = get_import(job.kind)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    with translation.override(job.language), audit_source("import"):
        try:
            job.file.open("rb")
            try:
                data = job.file.read()
            finally:
                job.file.close()
            # A spec may bring its own reader (e.g. orders: several rows make one order).
            runner = getattr(spec, "run", None)
            if runner is not None:
                result = runner(data, actor=job.created_by, progress=progress)
            else:
                result = import_workbook(spec, data, actor=job.created_by, progress=progress)
            errors = result.error_dicts()
            error_count = len(result.errors)
        except Exception:
            # The import wrote nothing (it is one transaction); the job must not stay "running"
            # with the page polling for ever: report it as rejected.
            logger.exception("import job %s failed", job_id)
            result = ImportResult(ok=False)
            errors = [
                RowError(0, "", _("The file could not be read or imported; nothing was changed.")).as_dict()
            ]
            error_count = 1
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED,
        total=result.total,
        done=result.total if result.ok else 0,
        created=result.created,
        updated=result.updated,
        created_ids=result.created_ids if result.ok else [],
        errors=errors,
        error_count=error_count,
        finished_at=timezone.now(),
    )
    if not result.ok or settings.IMPORT_KEEP_FILES_DAYS <= 0:
        # Nothing was imported from a rejected file: the errors on the job say all there is to say.
        import_file_delete(job_id=job_id)
    return ImportJob.objects.get(pk=job_id)


@task()
def run_import(job_id: int) -> None:
    import_job_run(job_id=job_id)


@task()
def daily_backup_task() -> str:
    """The worker's daily backup (enqueued every hour; runs once a day, by one worker only)."""
    from .operations.backup import daily_backup
    from .operations.worker import run_once_a_day

    if settings.GENDAN_BACKUP_KEEP <= 0:
        return "daily backups are off (GENDAN_BACKUP_KEEP=0)"
    return "backed up" if run_once_a_day("backup", daily_backup) else "already backed up today"


@task()
def cleanup_import_files() -> None:
    """Daily (registered with core.periodic): see core.import_files."""
    deleted = import_files_cleanup()
    if deleted:
        logger.info("removed %s import file(s) no longer needed", deleted)
