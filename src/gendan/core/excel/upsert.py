"""The generic import of master data: upsert by key, all-or-nothing.

Every row is read and checked first, every problem is reported by row and column, and only a sheet
without problems is written, in one transaction with bulk inserts and one audit entry per record.
Lookups (codes of related records, existing rows) are fetched once per sheet, not per row, so
10,000 rows take seconds. The steps: read the sheet (reader.read_sheet), check each row (_Plan.check),
write (_Plan.write, then the spec's finalize hook), audit (_audit).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_bulk, snapshot
from .cells import Column
from .reader import ImportResult, Progress, RowError, Sheet, SheetRejected, read_sheet


class ImportAborted(Exception):
    """Raised by a spec's finalize hook (inside the transaction) to roll the whole import back."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ImportSpec:
    key: str  # identifies the import kind, e.g. "customers"
    model: type[models.Model]
    columns: list[Column]
    key_columns: tuple[str, ...] = ("code",)  # upsert key: an existing row with this key is updated
    title: Any = ""
    finalize: Callable[[list[models.Model], Any], None] | None = None  # may raise ImportAborted
    queryset: Callable[[], models.QuerySet] | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def import_workbook(
    spec: ImportSpec,
    data: bytes,
    *,
    actor,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, and write only if none has a problem. Returns the result; never half-writes."""
    try:
        sheet = read_sheet(data, spec.columns)
    except SheetRejected as exc:
        return ImportResult(ok=False, errors=exc.errors)
    total = len(sheet)
    plan = _Plan(spec, sheet)
    errors: list[RowError] = []
    for row in sheet.iter_rows(progress=progress):
        # Every problem of the row at once: the cells that cannot be read, and the checks of the
        # fields that could.
        errors.extend(row.errors)
        errors.extend(plan.check(row.number, row.values, unreadable=row.unreadable()))
    if errors:
        return ImportResult(ok=False, total=total, errors=errors)
    try:
        with transaction.atomic():
            created, changed = plan.write()
            if spec.finalize:
                spec.finalize(plan.records(), actor)
            _audit(actor, created, changed)
    except ImportAborted as exc:
        return ImportResult(ok=False, total=total, errors=exc.errors)
    except ValidationError as exc:
        return ImportResult(ok=False, total=total, errors=[RowError(0, "", m) for m in exc.messages])
    if progress:
        progress(total, total)
    return ImportResult(
        ok=True,
        total=total,
        created=len(created),
        updated=len(changed),
        created_ids=[obj.pk for obj in created],
    )


class _Plan:
    """The records a sheet creates and updates, found row by row; written only if every row is clean."""

    def __init__(self, spec: ImportSpec, sheet: Sheet) -> None:
        self.spec = spec
        meta = spec.model._meta
        self.existing = _existing(spec)
        self.seen: dict[tuple, int] = {}  # key -> the last row that had it
        self.to_create: list[tuple[models.Model, dict[str, Any]]] = []  # record, m2m values
        self.to_update: list[tuple[models.Model, dict[str, Any], dict[str, Any]]] = []  # ..., before
        self.m2m_names = {c.name for c in spec.columns if c.kind == "m2m"}
        self.field_names = {f.name for f in meta.get_fields()}
        # Foreign keys whose value comes from the lookup tables need no existence query per row
        # (unless the field restricts its choices further, which only Django's check knows).
        self.fk_checkable = {
            c.name
            for c in spec.columns
            if c.kind == "fk"
            and c.name in self.field_names
            and isinstance(meta.get_field(c.name), models.ForeignKey)
            and not meta.get_field(c.name).get_limit_choices_to()  # type: ignore[union-attr]
        }
        # An update writes the columns the sheet has, and leaves the others alone.
        self.update_fields = [
            c.name for c in sheet.columns if c.name in self.field_names and c.name not in self.m2m_names
        ]

    def check(
        self, row_no: int, values: dict[str, Any], unreadable: set[str] | None = None
    ) -> list[RowError]:
        """Queue the record of one readable row for writing, or say why it cannot be written.
        `unreadable` names the columns whose cells could not be read (already reported): the
        other fields are still checked, but not the rules spanning fields (clean()), which would
        judge a value that is missing only because its cell could not be read."""
        spec = self.spec
        unreadable = unreadable or set()
        errors: list[RowError] = []
        key = _key_of(spec, values)
        if unreadable & set(spec.key_columns):
            pass  # no key to compare with the other rows
        elif key in self.seen:
            label = ", ".join(str(spec.column(k).label) for k in spec.key_columns)
            errors.append(
                RowError(
                    row_no,
                    label,
                    _("Same key as row %(row)s: each record may appear only once.") % {"row": self.seen[key]},
                )
            )
        if not unreadable & set(spec.key_columns):
            self.seen[key] = row_no
        obj = self.existing.get(key)
        is_new = obj is None
        if obj is None:
            obj = spec.model()
            before: dict[str, Any] = {}
        else:
            before = snapshot(obj)
        m2m_values = {}
        for name, value in values.items():
            if name in self.m2m_names:
                m2m_values[name] = value
            elif name in self.field_names:
                if value is None and not spec.model._meta.get_field(name).null:
                    continue  # an empty optional cell keeps the default (or the current value)
                setattr(obj, name, value)
        try:
            verified = {name for name in self.fk_checkable if isinstance(values.get(name), models.Model)}
            _full_clean(obj, set(self.m2m_names) | unreadable, verified, cross_field=not unreadable)
        except ValidationError as exc:
            for fname, messages in exc.message_dict.items():
                label = str(spec.column(fname).label) if any(c.name == fname for c in spec.columns) else ""
                for message in messages:
                    errors.append(RowError(row_no, label, message))
        if not errors and not unreadable:
            if is_new:
                self.to_create.append((obj, m2m_values))
            else:
                self.to_update.append((obj, m2m_values, before))
        return errors

    def records(self) -> list[models.Model]:
        """Every record of the sheet, created or updated (changed or not), in that order."""
        return [obj for obj, _m in self.to_create] + [obj for obj, _m, _b in self.to_update]

    def write(self) -> tuple[list[models.Model], list[tuple[models.Model, dict[str, Any]]]]:
        """Insert the new records and update the changed ones; returns the created records and the
        updated ones with their changes ({field: [before, after]}). Call inside a transaction."""
        model = self.spec.model
        created = [obj for obj, _m in self.to_create]
        model._default_manager.bulk_create(created, batch_size=500)
        changed: list[tuple[models.Model, dict[str, Any]]] = []
        for obj, _m, before in self.to_update:
            after = snapshot(obj)
            diff = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
            if diff:
                changed.append((obj, diff))
        fields = list(self.update_fields)
        if changed and fields:
            if hasattr(model, "updated_at"):
                stamp = timezone.now()
                for obj, _d in changed:
                    obj.updated_at = stamp  # type: ignore[attr-defined]
                fields.append("updated_at")
            _bulk_update(model, [obj for obj, _d in changed], fields)
        for obj, m2m_values in self.to_create:
            for name, value in m2m_values.items():
                getattr(obj, name).set(value)
        for obj, m2m_values, _b in self.to_update:
            for name, value in m2m_values.items():
                getattr(obj, name).set(value)
        return created, changed


def _audit(actor, created: list[models.Model], changed: list[tuple[models.Model, dict[str, Any]]]) -> None:
    """One entry per record written: the filled fields of a new one, the changes of an updated one."""
    audit_bulk(
        actor=actor,
        source="import",
        items=[
            (o, "import_create", {k: [None, v] for k, v in snapshot(o).items() if v not in (None, "")})
            for o in created
        ]
        + [(o, "import_update", d) for o, d in changed],
    )


def _key_of(spec: ImportSpec, values: dict[str, Any]) -> tuple:
    key = []
    for name in spec.key_columns:
        v = values.get(name)
        key.append(v.pk if isinstance(v, models.Model) else v)
    return tuple(key)


def _existing(spec: ImportSpec) -> dict[tuple, models.Model]:
    qs = spec.queryset() if spec.queryset else spec.model._default_manager.all()
    result = {}
    for obj in qs:
        key = []
        for name in spec.key_columns:
            f = spec.model._meta.get_field(name)
            key.append(getattr(obj, f.attname))
        result[tuple(key)] = obj
    return result


def _full_clean(
    obj: models.Model, exclude: set[str], verified: set[str], *, cross_field: bool = True
) -> None:
    """Model.full_clean(exclude=exclude, validate_unique=False), except that the foreign keys named in
    `verified` (set from the sheet's lookup tables, so known to exist) are not queried once per row.
    Constraints are still checked with every field, as full_clean does; clean() only if
    `cross_field`."""
    errors: dict[str, Any] = {}
    try:
        obj.clean_fields(exclude=exclude | verified)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if cross_field:
        try:
            obj.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    constraint_exclude = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        _validate_constraints(obj, constraint_exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class _NotSimple(Exception):
    """The check condition is not one _check_in_python evaluates: let the database evaluate it."""


class _Skipped(Exception):
    """The check condition reads an excluded field: Django skips such a constraint, and so do we."""


_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _check_in_python(condition: Q, model: type[models.Model], obj: models.Model, exclude: set[str]):
    """Evaluate a check condition made only of `isnull` tests and comparisons of numbers, in SQL's
    three-valued logic (None = unknown, which passes a CHECK). Django's CheckConstraint.validate sends
    one query per object for the same answer, which is most of the time of a 10,000-line BOM sheet."""
    fields = {f.name: f for f in model._meta.local_concrete_fields if not f.generated}

    def value_of(name: str) -> Any:
        if name not in fields:
            raise _NotSimple
        if name in exclude:
            raise _Skipped
        return getattr(obj, fields[name].attname)

    def evaluate(node) -> bool | None:
        if isinstance(node, Q):
            if node.connector not in (Q.AND, Q.OR):
                raise _NotSimple
            results = [evaluate(child) for child in node.children]
            if node.connector == Q.AND:
                result = False if False in results else None if None in results else True
            else:
                result = True if True in results else None if None in results else False
            return (None if result is None else not result) if node.negated else result
        if not isinstance(node, tuple) or len(node) != 2:
            raise _NotSimple
        path, rhs = node
        name, _sep, lookup = path.partition("__")
        lookup = lookup or "exact"
        if lookup == "isnull" and isinstance(rhs, bool):
            return (value_of(name) is None) == rhs
        if lookup in _COMPARE and _is_number(rhs):
            value = value_of(name)
            if value is None:
                return None
            if not _is_number(value):
                raise _NotSimple
            return _COMPARE[lookup](value, rhs)
        raise _NotSimple

    return evaluate(Q(condition))


def _validate_constraints(obj: models.Model, exclude: set[str]) -> None:
    """Model.validate_constraints(exclude), with simple check constraints evaluated in Python."""
    using = router.db_for_write(obj.__class__, instance=obj)
    errors: dict[str, Any] = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            try:
                if type(constraint) is models.CheckConstraint:
                    try:
                        passed = _check_in_python(constraint.condition, model_class, obj, exclude)
                    except _Skipped:
                        continue
                    except _NotSimple:
                        constraint.validate(model_class, obj, exclude=exclude, using=using)
                    else:
                        if passed is False:
                            raise ValidationError(
                                constraint.get_violation_error_message(), code=constraint.violation_error_code
                            )
                else:
                    constraint.validate(model_class, obj, exclude=exclude, using=using)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _bulk_update(model: type[models.Model], objs: list[models.Model], fields: list[str]) -> None:
    """UPDATE ... WHERE pk = %s for each object, sent with executemany.

    Same effect as QuerySet.bulk_update (values as they are on the objects, no save() and no
    signals), without its CASE WHEN expression per object and field, which takes tens of seconds
    for 10,000 rows."""
    if not objs or not fields:
        return
    db = router.db_for_write(model)
    connection = connections[db]
    qn = connection.ops.quote_name
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(meta.db_table),
        ", ".join(f"{qn(f.column)} = %s" for f in concrete),
        qn(meta.pk.column),
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
        + [meta.pk.get_db_prep_value(obj.pk, connection)]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])
