"""Reading an import sheet: the header row mapped to columns, then each data row as converted values
and the problems found in its cells, by row and column.

Every import (the generic upsert of master data and the custom readers of orders and stock
movements) reads its sheet this way, then adds its own checks per row:

    try:
        sheet = read_sheet(data, COLUMNS)
    except SheetRejected as exc:
        return ImportResult(ok=False, errors=exc.errors)
    for row in sheet.iter_rows(progress=progress):
        ...  # row.number, row.values (present columns only), row.errors
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from .cells import CellError, Column, Lookups, convert_cell, lookups_for
from .errors import RowError, SheetRejected
from .limits import ImportLimits, open_first_sheet, rejected, too_many_columns, too_many_rows

MAX_REPORTED_ERRORS = 1000

Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass
class ImportResult:
    ok: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    # The primary keys of the records the import created, so its result can link to them.
    created_ids: list[Any] = field(default_factory=list)

    def error_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors[:MAX_REPORTED_ERRORS]]


class SheetRow(NamedTuple):
    number: int  # the row number Excel shows
    values: dict[str, Any]  # column name -> stored value, for the columns present and readable
    errors: list[RowError]  # the cells of this row that could not be read

    def unreadable(self) -> set[str]:
        """The names of the columns whose cells could not be read: further checks of the row
        leave them out (and rules spanning columns that need them), rather than stop at them."""
        return {e.field for e in self.errors if e.field}


def read_rows(data: bytes, limits: ImportLimits | None = None) -> tuple[list[Any], list[tuple[int, tuple]]]:
    """The header row and the data rows (numbered as in Excel, blank rows left out) of the first
    worksheet, as openpyxl gives them. Raises SheetRejected if the file is not a workbook, is
    empty or exceeds the import limits; the rows are streamed and counted, and reading stops at
    the first row past the limit, so a hostile sheet costs no more than an acceptable one."""
    limits = limits or ImportLimits.current()
    workbook, ws = open_first_sheet(data, limits)
    try:
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SheetRejected([RowError(1, "", _("The sheet is empty."))])
        _check_width(header, limits)
        body: list[tuple[int, tuple]] = []
        number = 1
        try:
            for number, row in enumerate(rows, start=2):  # the last number read is reported
                # Blank rows count too: a sheet padded with a million of them is as costly to read.
                if number - 1 > limits.rows:
                    raise too_many_rows(limits.rows)
                if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                _check_width(row, limits)
                body.append((number, row))
        except SheetRejected:
            raise
        except Exception:
            # Only the head of the sheet was checked before: the XML may break anywhere after it.
            raise rejected(
                _("The sheet is damaged after row %(row)s and cannot be read; nothing was changed.")
                % {"row": number}
            ) from None
    finally:
        workbook.close()
    return list(header), body


def _check_width(row: tuple, limits: ImportLimits) -> None:
    if len(row) > limits.columns:
        # openpyxl pads a row up to its last cell: only a filled cell past the limit counts.
        used = (
            max(i for i, v in enumerate(row, start=1) if v is not None)
            if any(v is not None for v in row)
            else 0
        )
        if used > limits.columns:
            raise too_many_columns(limits.columns, used)


@dataclass
class Sheet:
    """A sheet whose header row has every required column and which has data rows."""

    columns: list[Column]  # the columns found in the header row, in the order they were asked for
    positions: dict[str, int]  # column name -> index of its cell in a row
    rows: list[tuple[int, tuple]]  # (Excel row number, raw cells) of each non-blank data row
    lookups: Lookups  # fetched once for the whole sheet

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[SheetRow]:
        return self.iter_rows()

    def iter_rows(self, progress: Progress | None = None, *, every: int = 500) -> Iterator[SheetRow]:
        """Each data row with its cells converted; progress(done, total) after every `every` rows."""
        lookups = self.lookups
        cells = [(c, self.positions[c.name]) for c in self.columns]
        total = len(self.rows)
        for done, (number, row) in enumerate(self.rows, start=1):
            values: dict[str, Any] = {}
            errors: list[RowError] = []
            width = len(row)
            for column, position in cells:
                raw = row[position] if position < width else None
                try:
                    values[column.name] = convert_cell(column, raw, lookups)
                except CellError as exc:
                    errors.append(RowError(number, str(column.label), str(exc), field=column.name))
            yield SheetRow(number, values, errors)
            # The caller has finished checking this row once it asks for the next one.
            if progress and done % every == 0:
                progress(done, total)


def read_sheet(data: bytes, columns: Sequence[Column]) -> Sheet:
    """Read the first worksheet of an .xlsx file for these columns: headers are matched in Chinese,
    in English or by field name (any case); a column the sheet does not have is left out, unless
    it is required. Raises SheetRejected when the sheet as a whole cannot be imported."""
    header, rows = read_rows(data)
    positions = _positions(header, columns)
    missing = [
        RowError(1, str(c.label), _("The required column is missing from the header row."))
        for c in columns
        if c.required and c.name not in positions
    ]
    if missing:
        raise SheetRejected(missing)
    if not rows:
        raise SheetRejected([RowError(2, "", _("The sheet has no data rows."))])
    present = [c for c in columns if c.name in positions]
    return Sheet(columns=present, positions=positions, rows=rows, lookups=lookups_for(present))


def _positions(header: list[Any], columns: Sequence[Column]) -> dict[str, int]:
    """Column name -> index of its header cell (the last one, if a header appears twice)."""
    headers = [(c.name, c.headers()) for c in columns]
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        if title is None:
            continue
        wanted = str(title).strip().lower()
        for name, names in headers:
            if wanted in names:
                positions[name] = index
    return positions
