"""The uploaded sheets of imports do not stay in the media folder for ever (issue 14): a rejected
import's file goes at once, a successful one's after IMPORT_KEEP_FILES_DAYS, orphans after a day;
`gendan cleanup_imports` and the worker's daily job do the sweeping."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from gendan.core import periodic
from gendan.core.import_files import import_files_cleanup
from gendan.core.models import ImportJob
from gendan.core.tasks import cleanup_import_files
from gendan.testing.helpers import xlsx_bytes as sheet

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Product code", "Product name", "Kind", "Unit", "Standard lead time (days)"]


GOOD = [HEADER, ["P1", "电机", "finished", "台", 5]]
BAD = [HEADER, ["P1", "电机", "robot", "台", "soon"]]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def files_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def upload(client, rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/masterdata/product/import/", {"file": SimpleUploadedFile("p.xlsx", sheet(rows), XLSX)}
        )
    assert response.status_code == 302
    return ImportJob.objects.get(pk=int(response["Location"].strip("/").rsplit("/", 1)[1]))


def test_a_rejected_import_leaves_no_file_in_the_media_folder(
    client_production, media, django_capture_on_commit_callbacks
):
    job = upload(client_production, BAD, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED and job.errors
    assert files_in(media) == [] and not job.file
    # Its page still shows every problem.
    assert "soon" in client_production.get(f"/imports/{job.pk}/").content.decode()


def test_an_import_that_crashes_leaves_no_file(users, media, monkeypatch):
    from gendan.core import tasks

    def boom(*args, **kwargs):
        raise RuntimeError("corrupt sheet")

    monkeypatch.setattr(tasks, "import_workbook", boom)
    job = ImportJob(kind="customers", original_name="c.xlsx", created_by=users["admin"])
    job.file.save("c.xlsx", SimpleUploadedFile("c.xlsx", b"x"), save=False)
    job.save()
    assert tasks.import_job_run(job_id=job.pk).status == ImportJob.Status.FAILED
    assert files_in(media) == []


def test_a_successful_import_keeps_its_file_for_the_audit_then_the_cleanup_removes_it(
    client_production, media, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_KEEP_FILES_DAYS = 30
    job = upload(client_production, GOOD, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert files_in(media) == [job.file.name]
    assert import_files_cleanup() == 0 and files_in(media) == [job.file.name]
    later = timezone.now() + datetime.timedelta(days=31)
    assert import_files_cleanup(now=later) == 1
    assert files_in(media) == []
    job.refresh_from_db()
    assert not job.file and job.status == ImportJob.Status.SUCCEEDED  # the job and its counts stay


def test_with_no_days_to_keep_a_successful_import_removes_its_file_at_once(
    client_production, media, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_KEEP_FILES_DAYS = 0
    job = upload(client_production, GOOD, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED and files_in(media) == []


def test_the_command_removes_old_orphans_and_files_left_by_failed_jobs_but_not_queued_ones(users, media):
    def job_with_file(status):
        job = ImportJob(kind="products", original_name="p.xlsx", created_by=users["admin"], status=status)
        job.file.save("p.xlsx", SimpleUploadedFile("p.xlsx", b"x"), save=False)
        job.save()
        return job

    queued = job_with_file(ImportJob.Status.QUEUED)
    job_with_file(ImportJob.Status.FAILED)  # e.g. from before files were removed at once
    old, new = media / "imports" / "orphan-old.xlsx", media / "imports" / "orphan-new.xlsx"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old, (two_days_ago, two_days_ago))
    out = io.StringIO()
    call_command("cleanup_imports", stdout=out)
    assert "deleted 2 import file(s)" in out.getvalue()
    assert files_in(media) == sorted([queued.file.name, "imports/orphan-new.xlsx"])


def test_the_worker_runs_the_cleanup_daily(users, media):
    job = next(j for j in periodic._JOBS if j.task is cleanup_import_files)
    assert job.every_seconds == 24 * 3600
    (media / "imports").mkdir()
    orphan = media / "imports" / "orphan.xlsx"
    orphan.write_bytes(b"x")
    os.utime(orphan, (0, 0))
    cleanup_import_files.call()
    assert files_in(media) == []
