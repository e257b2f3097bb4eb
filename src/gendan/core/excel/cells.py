"""One cell of a sheet: the column it belongs to, how it is escaped on export, and how it is read.

Reading a cell turns what a person typed (a code, a label in Chinese or English, a number with
thousands separators, yes/否) into the value the field stores, or raises CellError with a message
that names the value. Codes of related records are looked up in tables fetched once per sheet
(`lookups_for`), never with a query per cell.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Lookup tables of one sheet: column name -> {code or label as typed: value to store}.
Lookups = dict[str, dict[str, Any]]


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


class CellError(Exception):
    """A cell that cannot be read; the message is shown with its row and column."""


_TRUE = {"1", "y", "yes", "true", "是", "√", "✓", "x"}
_FALSE = {"0", "n", "no", "false", "否", ""}


def lookups_for(columns: Iterable[Column]) -> Lookups:
    """The lookup tables of these columns, one query per related model: codes of the records a
    foreign key or m2m column may name (archived ones left out), and every spelling of a choice
    (stored value, Chinese label, English label)."""
    tables: Lookups = {}
    for c in columns:
        if c.kind in ("fk", "m2m"):
            assert c.fk_model is not None, c.name
            qs = c.fk_model._default_manager.all()
            if hasattr(c.fk_model, "is_archived"):
                qs = qs.filter(is_archived=False)
            tables[c.name] = {str(getattr(o, c.fk_field)): o for o in qs}
        elif c.kind == "choice":
            assert c.choices is not None, c.name
            table = {}
            for value, label in c.choices.choices:
                table[str(value).lower()] = value
                for lang in ("zh-hans", "en"):
                    with translation.override(lang):
                        table[str(label).lower()] = value
            tables[c.name] = table
    return tables


def convert_cell(column: Column, raw: Any, lookups: Lookups) -> Any:
    """The value to store for what the sheet holds in this column (formula escapes removed, text
    trimmed); raises CellError naming the value when it cannot be read. An empty optional cell
    gives "" (text), [] (m2m), False (yes/no) or None (everything else)."""
    raw = unescape_cell(raw)
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if column.required:
            raise CellError(_("This column is required."))
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
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from None
        if value != value.to_integral():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
        return int(value)
    if kind == "decimal":
        try:
            value = Decimal(str(raw).replace(",", ""))
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        if not value.is_finite():
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
        return value
    if kind == "bool":
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError(_("Write yes or no, not “%(value)s”.") % {"value": raw})
    if kind == "date":
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.date.fromisoformat(str(raw).replace("/", "-"))
        except ValueError:
            raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw}) from None
    if kind == "time":
        if isinstance(raw, datetime.datetime):
            return raw.time()
        if isinstance(raw, datetime.time):
            return raw
        try:
            return datetime.time.fromisoformat(str(raw).strip().zfill(5))
        except ValueError:
            raise CellError(_("“%(value)s” is not a time (HH:MM).") % {"value": raw}) from None
    if kind == "choice":
        hit = lookups[column.name].get(str(raw).strip().lower())
        if hit is None:
            assert column.choices is not None
            allowed = " / ".join(str(label) for _v, label in column.choices.choices)
            raise CellError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed})
        return hit
    if kind == "fk":
        key = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        hit = lookups[column.name].get(key)
        if hit is None:
            assert column.fk_model is not None
            raise CellError(
                _("No %(model)s with code “%(value)s”.")
                % {"model": column.fk_model._meta.verbose_name, "value": key}
            )
        return hit
    if kind == "m2m":
        codes = [c.strip() for c in str(raw).replace("，", ",").split(",") if c.strip()]
        missing = [c for c in codes if c not in lookups[column.name]]
        if missing:
            assert column.fk_model is not None
            raise CellError(
                _("No %(model)s with code “%(value)s”.")
                % {"model": column.fk_model._meta.verbose_name, "value": ", ".join(missing)}
            )
        return [lookups[column.name][c] for c in codes]
    raise AssertionError(kind)
