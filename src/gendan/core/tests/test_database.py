"""The database is set up the way the settings promise (SQLite pragmas, no request-wide transaction)."""

import pytest
from django.db import connection


def _is_sqlite():
    return connection.vendor == "sqlite"


@pytest.mark.django_db
def test_no_request_wide_transaction():
    # ATOMIC_REQUESTS under IMMEDIATE transactions would queue every page behind every writer.
    assert connection.settings_dict["ATOMIC_REQUESTS"] is False


@pytest.mark.django_db
@pytest.mark.skipif(not _is_sqlite(), reason="SQLite pragmas")
def test_sqlite_pragmas_apply_on_the_test_connection():
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


@pytest.mark.skipif(not _is_sqlite(), reason="SQLite pragmas")
def test_sqlite_pragmas_apply_on_a_fresh_connection_to_a_new_file(tmp_path, django_db_blocker):
    """A brand-new database file opened with the production settings gets WAL, the busy timeout,
    IMMEDIATE transactions and enforced foreign keys."""
    import sqlite3

    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "fresh.sqlite3")}
    wrapper = DatabaseWrapper(settings_dict, alias="fresh")
    with django_db_blocker.unblock():
        try:
            wrapper.ensure_connection()
            cursor = wrapper.connection.cursor()
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert wrapper.transaction_mode == "IMMEDIATE"
            cursor.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            cursor.execute(
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))"
            )
            with pytest.raises(sqlite3.IntegrityError):
                cursor.execute("INSERT INTO child (parent_id) VALUES (42)")
        finally:
            wrapper.close()
