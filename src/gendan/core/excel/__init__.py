"""Excel in and out (R-1.1, R-8.4).

    cells    Column, CellError, convert_cell, lookups_for, escape_cell / unescape_cell
    reader   read_sheet -> Sheet (header mapped to columns, rows converted), SheetRejected, RowError,
             ImportResult: what every import reads its sheet with, the generic one and custom readers
    upsert   ImportSpec, import_workbook: the generic all-or-nothing upsert by key of master data
    export   write_workbook, export_spec, template_for: exports and templates, formulas escaped;
             write_report: a long list, streamed

Import is all-or-nothing: every row is read and checked first, every problem is reported by row and
column, and only a sheet without problems is written, in one transaction. Lookups (codes of related
records, existing rows) are fetched once per sheet, not per row, so 10,000 rows take seconds.
"""

from .cells import (
    FORMULA_START,
    CellError,
    Column,
    Lookups,
    convert_cell,
    escape_cell,
    lookups_for,
    unescape_cell,
)
from .export import export_spec, export_value, template_for, write_report, write_workbook
from .reader import (
    MAX_REPORTED_ERRORS,
    ImportResult,
    Progress,
    RowError,
    Sheet,
    SheetRejected,
    SheetRow,
    read_rows,
    read_sheet,
)
from .upsert import ImportAborted, ImportSpec, import_workbook

__all__ = [
    "FORMULA_START",
    "MAX_REPORTED_ERRORS",
    "CellError",
    "Column",
    "ImportAborted",
    "ImportResult",
    "ImportSpec",
    "Lookups",
    "Progress",
    "RowError",
    "Sheet",
    "SheetRejected",
    "SheetRow",
    "convert_cell",
    "escape_cell",
    "export_spec",
    "export_value",
    "import_workbook",
    "lookups_for",
    "read_rows",
    "read_sheet",
    "template_for",
    "unescape_cell",
    "write_report",
    "write_workbook",
]
