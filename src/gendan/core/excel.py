"""Excel in and out (R-1.1, R-8.4).

Import is all-or-nothing: every row is read and checked first, every problem is reported by row and
column, and only a sheet without problems is written, in one transaction. Lookups (codes of related
records, existing rows) are fetched once per sheet, not per row, so 10,000 rows take seconds.

Export escapes text that a spreadsheet would run as a formula (= + - @ at the start).
"""

from __future__ import annotations

import datetime
import io
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .audit import audit_bulk, snapshot

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_REPORTED_ERRORS = 1000


def escape_cell(value: Any) -> Any:
    """Text that starts like a formula is exported as text, never as a formula. A leading quote is
    the escape, so text that itself starts with a quote before a formula sign gets one more."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_START) or (len(value) > 1 and value[0] == "'" and value[1] in "=+-@'")
    ):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@'":
        return value[1:]
    return value


class ImportAborted(Exception):
    """Raised by a spec's finalize hook (inside the transaction) to roll the whole import back."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class Column:
    """One column of an import/export sheet, bound to a model field (or a custom getter/setter)."""

    name: str
    label: Any  # lazy translated header; the English and Chinese headers are both accepted
    kind: str = "str"  # str int decimal bool date time choice fk m2m
    required: bool = False
    choices: type[models.TextChoices] | None = None
    fk_model: type[models.Model] | None = None
    fk_field: str = "code"
    help: Any = ""
    export: Callable[[Any], Any] | None = None

    def headers(self) -> set[str]:
        names = {self.name.lower()}
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                names.add(str(self.label).strip().lower())
        return names


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


@dataclass
class ImportResult:
    ok: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    def error_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors[:MAX_REPORTED_ERRORS]]


# ---------------------------------------------------------------- export


def write_workbook(
    title: str, headers: list[str], rows: Iterable[Iterable[Any]], notes: list[str] | None = None
) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    ws.append([str(h) for h in headers])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [escape_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2 if v is not None else 0))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if notes:
        info = wb.create_sheet(_("Instructions")[:31])
        for line in notes:
            info.append([str(line)])
        info.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_value(column: Column, obj: models.Model) -> Any:
    if column.export:
        return column.export(obj)
    value = getattr(obj, column.name)
    if column.kind == "fk":
        return getattr(value, column.fk_field) if value is not None else None
    if column.kind == "m2m":
        return ",".join(getattr(o, column.fk_field) for o in value.all())
    if column.kind == "choice":
        return str(dict(column.choices.choices).get(value, value)) if value else ""
    if column.kind == "bool":
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def export_spec(spec: ImportSpec, objects: Iterable[models.Model]) -> bytes:
    headers = [str(c.label) for c in spec.columns]
    rows = ([export_value(c, obj) for c in spec.columns] for obj in objects)
    return write_workbook(str(spec.title or spec.key), headers, rows)


def template_for(spec: ImportSpec) -> bytes:
    notes = [_("Fill one row per record below the header row. Do not rename the headers.")]
    notes.append(_("Rows whose key already exists update that record; other rows create new records."))
    notes.append(_("The import is all-or-nothing: if any row has a problem, nothing is changed."))
    for c in spec.columns:
        line = f"{c.label}: " + (_("required") if c.required else _("optional"))
        if c.kind == "choice" and c.choices:
            line += " — " + _("one of") + ": " + " / ".join(f"{v} ({lbl})" for v, lbl in c.choices.choices)
        elif c.kind == "fk":
            line += " — " + _("code of an existing record")
        elif c.kind == "m2m":
            line += " — " + _("codes separated by commas")
        elif c.kind == "bool":
            line += " — " + _("yes / no")
        elif c.kind == "date":
            line += " — YYYY-MM-DD"
        elif c.kind == "time":
            line += " — HH:MM"
        if c.help:
            line += f" ({c.help})"
        notes.append(line)
    return write_workbook(str(spec.title or spec.key), [str(c.label) for c in spec.columns], [], notes)


# ---------------------------------------------------------------- import


_TRUE = {"1", "y", "yes", "true", "是", "√", "✓", "x"}
_FALSE = {"0", "n", "no", "false", "否", ""}


class _CellError(Exception):
    pass


