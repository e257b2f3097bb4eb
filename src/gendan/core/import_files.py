"""The uploaded sheets of imports do not stay in the media folder for ever (issue 14).

A rejected or failed import's file is deleted as soon as the job ends: nothing was imported from
it and the errors are kept on the job. A successful import's file is kept IMPORT_KEEP_FILES_DAYS
days, so an auditor can see what was imported, then deleted by `import_files_cleanup`, which the
worker runs daily and `gendan cleanup_imports` runs by hand. The cleanup also removes files no job
refers to (an upload whose transaction rolled back, a job deleted by hand) once a day old."""

from __future__ import annotations

import datetime
import logging
import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from .models import ImportJob

logger = logging.getLogger(__name__)

FOLDER = "imports"
ORPHAN_AGE = datetime.timedelta(days=1)


def import_file_delete(*, job_id: int) -> bool:
    """Delete the file of one import job and forget its name; True if there was one."""
    job = ImportJob.objects.filter(pk=job_id).only("pk", "file").first()
    if job is None or not job.file:
        return False
    name = job.file.name
    try:
        job.file.storage.delete(name)
    except OSError:
        logger.warning("could not delete the import file %s", name)
        return False
    ImportJob.objects.filter(pk=job_id, file=name).update(file="")
    return True


def import_files_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished imports that are no longer needed, and orphan files.
    Returns how many files were deleted. Safe to run any time and from several workers."""
    now = now or timezone.now()
    keep_until = now - datetime.timedelta(days=settings.IMPORT_KEEP_FILES_DAYS)
    done = ImportJob.objects.exclude(file="").filter(
        status=ImportJob.Status.FAILED
    ) | ImportJob.objects.exclude(file="").filter(
        status=ImportJob.Status.SUCCEEDED, finished_at__lt=keep_until
    )
    deleted = sum(import_file_delete(job_id=pk) for pk in done.values_list("pk", flat=True))
    return deleted + _orphans_cleanup(now)


def _orphans_cleanup(now: datetime.datetime) -> int:
    storage = default_storage
    try:
        _dirs, names = storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        # No folder yet; or a storage backend without listing (Django's API lets it refuse), where
        # orphans cannot be found and only the jobs' own files are cleaned.
        return 0
    known = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for base in names:
        name = f"{FOLDER}/{base}"
        if name in known:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (OSError, NotImplementedError):  # gone meanwhile, or a backend without times
            continue
        if now - modified < ORPHAN_AGE:
            continue  # may belong to an upload whose job is being saved right now
        try:
            storage.delete(name)
            deleted += 1
        except OSError:
            logger.warning("could not delete the orphan import file %s", os.path.basename(name))
    return deleted
