"""Generic writes for master records: validate, save, audit, in one transaction.

A master record without rules of its own (a customer, a product, a department, a chat robot) is
written by these through its `core.crud.EntityViews`, which its pages and its API share: there is
no `customer_create`. An app names a service only where a rule spans records, and its EntityViews
calls that instead: BOM lines (no cycles), warehouses (not archived while holding stock), stock
movements (the running balance), users (the password; nobody deactivates himself). A rule within
one record is the model's `clean()` or constraint, which `full_clean()` here checks."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .audit import audit_record, name_of, snapshot
from .excel import SheetRejected
from .excel.limits import ImportLimits, check_size, check_upload_workbook
from .exceptions import WorkflowConflict
from .models import ImportJob
from .tasks import run_import
from .uploads import check_upload

M = TypeVar("M", bound=models.Model)


def _split_m2m(model: type[models.Model], data: dict[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def snapshot_full(obj: models.Model) -> dict[str, Any]:
    data = snapshot(obj)
    for field in obj._meta.many_to_many:
        data[field.name] = [name_of(o) for o in getattr(obj, field.name).order_by("pk")]
    return data


# Fields no form or API payload may set: they change only through their own service.
PROTECTED_FIELDS = {"id", "is_archived", "created_at", "updated_at"}


def _check_protected(data: dict[str, Any]) -> None:
    bad = PROTECTED_FIELDS & set(data)
    if bad:
        raise ValueError(f"protected fields cannot be set here: {sorted(bad)}")


def record_create(*, actor, model: type[M], data: dict[str, Any]) -> M:
    _check_protected(data)
    plain, m2m = _split_m2m(model, data)
    obj = model(**plain)
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        audit_record(
            actor=actor,
            obj=obj,
            action="create",
            changes={k: [None, v] for k, v in snapshot_full(obj).items() if v not in (None, "", [])},
        )
    return obj


def record_update(*, actor, model: type[M], pk: Any, data: dict[str, Any]) -> M:
    _check_protected(data)
    plain, m2m = _split_m2m(model, data)
    with transaction.atomic():
        obj = model._default_manager.select_for_update().get(pk=pk)
        if getattr(obj, "is_archived", False):
            # The pages refuse this too; here it also holds for the API and other callers.
            raise WorkflowConflict(_("An archived record cannot be edited; restore it first."))
        before = snapshot_full(obj)
        for name, value in plain.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        after = snapshot_full(obj)
        if after != before:
            audit_record(actor=actor, obj=obj, action="update", before=before, after=after)
    return obj


def record_set_archived(*, actor, model: type[M], pk: Any, archived: bool) -> M:
    """Archive (or restore) a record. A conditional update, so of two people acting at once one wins."""
    with transaction.atomic():
        stamp = (
            {"updated_at": timezone.now()} if any(f.name == "updated_at" for f in model._meta.fields) else {}
        )
        if not archived:
            # Uniqueness among active records (e.g. one routing step per sequence): a restored record
            # may clash with one created meanwhile. Say so instead of failing in the database.
            candidate: Any = model._default_manager.filter(pk=pk, is_archived=True).first()
            if candidate is not None:
                candidate.is_archived = False
                try:
                    candidate.validate_constraints()
                except ValidationError:
                    raise ValidationError(
                        _(
                            "An active record with the same key exists; change or archive it before restoring this one."
                        )
                    ) from None
        won = model._default_manager.filter(pk=pk, is_archived=not archived).update(
            is_archived=archived, **stamp
        )
        if not won:
            raise WorkflowConflict(
                _("This record was already archived.") if archived else _("This record is not archived.")
            )
        obj = model._default_manager.get(pk=pk)
        audit_record(
            actor=actor,
            obj=obj,
            action="archive" if archived else "restore",
            changes={"is_archived": [not archived, archived]},
        )
    return obj


def import_job_start(*, actor, spec_key: str, upload, list_url: str = "") -> ImportJob:
    """Store the uploaded sheet under a generated name and queue the import in the worker.
    `list_url` is the list the import was started from, for the result page to lead back to.
    A sheet over the import limits is refused here, before anything is stored (the worker checks
    again, with the rows counted)."""
    limits = ImportLimits.current()
    try:
        # The import's own size limit first: it is smaller than that of other uploads.
        check_size(upload.size, limits)
        check_upload(upload, allowed_suffixes=(".xlsx",))
        check_upload_workbook(upload, limits)
    except SheetRejected as exc:
        raise ValidationError([e.message for e in exc.errors]) from None
    with transaction.atomic():
        job = ImportJob(
            kind=spec_key,
            original_name=(upload.name or "")[:255],
            created_by=actor,
            list_url=list_url[:200],
            language=translation.get_language() or "zh-hans",
        )
        job.file.save(upload.name or "import.xlsx", upload, save=False)
        job.save()
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job