def _convert(column: Column, raw: Any, lookups: dict[str, dict[str, Any]]) -> Any:
    raw = unescape_cell(raw)
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if column.required:
            raise _CellError(_("This column is required."))
        if column.kind in ("str", "choice"):
            return "" if column.kind == "str" else None
        if column.kind == "m2m":
            return []
        if column.kind == "bool":
            return False
        return None
    kind = column.kind
    if kind == "str":
        return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    if kind == "int":
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise _CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from None
        if value != value.to_integral():
            raise _CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
        return int(value)
    if kind == "decimal":
        try:
            value = Decimal(str(raw).replace(",", ""))
        except InvalidOperation:
            raise _CellError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        if not value.is_finite():
            raise _CellError(_("“%(value)s” is not a number.") % {"value": raw})
        return value
    if kind == "bool":
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _CellError(_("Write yes or no, not “%(value)s”.") % {"value": raw})
    if kind == "date":
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.date.fromisoformat(str(raw).replace("/", "-"))
        except ValueError:
            raise _CellError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw}) from None
    if kind == "time":
        if isinstance(raw, datetime.datetime):
            return raw.time()
        if isinstance(raw, datetime.time):
            return raw
        try:
            return datetime.time.fromisoformat(str(raw).strip().zfill(5))
        except ValueError:
            raise _CellError(_("“%(value)s” is not a time (HH:MM).") % {"value": raw}) from None
    if kind == "choice":
        table = lookups[column.name]
        hit = table.get(str(raw).strip().lower())
        if hit is None:
            allowed = " / ".join(str(label) for _v, label in column.choices.choices)
            raise _CellError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed}
            )
        return hit
    if kind == "fk":
        key = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        hit = lookups[column.name].get(key)
        if hit is None:
            raise _CellError(
                _("No %(model)s with code “%(value)s”.")
                % {"model": column.fk_model._meta.verbose_name, "value": key}
            )
        return hit
    if kind == "m2m":
        codes = [c.strip() for c in str(raw).replace("，", ",").split(",") if c.strip()]
        missing = [c for c in codes if c not in lookups[column.name]]
        if missing:
            raise _CellError(
                _("No %(model)s with code “%(value)s”.")
                % {"model": column.fk_model._meta.verbose_name, "value": ", ".join(missing)}
            )
        return [lookups[column.name][c] for c in codes]
    raise AssertionError(kind)


def _lookups(spec: ImportSpec) -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for c in spec.columns:
        if c.kind in ("fk", "m2m"):
            qs = c.fk_model._default_manager.all()
            if hasattr(c.fk_model, "is_archived"):
                qs = qs.filter(is_archived=False)
            tables[c.name] = {str(getattr(o, c.fk_field)): o for o in qs}
        elif c.kind == "choice":
            table = {}
            for value, label in c.choices.choices:
                table[str(value).lower()] = value
                for lang in ("zh-hans", "en"):
                    with translation.override(lang):
                        table[str(label).lower()] = value
            tables[c.name] = table
    return tables


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


def _full_clean(obj: models.Model, exclude: set[str], verified: set[str]) -> None:
    """Model.full_clean(exclude=exclude, validate_unique=False), except that the foreign keys named in
    `verified` (set from the sheet's lookup tables, so known to exist) are not queried once per row.
    Constraints are still checked with every field, as full_clean does."""
    errors: dict[str, Any] = {}
    try:
        obj.clean_fields(exclude=exclude | verified)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
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


