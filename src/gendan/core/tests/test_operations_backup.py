"""The restore drill: build a factory, back it up, restore it into a fresh database and media folder,
and compare every table (row count and content hash) and every file. Plus the commands' refusals."""

import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from gendan.core.demo import build_demo_factory
from gendan.core.operations.backup import (
    BackupError,
    create_backup,
    daily_backup,
    media_files,
    prune_daily,
    restore_backup,
    sha256_file,
)


def digests(cursor, tables: list[str]) -> dict[str, tuple[int, str]]:
    result = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def file_digests(root: Path) -> dict[str, str]:
    return {relative: sha256_file(path) for relative, path in media_files(root)}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "attachments" / "2026").mkdir(parents=True)
    (tmp_path / "media" / "attachments" / "2026" / "drawing.pdf").write_bytes(b"%PDF-1.4 drawing")
    (tmp_path / "media" / "imports").mkdir()
    (tmp_path / "media" / "imports" / "订单.xlsx").write_bytes(bytes(range(256)) * 40)
    return tmp_path / "media"


def raw_connection(db: dict):
    """A plain DB-API connection (no Django converters), the same kind for both sides of a comparison."""
    if connection.vendor == "sqlite":
        return sqlite3.connect(db["NAME"])
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER")
    )


@pytest.fixture
def fresh_database(tmp_path):
    """Settings of an empty database of the same vendor, dropped afterwards."""
    db = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        db["NAME"] = str(tmp_path / "restored.sqlite3")
        yield db
        return
    db["NAME"] = f"{db['NAME']}_restored"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    yield db
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def compare(db_before: dict, db_after: dict, tables: list[str]) -> tuple[dict, dict]:
    before, after = raw_connection(db_before), raw_connection(db_after)
    try:
        return digests(before.cursor(), tables), digests(after.cursor(), tables)
    finally:
        before.close()
        after.close()


@pytest.mark.django_db(transaction=True)
def test_restore_drill_round_trips_every_table_and_every_file(media, fresh_database, tmp_path):
    build_demo_factory()
    tables = connection.introspection.table_names()
    files_before = file_digests(media)

    archive = create_backup(tmp_path / "backups")
    restored_media = tmp_path / "restored-media"
    manifest = restore_backup(archive, media_root=restored_media, into=fresh_database)

    assert manifest.vendor == connection.vendor
    before, after = compare(connection.settings_dict, fresh_database, tables)
    assert sum(count for count, _ in before.values()) > 500  # a real factory, not an empty shell
    changed = [table for table in tables if before[table] != after[table]]
    assert changed == []
    assert file_digests(restored_media) == files_before
    assert {entry["path"] for entry in manifest.data["files"]} == set(files_before)


@pytest.mark.django_db(transaction=True)
def test_restore_puts_back_what_was_deleted_and_asks_first(media, tmp_path, make):
    customer = make.customer(code="KEEP1")
    make.customer(code="OTHER")
    out = io.StringIO()
    call_command("backup", "--to", str(tmp_path / "b"), stdout=out)
    archive = Path(out.getvalue().strip())
    type(customer).objects.filter(pk=customer.pk).delete()
    (media / "attachments" / "2026" / "drawing.pdf").unlink()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert not type(customer).objects.filter(code="KEEP1").exists()  # nothing changed

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert type(customer).objects.filter(code="KEEP1").exists()
    assert (media / "attachments" / "2026" / "drawing.pdf").read_bytes() == b"%PDF-1.4 drawing"


def _rewrite(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            member, data = change(member, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_changes_nothing(media, tmp_path, make):
    make.customer(code="C-DAMAGE")
    archive = create_backup(tmp_path / "b")

    def flip(member, data):
        if member.name.startswith("media/imports/"):
            data = b"x" + data[1:]
        return member, data

    damaged = _rewrite(archive, tmp_path / "damaged.tar.gz", flip)
    after = make.customer(code="C-AFTER")
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(damaged), "--yes")
    assert type(after).objects.filter(code="C-AFTER").exists()  # the database was not replaced


def test_a_backup_from_a_newer_gendan_is_refused_and_changes_nothing(media, tmp_path, make):
    make.customer(code="C-OLDER")
    archive = create_backup(tmp_path / "b")

    def newer(member, data):
        if member.name == "manifest.json":
            manifest = json.loads(data)
            assert "orders.0001_initial" in manifest["migrations"]
            manifest["migrations"].append("orders.9999_planning_from_the_future")
            data = json.dumps(manifest).encode()
        return member, data

    future = _rewrite(archive, tmp_path / "future.tar.gz", newer)
    after = make.customer(code="C-NEWER")
    with pytest.raises(CommandError, match="made by a newer Gendan.*orders.9999_planning_from_the_future"):
        call_command("restore", str(future), "--yes")
    assert type(after).objects.filter(code="C-NEWER").exists()  # the database was not replaced


@pytest.mark.django_db(transaction=True)
def test_an_archive_naming_a_file_outside_the_media_folder_is_refused(media, tmp_path):
    archive = create_backup(tmp_path / "b")

    def escape(member, data):
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"].append({"path": "../../evil.txt", "size": 1, "sha256": "0" * 64})
            data = json.dumps(manifest).encode()
        return member, data

    hostile = _rewrite(archive, tmp_path / "hostile.tar.gz", escape)
    with pytest.raises(BackupError, match="outside"):
        restore_backup(hostile)
    assert not (tmp_path / "evil.txt").exists()


def test_not_an_archive_is_refused_clearly(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    with pytest.raises(BackupError, match="not a Gendan backup"):
        restore_backup(junk)


@pytest.mark.django_db(transaction=True)
def test_daily_backups_keep_the_newest_and_never_touch_manual_ones(settings, media, tmp_path):
    import datetime

    settings.GENDAN_BACKUP_DIR = str(tmp_path / "daily")
    settings.GENDAN_BACKUP_KEEP = 2
    manual = create_backup(Path(settings.GENDAN_BACKUP_DIR))
    for day in (1, 2, 3):
        daily_backup(datetime.date(2026, 11, day))
    kept = sorted(path.name for path in Path(settings.GENDAN_BACKUP_DIR).glob("*.tar.gz"))
    assert kept == sorted([manual.name, "gendan-daily-2026-11-02.tar.gz", "gendan-daily-2026-11-03.tar.gz"])
    assert prune_daily(Path(settings.GENDAN_BACKUP_DIR), 2) == []


@pytest.mark.django_db(transaction=True)
def test_the_workers_daily_backup_runs_once_a_day(settings, media, tmp_path):
    from gendan.core.models import JobRun
    from gendan.core.periodic import _JOBS
    from gendan.core.tasks import daily_backup_task

    settings.GENDAN_BACKUP_DIR = str(tmp_path / "daily")
    assert any(job.task is daily_backup_task for job in _JOBS)
    assert daily_backup_task.call() == "backed up"
    assert daily_backup_task.call() == "already backed up today"
    assert len(list(Path(settings.GENDAN_BACKUP_DIR).glob("gendan-daily-*.tar.gz"))) == 1
    assert JobRun.objects.get(job="backup").outcome.startswith("gendan-daily-")


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_without_pg_dump_on_path_the_backup_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump is not on PATH"):
        call_command("backup", "--to", str(tmp_path / "b"))
