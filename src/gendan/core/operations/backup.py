"""Backups: the database (SQLite's online backup API, or pg_dump's custom format) and the uploaded
files in one archive with a manifest of checksums; restore checks every checksum before it changes
anything. The daily backup of the worker keeps the newest GENDAN_BACKUP_KEEP archives."""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
DAILY_PREFIX = "gendan-daily-"


class BackupError(Exception):
    """Why a backup or restore could not be done; nothing was changed."""


@dataclass
class Manifest:
    data: dict

    @property
    def vendor(self) -> str:
        return self.data["database"]["vendor"]


def gendan_version() -> str:
    try:
        return version("gendan")
    except PackageNotFoundError:
        return "unknown"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client programs (the same major version "
            "as the server, e.g. apt-get install postgresql-client) to back up or restore PostgreSQL."
        )
    return found


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def dump_database(alias: str, target: Path) -> str:
    """A consistent copy of the database while the server and worker go on writing."""
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        source = sqlite3.connect(db["NAME"], timeout=30)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # the online backup API: one consistent snapshot
        finally:
            copy.close()
            source.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        command = [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
        ]
        done = subprocess.run(command + args, env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
        return "postgresql"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def applied_migrations(alias: str = "default") -> list[str]:
    """The schema the database is at, as "app.migration" names."""
    applied = MigrationRecorder(connections[alias]).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def unknown_migrations(manifest: "Manifest") -> list[str]:
    """Migrations the backup's database had that this installation's code does not know: it was
    made by a newer Gendan, whose tables this code would misread."""
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    return sorted(set(manifest.data.get("migrations", [])) - known)


def create_backup(to_dir: Path, *, name: str | None = None, alias: str = "default") -> Path:
    """Write one archive into `to_dir` and return its path. The archive appears only when complete."""
    to_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    name = name or f"gendan-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=to_dir, prefix=".backup-") as work:
        db_file = Path(work) / "database"
        vendor = dump_database(alias, db_file)
        member = DB_MEMBER[vendor]
        files = []
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(db_file, arcname=member)
            for relative, path in media_files(media_root):
                files.append({"path": relative, "size": path.stat().st_size, "sha256": sha256_file(path)})
                archive.add(path, arcname=f"media/{relative}")
            manifest = {
                "format": FORMAT,
                "gendan_version": gendan_version(),
                "migrations": applied_migrations(alias),
                "created_at": now.isoformat(),
                "database": {
                    "vendor": vendor,
                    "member": member,
                    "size": db_file.stat().st_size,
                    "sha256": sha256_file(db_file),
                },
                "files": files,
            }
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(body))
        target = to_dir / name
        os.replace(partial, target)
    return target


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def unpack(archive_path: Path, into: Path) -> Manifest:
    """Extract the archive into `into` and check it against its manifest: the database and every
    file present with the recorded checksum, nothing else, no path outside the archive."""
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path} is not a Gendan backup archive ({exc})") from exc
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError, tarfile.TarError) as exc:
            raise BackupError(f"{archive_path} has no readable {MANIFEST}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
        expected |= {f"media/{entry['path']}": entry["sha256"] for entry in manifest["files"]}
        if not all(_safe_member(name) for name in expected):
            raise BackupError("the manifest names a file outside the archive")
        try:
            for member in archive.getmembers():
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile() or not _safe_member(member.name):
                    raise BackupError(f"unexpected entry in the archive: {member.name!r}")
                archive.extract(member, into, filter="data")
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise BackupError(f"{archive_path} is damaged ({exc})") from exc
    for name, checksum in expected.items():
        path = into / name
        if not path.is_file():
            raise BackupError(f"the archive lacks {name}")
        if sha256_file(path) != checksum:
            raise BackupError(f"checksum mismatch for {name}: the archive is damaged")
    return Manifest(manifest)


def database_has_data(alias: str = "default") -> bool:
    """Whether any of Gendan's own tables has a row (a migrated but unused database has none)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("gendan."):
            continue
        for model in config.get_models():
            try:
                if model._base_manager.using(alias).exists():
                    return True
            except Exception:  # noqa: BLE001  the table does not exist yet: an empty database
                return False
    return False


def restore_database(vendor: str, dump: Path, db: dict) -> None:
    if vendor == "sqlite":
        source = sqlite3.connect(dump)
        target = sqlite3.connect(db["NAME"], timeout=60)
        try:
            with target:
                source.backup(target)  # replaces every page of the target in one step
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_args(db)
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
    ]
    done = subprocess.run(command + args + [str(dump)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")


def restore_backup(
    archive_path: Path, *, alias: str = "default", media_root: Path | None = None, into: dict | None = None
) -> Manifest:
    """Check the archive, then replace the database and write the uploaded files back. `into`: the
    settings of another (fresh) database of the same vendor to restore into, as the drill does."""
    connection = connections[alias]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="gendan-restore-") as work:
        manifest = unpack(archive_path, Path(work))
        if manifest.vendor != connection.vendor:
            raise BackupError(
                f"this backup is of a {manifest.vendor} database; this installation uses {connection.vendor}"
            )
        newer = unknown_migrations(manifest)
        if newer:
            raise BackupError(
                f"this backup was made by a newer Gendan: its database has {len(newer)} migration(s) this "
                f"installation does not know ({', '.join(newer[:3])}{', …' if len(newer) > 3 else ''}); "
                "install that version or a newer one, then restore"
            )
        db = dict(into or connection.settings_dict)
        if into is None:
            connection.close()
        restore_database(manifest.vendor, Path(work) / manifest.data["database"]["member"], db)
        for entry in manifest.data["files"]:
            target = media_root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / "media" / entry["path"], target)
    return manifest


def prune_daily(to_dir: Path, keep: int) -> list[Path]:
    """Delete the oldest daily archives beyond `keep`. Archives made by hand are never deleted."""
    daily = sorted(to_dir.glob(f"{DAILY_PREFIX}*.tar.gz"))
    doomed = daily[: max(0, len(daily) - keep)]
    for path in doomed:
        path.unlink()
    return doomed


def daily_backup(day: datetime.date | None = None) -> str:
    day = day or timezone.localdate()
    to_dir = Path(settings.GENDAN_BACKUP_DIR)
    archive = create_backup(to_dir, name=f"{DAILY_PREFIX}{day:%Y-%m-%d}.tar.gz")
    removed = prune_daily(to_dir, settings.GENDAN_BACKUP_KEEP)
    return f"{archive.name}; removed {len(removed)} old"