def _read_rows(data: bytes) -> tuple[list[Any], list[tuple[int, tuple]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("The sheet is empty."))
    body = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        body.append((number, row))
    wb.close()
    return list(header), body


def import_workbook(
    spec: ImportSpec,
    data: bytes,
    *,
    actor,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check every row, and write only if none has a problem. Returns the result; never half-writes."""
    try:
        header, body = _read_rows(data)
    except ValidationError as exc:
        return ImportResult(ok=False, errors=[RowError(1, "", m) for m in exc.messages])
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        if title is None:
            continue
        wanted = str(title).strip().lower()
        for c in spec.columns:
            if wanted in c.headers():
                positions[c.name] = index
    for c in spec.columns:
        if c.required and c.name not in positions:
            errors.append(RowError(1, str(c.label), _("The required column is missing from the header row.")))
    if errors:
        return ImportResult(ok=False, errors=errors)
    if not body:
        return ImportResult(ok=False, errors=[RowError(2, "", _("The sheet has no data rows."))])

    total = len(body)
    lookups = _lookups(spec)
    existing = _existing(spec)
    seen: dict[tuple, int] = {}
    to_create: list[tuple[int, models.Model, dict]] = []
    to_update: list[tuple[int, models.Model, dict, dict]] = []
    m2m_names = {c.name for c in spec.columns if c.kind == "m2m"}
    field_names = {f.name for f in spec.model._meta.get_fields()}
    # Foreign keys whose value comes from the lookup tables need no existence query per row
    # (unless the field restricts its choices further, which only Django's check knows).
    fk_checkable = {
        c.name
        for c in spec.columns
        if c.kind == "fk"
        and c.name in field_names
        and isinstance(spec.model._meta.get_field(c.name), models.ForeignKey)
        and not spec.model._meta.get_field(c.name).get_limit_choices_to()
    }

    for done, (row_no, row) in enumerate(body, start=1):
        values: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for c in spec.columns:
            if c.name not in positions:
                continue
            raw = row[positions[c.name]] if positions[c.name] < len(row) else None
            try:
                values[c.name] = _convert(c, raw, lookups)
            except _CellError as exc:
                row_errors.append(RowError(row_no, str(c.label), str(exc)))
        if not row_errors:
            key = _key_of(spec, values)
            if key in seen:
                label = ", ".join(str(spec.column(k).label) for k in spec.key_columns)
                row_errors.append(
                    RowError(
                        row_no,
                        label,
                        _("Same key as row %(row)s: each record may appear only once.") % {"row": seen[key]},
                    )
                )
            seen[key] = row_no
            obj = existing.get(key)
            is_new = obj is None
            if is_new:
                obj = spec.model()
                before = {}
            else:
                before = snapshot(obj)
            m2m_values = {}
            for name, value in values.items():
                if name in m2m_names:
                    m2m_values[name] = value
                elif name in field_names:
                    if value is None and not spec.model._meta.get_field(name).null:
                        continue  # an empty optional cell keeps the default (or the current value)
                    setattr(obj, name, value)
            try:
                verified = {name for name in fk_checkable if isinstance(values.get(name), models.Model)}
                _full_clean(obj, set(m2m_names), verified)
            except ValidationError as exc:
                for fname, messages in exc.message_dict.items():
                    label = (
                        str(spec.column(fname).label) if any(c.name == fname for c in spec.columns) else ""
                    )
                    for message in messages:
                        row_errors.append(RowError(row_no, label, message))
            if not row_errors:
                if is_new:
                    to_create.append((row_no, obj, m2m_values))
                else:
                    to_update.append((row_no, obj, m2m_values, before))
        errors.extend(row_errors)
        if progress and done % 500 == 0:
            progress(done, total)
    if errors:
        return ImportResult(ok=False, total=total, errors=errors)

    try:
        with transaction.atomic():
            created = [obj for _n, obj, _m in to_create]
            spec.model._default_manager.bulk_create(created, batch_size=500)
            changed: list[tuple[models.Model, dict]] = []
            update_fields = [
                spec.model._meta.get_field(c.name).name
                for c in spec.columns
                if c.name in positions and c.name in field_names and c.name not in m2m_names
            ]
            for _n, obj, _m, before in to_update:
                after = snapshot(obj)
                diff = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
                if diff:
                    changed.append((obj, diff))
            if changed and update_fields:
                if hasattr(spec.model, "updated_at"):
                    stamp = timezone.now()
                    for o, _d in changed:
                        o.updated_at = stamp
                    update_fields.append("updated_at")
                _bulk_update(spec.model, [o for o, _d in changed], update_fields)
            for _n, obj, m2m_values in to_create:
                for name, value in m2m_values.items():
                    getattr(obj, name).set(value)
            for _n, obj, m2m_values, _b in to_update:
                for name, value in m2m_values.items():
                    getattr(obj, name).set(value)
            if spec.finalize:
                spec.finalize([o for _n, o, _m in to_create] + [o for _n, o, _m, _b in to_update], actor)
            audit_bulk(
                actor=actor,
                source="import",
                items=[
                    (
                        o,
                        "import_create",
                        {k: [None, v] for k, v in snapshot(o).items() if v not in (None, "")},
                    )
                    for o in created
                ]
                + [(o, "import_update", d) for o, d in changed],
            )
    except ImportAborted as exc:
        return ImportResult(ok=False, total=total, errors=exc.errors)
    except ValidationError as exc:
        return ImportResult(ok=False, total=total, errors=[RowError(0, "", m) for m in exc.messages])
    if progress:
        progress(total, total)
    return ImportResult(ok=True, total=total, created=len(created), updated=len(changed))
