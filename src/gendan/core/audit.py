"""The audit trail (R-8.1): who changed what, when, from where, with each field's old and new value.

Services call these helpers inside their own transaction, so a page, the API, an import, a command
and a background task are all recorded the same way and an entry exists exactly when the change does.

An entry is read later by people of either language, so what it says of records (the object, a
related record's name, a worded note) is stored in Chinese and, where it differs, in English.
"""

import contextvars
import datetime
import decimal
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise

from .i18n import in_both

# A note: plain text (what a person typed), or `lambda: ...` worded by the system (a finding, a
# count), which is then stored in both languages.
Note = str | Promise | Callable[[], Any]

_source: contextvars.ContextVar[str] = contextvars.ContextVar("audit_source", default="command")


def current_source() -> str:
    return _source.get()


@contextmanager
def audit_source(source: str):
    """Mark everything recorded inside the block as coming from `source` (web, api, import, task)."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def name_of(obj: models.Model) -> str | dict[str, str]:
    """A record as an audit entry names it: one text, or {"zh": …, "en": …} when its name differs
    by language (a customer with an English name); the pages show the reader's."""
    chinese, english = in_both(lambda: obj)
    return chinese if chinese == english else {"zh": chinese, "en": english}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return name_of(value)
    if isinstance(value, decimal.Decimal):
        # Normalised, so 12.50 read from the database and 12.5 typed or imported compare equal
        # (otherwise an unchanged number is recorded as a change).
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def audited_fields(obj: models.Model) -> list[models.Field]:
    skip = set(getattr(obj, "audit_exclude", ())) | {"id"}
    return [f for f in obj._meta.concrete_fields if f.name not in skip]


def snapshot(obj: models.Model) -> dict[str, Any]:
    """A JSON-ready picture of the object's fields, with related objects shown by their name."""
    data: dict[str, Any] = {}
    for field in audited_fields(obj):
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            data[field.name] = name_of(getattr(obj, field.name)) if related_id is not None else None
        else:
            data[field.name] = _plain(getattr(obj, field.attname))
    return data


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _note_in_both(note: Note) -> tuple[str, str]:
    if isinstance(note, str):
        return note, ""
    chinese, english = in_both(note if callable(note) else lambda: note)
    return chinese, "" if english == chinese else english


def _entry(*, actor, obj, action: str, changes: dict, note: Note, source: str | None, scope: str = ""):
    from .models import SYSTEM, AuditEntry

    repr_zh, repr_en = in_both(lambda: obj)
    note_zh, note_en = _note_in_both(note)
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_username() if getattr(actor, "pk", None) else SYSTEM)[:150],
        source=source or current_source(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=repr_zh[:200],
        object_repr_en="" if repr_en == repr_zh else repr_en[:200],
        changes=changes,
        note=note_zh[:2000],
        note_en=note_en[:2000],
        scope=scope,
    )


def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    changes: dict[str, list[Any]] | None = None,
    note: Note = "",
    source: str | None = None,
    scope: str = "",
):
    """Write one audit entry. Pass before/after snapshots (or ready `changes`); `scope` names the
    dossier the entry belongs to (e.g. "order:42")."""
    if changes is None:
        changes = diff(before, after if after is not None else (snapshot(obj) if before else None))
    entry = _entry(
        actor=actor, obj=obj, action=action, changes=changes, note=note, source=source, scope=scope
    )
    entry.save()
    return entry


def audit_bulk(
    *, actor, items: Iterable[tuple[models.Model, str, dict]], source: str | None = None, scope_of=None
) -> int:
    """Record many entries in one INSERT (imports): items are (obj, action, changes)."""
    from .models import AuditEntry

    entries = [
        _entry(
            actor=actor,
            obj=obj,
            action=action,
            changes=changes,
            note="",
            source=source,
            scope=scope_of(obj) if scope_of else "",
        )
        for obj, action, changes in items
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
